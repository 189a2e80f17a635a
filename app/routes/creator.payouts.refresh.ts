import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { requireUser } from "~/services/accounts/auth.server";
import { getPayoutAccount, startOnboarding } from "~/services/finance/connect.server";
import { getStripe } from "~/services/stripe/client.server";

/** Stripe sends the creator here when an onboarding link expired: make a fresh one. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  if (!(await getPayoutAccount(db, { userId: user.id }))) return redirect("/creator/payouts");
  try {
    return redirect(await startOnboarding(db, getStripe(), { user, appUrl: getConfig().appUrl }), 303);
  } catch (error) {
    console.warn(`[payouts ${user.id}] could not refresh the onboarding link: ${(error as Error).message}`);
    return redirect("/creator/payouts");
  }
}
