import type Stripe from "stripe";
import type { Db } from "../../db/schema";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { payHostedCheckout } from "./stripe";

/**
 * A backer's pledge made the way the site makes it: Checkout started, the emulator's hosted page
 * paid with a Visa, and the session read back as the return page does. Returns the pledge and
 * what reading the session did ("activated" for a new pledge).
 */
export async function pledgeThroughCheckout(db: Db, stripe: Stripe, input: Parameters<typeof startPledgeCheckout>[2]) {
  const started = await startPledgeCheckout(db, stripe, input);
  if (!started.ok) throw new Error(started.message);
  await payHostedCheckout(started.checkoutUrl);
  const { checkout_session_id } = await db
    .selectFrom("pledges")
    .select("checkout_session_id")
    .where("id", "=", started.pledgeId)
    .executeTakeFirstOrThrow();
  const { outcome } = await syncCheckoutSession(db, stripe, checkout_session_id!);
  return { pledgeId: started.pledgeId, outcome };
}
