import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireUser } from "~/services/accounts/auth.server";
import { getPayoutAccount, syncPayoutAccount } from "~/services/finance/connect.server";
import { getStripe } from "~/services/stripe/client.server";

/** Back from Stripe's onboarding: re-read the account (a lost webhook delays nothing). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const account = await getPayoutAccount(db, { userId: user.id });
  if (!account) return redirect("/creator/payouts");
  try {
    await syncPayoutAccount(db, getStripe(), { accountId: account.stripe_account_id });
  } catch (error) {
    console.warn(`[payouts ${user.id}] could not re-read ${account.stripe_account_id}: ${(error as Error).message}`);
  }
  return redirect("/creator/payouts?connected=1");
}
