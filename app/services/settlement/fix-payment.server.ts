import { sql } from "kysely";
import type Stripe from "stripe";
import type { Database, Db, PledgeState } from "../../../db/schema.js";
import { getConfig } from "../../config.server";
import { isUuid } from "../../domain/ids";
import { DEFAULT_LOCALE, toLocale, type Locale } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { fixKey } from "../../domain/settlement";
import { translatorFor } from "../../i18n";
import { bookCharge } from "../../models/ledger.server";
import { queueEmails } from "../../models/outbox.server";
import { ownPledgeQuery, pledgeWithBackerQuery } from "../../models/pledge.server";
import { transitionPledge } from "../../models/pledge-state.server";
import type { SettlementContext } from "./context.server";
import { noticeOf, paymentFixedNotice } from "./notices.server";

// One concern: the fix-payment attempt, from the page that offers it to the session read back.
// A backer whose charge failed pays the pledge on Stripe's hosted Checkout (a new card, 3-D
// Secure, whatever the bank needs). The open session is recorded as a charge attempt of its own,
// so automatic retries, finance's "retry now" and the end of grace all leave the pledge alone
// while the backer may be paying.

/** Stripe's minimum Checkout expiry is 30 minutes; retries wait a minute beyond it. */
const SESSION_MARGIN_MS = 60_000;

export interface FixablePledge {
  id: string;
  state: PledgeState;
  amount: number;
  currency: Database["pledges"]["currency"];
  lastChargeError: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  campaignTitle: string;
  campaignSlug: string;
  graceEndsAt: Date | null;
  settlementClosed: boolean;
}

/** The backer's own pledge (ownership in the query) with what the page explains. */
export async function getFixablePledge(
  db: Db,
  { pledgeId, backerId }: { pledgeId: string; backerId: string },
): Promise<FixablePledge | undefined> {
  if (!isUuid(pledgeId)) return undefined;
  const row = await ownPledgeQuery(db, { pledgeId, backerId })
    .leftJoin("settlements", "settlements.campaign_id", "pledges.campaign_id")
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.amount",
      "pledges.currency",
      "pledges.last_charge_error",
      "pledges.card_brand",
      "pledges.card_last4",
      "campaigns.title",
      "campaigns.slug",
      "settlements.grace_ends_at",
      "settlements.stage",
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    state: row.state,
    amount: row.amount,
    currency: row.currency,
    lastChargeError: row.last_charge_error,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    campaignTitle: row.title,
    campaignSlug: row.slug,
    graceEndsAt: row.grace_ends_at,
    settlementClosed: row.stage === "closed",
  };
}

export type StartFixPayment = { ok: true; url: string } | Refusal;

/**
 * Opens (or reopens) a payment-mode Checkout Session for the pledge amount. The attempt row is
 * written before the session is created, and the session's idempotency key comes from it, so a
 * double click or a crash in between yields the same session.
 */
export async function startFixPayment(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    backerId,
    appUrl,
    locale,
    now = new Date(),
  }: {
    pledgeId: string;
    backerId: string;
    appUrl: string;
    /** The request's language: Stripe's payment page speaks it. */
    locale?: Locale;
    now?: Date;
  },
): Promise<StartFixPayment> {
  const pledge = await ownPledgeQuery(db, { pledgeId, backerId })
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.amount",
      "pledges.currency",
      "pledges.stripe_customer_id",
      "campaigns.title",
      "campaigns.id as campaign_id",
    ])
    .executeTakeFirst();
  if (!pledge) return refuse(404, "Pledge not found.");

  const open = await pendingFixAttempt(db, pledgeId);
  if (open?.stripe_object_id) {
    const session = await stripe.checkout.sessions.retrieve(open.stripe_object_id);
    if (session.status === "open" && session.url) return { ok: true, url: session.url };
    await syncFixPaymentSession(db, stripe, session.id);
    if (session.status === "complete") return refuse(409, "This pledge is already paid.");
  }
  if (pledge.state !== "errored") return refuse(409, "This pledge has no failed payment to fix.");

  // Reserve the attempt (or reuse one whose session was never opened).
  const attempt =
    open && !open.stripe_object_id
      ? { id: open.id, attempt: open.attempt, key: open.idempotency_key }
      : await db.transaction().execute(async (trx) => {
          const locked = await trx
            .selectFrom("pledges")
            .select(["state", "charge_attempts"])
            .where("id", "=", pledgeId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          if (locked.state !== "errored") return null;
          const busy = await trx
            .selectFrom("charge_attempts")
            .select("id")
            .where("pledge_id", "=", pledgeId)
            .where("status", "=", "pending")
            .executeTakeFirst();
          if (busy) return null;
          const number = locked.charge_attempts + 1;
          const key = fixKey(pledgeId, number);
          const row = await trx
            .insertInto("charge_attempts")
            .values({
              pledge_id: pledgeId,
              attempt: number,
              kind: "charge",
              idempotency_key: key,
              amount: pledge.amount,
              currency: pledge.currency,
              started_at: now,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await trx
            .updateTable("pledges")
            .set({ charge_attempts: number, updated_at: new Date() })
            .where("id", "=", pledgeId)
            .execute();
          return { id: row.id, attempt: number, key };
        });
  if (!attempt) return refuse(409, "This pledge is being charged right now. Please reload the page in a minute.");

  let session: Stripe.Checkout.Session;
  try {
    const metadata = { pledge_id: pledgeId, purpose: "fix_payment", attempt: String(attempt.attempt) };
    session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        ...(locale ? { locale } : {}),
        customer: pledge.stripe_customer_id ?? undefined,
        client_reference_id: pledgeId,
        allowed_payment_method_types: ["card"],
        metadata,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: pledge.currency,
              unit_amount: pledge.amount,
              product_data: {
                name: translatorFor(locale ?? DEFAULT_LOCALE)("emails:checkout.pledge", { campaign: pledge.title }),
              },
            },
          },
        ],
        payment_intent_data: {
          metadata: { ...metadata, campaign_id: pledge.campaign_id },
          setup_future_usage: "off_session",
          description: `Pledge to ${pledge.title}`,
        },
        success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/pledges/${pledgeId}/fix`,
      },
      { idempotencyKey: attempt.key },
    );
  } catch (error) {
    console.warn(`[pledge ${pledgeId}] could not open a fix-payment Checkout Session: ${(error as Error).message}`);
    return refuse(
      503,
      "Our payment provider is not answering right now. Nothing was charged; please try again in a minute.",
    );
  }
  const retryNotBefore = new Date(Math.max(session.expires_at * 1000, now.getTime()) + SESSION_MARGIN_MS);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("charge_attempts")
      .set({ stripe_object_id: session.id })
      .where("id", "=", attempt.id)
      .where("status", "=", "pending")
      .execute();
    // No automatic retry while the backer may still be paying on the session.
    await trx
      .updateTable("pledges")
      .set({ next_charge_at: sql`greatest(coalesce(next_charge_at, ${retryNotBefore}), ${retryNotBefore})` })
      .where("id", "=", pledgeId)
      .execute();
  });
  if (!session.url) return refuse(503, "Stripe did not return a payment page.");
  return { ok: true, url: session.url };
}

function pendingFixAttempt(db: Db, pledgeId: string) {
  return db
    .selectFrom("charge_attempts")
    .select(["id", "attempt", "idempotency_key", "stripe_object_id", "started_at"])
    .where("pledge_id", "=", pledgeId)
    .where("status", "=", "pending")
    .where("idempotency_key", "like", "colecta-fix-%")
    .executeTakeFirst();
}

export type FixOutcome = "payment_fixed" | "open" | "expired" | "unknown";

/**
 * Brings a fix-payment session's pledge in line with Stripe (read back, never from a payload):
 * paid -> the pledge is collected, booked and the backer thanked; expired -> the attempt
 * fails and automatic retries resume. Idempotent and safe from the webhook and the return URL.
 */
export async function syncFixPaymentSession(
  db: Db,
  stripe: Stripe,
  sessionId: string,
  {
    appUrl = getConfig().appUrl,
    request = <T>(fn: (o: Stripe.RequestOptions) => Promise<T>) => fn({}),
  }: { appUrl?: string; request?: <T>(fn: (o: Stripe.RequestOptions) => Promise<T>) => Promise<T> } = {},
): Promise<{ outcome: FixOutcome; pledgeId?: string }> {
  const session = await request((o) => stripe.checkout.sessions.retrieve(sessionId, {}, o));
  const pledgeId = session.metadata?.pledge_id;
  if (!pledgeId || session.metadata?.purpose !== "fix_payment") return { outcome: "unknown" };
  const attemptNumber = Number(session.metadata.attempt);
  const key = fixKey(pledgeId, attemptNumber);

  if (
    session.status === "expired" ||
    (session.status === "open" && session.expires_at * 1000 < Date.now() - SESSION_MARGIN_MS)
  ) {
    await db
      .updateTable("charge_attempts")
      .set({
        status: "failed",
        error_code: "checkout_expired",
        error_message: "The payment page expired before the payment was made.",
        stripe_object_id: session.id,
        finished_at: new Date(),
      })
      .where("idempotency_key", "=", key)
      .where("status", "=", "pending")
      .execute();
    return { outcome: "expired", pledgeId };
  }
  if (session.status !== "complete" || session.payment_status !== "paid" || !session.payment_intent)
    return { outcome: "open", pledgeId };

  const paymentIntentId =
    typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
  const pi = await request((o) =>
    stripe.paymentIntents.retrieve(
      paymentIntentId,
      { expand: ["latest_charge.balance_transaction", "payment_method"] },
      o,
    ),
  );
  const charge = pi.latest_charge;
  const bt = charge && typeof charge === "object" ? charge.balance_transaction : null;
  if (pi.status !== "succeeded" || !charge || typeof charge !== "object" || !bt || typeof bt !== "object")
    return { outcome: "open", pledgeId };
  const pm = pi.payment_method && typeof pi.payment_method === "object" ? pi.payment_method : null;

  return db.transaction().execute(async (trx) => {
    const pledge = await pledgeWithBackerQuery(trx, { pledgeId })
      .select([
        "pledges.id",
        "pledges.state",
        "pledges.amount",
        "pledges.currency",
        "pledges.campaign_id",
        "users.id as backer_id",
        "users.email",
        "users.name",
        "users.locale",
        "campaigns.title",
      ])
      .forUpdate(["pledges"])
      .executeTakeFirst();
    if (!pledge) return { outcome: "unknown" as const };
    const finished = await trx
      .updateTable("charge_attempts")
      .set({ status: "succeeded", stripe_object_id: pi.id, finished_at: new Date() })
      .where("idempotency_key", "=", key)
      .where("status", "=", "pending")
      .returning("id")
      .executeTakeFirst();
    if (!finished || pledge.state !== "errored") {
      if (finished)
        console.warn(
          `[pledge ${pledgeId}] fix-payment ${pi.id} paid while the pledge is ${pledge.state}; finance should review`,
        );
      return { outcome: "payment_fixed" as const, pledgeId };
    }
    await transitionPledge(trx, {
      pledgeId,
      to: "collected",
      actorId: pledge.backer_id,
      reason: "Paid on the fix-payment page",
      detail: { checkout_session: session.id, payment_intent: pi.id },
    });
    await trx
      .updateTable("pledges")
      .set({
        collected_amount: charge.amount,
        stripe_payment_intent_id: pi.id,
        next_charge_at: null,
        last_charge_error: null,
        ...(pm
          ? { stripe_payment_method_id: pm.id, card_brand: pm.card?.brand ?? null, card_last4: pm.card?.last4 ?? null }
          : {}),
        updated_at: new Date(),
      })
      .where("id", "=", pledgeId)
      .execute();
    await bookCharge(trx, {
      campaignId: pledge.campaign_id,
      pledgeId,
      currency: pledge.currency,
      amount: charge.amount,
      fee: bt.fee,
      paymentIntentId: pi.id,
      chargeId: charge.id,
      balanceTransactionId: bt.id,
    });
    // Paid on the page the backer opened: the session keeps the language of that request.
    const notice = noticeOf(pledge, { ...pledge, amount: charge.amount }, toLocale(session.locale));
    await queueEmails(trx, [paymentFixedNotice(notice, { appUrl })]);
    return { outcome: "payment_fixed" as const, pledgeId };
  });
}

/**
 * Before retrying or dropping: fix-payment sessions of this campaign whose expiry has passed are
 * read back from Stripe (a lost webhook must not leave a paid pledge errored, nor block retries).
 */
export async function syncDueFixSessions(
  ctx: SettlementContext,
  campaignId: string,
  { all = false } = {},
): Promise<number> {
  const rows = await ctx.db
    .selectFrom("charge_attempts")
    .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
    .select(["charge_attempts.id", "charge_attempts.stripe_object_id", "charge_attempts.started_at"])
    .where("pledges.campaign_id", "=", campaignId)
    .where("pledges.state", "=", "errored")
    .where("charge_attempts.status", "=", "pending")
    .where("charge_attempts.idempotency_key", "like", "colecta-fix-%")
    .$if(!all, (q) => q.where("pledges.next_charge_at", "<=", ctx.now))
    .limit(500)
    .execute();
  let synced = 0;
  for (const row of rows) {
    if (!row.stripe_object_id) {
      // Reserved but the session was never created (a crash in between): nothing to wait for.
      if (ctx.now.getTime() - row.started_at.getTime() > 10 * 60_000) {
        await ctx.db
          .updateTable("charge_attempts")
          .set({ status: "failed", error_code: "not_opened", finished_at: new Date() })
          .where("id", "=", row.id)
          .where("status", "=", "pending")
          .execute();
      }
      continue;
    }
    await syncFixPaymentSession(ctx.db, ctx.stripe, row.stripe_object_id, {
      appUrl: ctx.config.appUrl,
      request: (fn) => ctx.pacer.call(fn),
    });
    synced++;
  }
  return synced;
}
