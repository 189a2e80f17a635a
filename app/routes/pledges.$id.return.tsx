import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireOwnPledge } from "~/services/pledges/backer.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { getStripe } from "~/services/stripe/client.server";

// Stripe Checkout sends the backer here. The session is verified with Stripe right away, so a
// slow or lost webhook delays nothing.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, pledge } = await requireOwnPledge(request, params.id);
  const url = new URL(request.url);
  const stripe = getStripe();
  if (url.searchParams.has("cancelled")) {
    // Backing out frees the reward slot now rather than in 30 minutes. The session is the
    // pledge's own (from our records; Stripe fills the id into success URLs only).
    if (pledge.state === "checkout" && pledge.checkout_session_id) {
      await stripe.checkout.sessions.expire(pledge.checkout_session_id).catch(() => undefined);
      await syncCheckoutSession(db, stripe, pledge.checkout_session_id);
    }
    const tier = pledge.tier_id ? `&tier=${pledge.tier_id}` : "";
    throw redirect(`/projects/${pledge.campaign_slug}/pledge?cancelled=1${tier}`);
  }
  const sessionId = url.searchParams.get("session_id") ?? "";
  if (!/^cs_[A-Za-z0-9_]+$/.test(sessionId)) throw redirect(`/me/pledges/${pledge.id}`);
  const { outcome } = await syncCheckoutSession(db, stripe, sessionId);
  const flag =
    outcome === "change_applied"
      ? "changed=raised"
      : outcome === "change_refused"
        ? "raise=refused"
        : outcome === "card_updated"
          ? "card=updated"
          : outcome === "payment_fixed"
            ? "fixed=1"
            : outcome === "activated" || outcome === "already_active"
              ? "confirmed=1"
              : "";
  throw redirect(`/me/pledges/${pledge.id}${flag ? `?${flag}` : ""}`);
}
