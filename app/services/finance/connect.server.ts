import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { isUuid } from "../../domain/ids";
import { recordAudit } from "../../models/audit.server";

// Creators' payout accounts: Stripe Connect Express accounts, onboarded on Stripe's hosted page.

export async function getPayoutAccount(db: Db, { userId }: { userId: string }) {
  return db.selectFrom("payout_accounts").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

/**
 * Creates the creator's connected account once (the idempotency key and the table's primary key
 * both make a double click harmless) and returns a fresh onboarding link to send them to.
 */
export async function startOnboarding(
  db: Db,
  stripe: Stripe,
  { user, appUrl }: { user: { id: string; email: string }; appUrl: string },
): Promise<string> {
  let account = await getPayoutAccount(db, { userId: user.id });
  if (!account) {
    const created = await stripe.accounts.create(
      {
        type: "express",
        email: user.email,
        metadata: { user_id: user.id },
        capabilities: { transfers: { requested: true } },
      },
      { idempotencyKey: `colecta-connect-account-${user.id}` },
    );
    await db
      .insertInto("payout_accounts")
      .values({ user_id: user.id, stripe_account_id: created.id })
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    await recordAudit(db, {
      actorId: user.id,
      action: "payout_account.created",
      subjectType: "user",
      subjectId: user.id,
      detail: { stripe_account_id: created.id },
    });
    account = (await getPayoutAccount(db, { userId: user.id }))!;
  }
  const link = await stripe.accountLinks.create({
    account: account.stripe_account_id,
    refresh_url: `${appUrl}/creator/payouts/refresh`,
    return_url: `${appUrl}/creator/payouts/return`,
    type: "account_onboarding",
  });
  return link.url;
}

/**
 * Re-reads a connected account from Stripe and stores its status (return from onboarding, and
 * the `account.updated` webhook: both converge on Stripe's current answer, in any order).
 */
export async function syncPayoutAccount(db: Db, stripe: Stripe, { accountId }: { accountId: string }) {
  const account = await stripe.accounts.retrieve(accountId);
  const status = {
    details_submitted: account.details_submitted ?? false,
    charges_enabled: account.charges_enabled ?? false,
    payouts_enabled: account.payouts_enabled ?? false,
    updated_at: new Date(),
  };
  const updated = await db
    .updateTable("payout_accounts")
    .set(status)
    .where("stripe_account_id", "=", accountId)
    .returning("user_id")
    .executeTakeFirst();
  if (updated) return updated.user_id;
  // An account we did not record (the creating request died after Stripe answered): adopt it.
  const userId = account.metadata?.user_id;
  if (!isUuid(userId)) return null;
  const user = await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (!user) return null;
  await db
    .insertInto("payout_accounts")
    .values({ user_id: userId, stripe_account_id: accountId, ...status })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
  return userId;
}
