import Stripe from "stripe";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { statusWord } from "../../domain/finance";
import { DEFAULT_LOCALE, type Locale, type Translate } from "../../domain/locale";
import { formatMoney } from "../../domain/money";
import { refuse, type Refusal } from "../../domain/refusal";
import { platformFeeFor } from "../../domain/statement";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { resolveFinanceAlerts, raiseFinanceAlert } from "../../models/finance-alerts.server";
import { bookPayout, bookPlatformFee } from "../../models/ledger.server";
import { refuseWithoutSecondFactor, verifyFreshCode } from "../security/two-factor.server";
import { bookNetting, creatorOwed, type OwedSegment } from "./recoveries.server";
import { buildLateStatement, buildStatement, freezeStatement } from "./statement.server";

// Messages are worded in the caller's language (the request's); English when none is given.
const english: Translate = translatorFor("en");

export interface PayoutPlan {
  ready: boolean;
  /** Why it cannot be prepared yet, in the desk's words (empty when ready). */
  waitingFor: string[];
  currency: CurrencyCode | null;
  platformFee: number;
  amount: number;
  destination: string | null;
  /** What the creator owes from refunds after earlier payouts, taken off this one. */
  netted: number;
  /** What earlier payouts' segments still owe the creator (a refund failed after it was recovered), added. */
  credited: number;
  netting: (OwedSegment & { owedInFull: number })[];
}

/**
 * What a payout would be now and what, if anything, it waits for: a closed, funded settlement;
 * no refund in flight; the creator's connected account able to receive payouts; something left
 * to pay. The amount is the statement's payout due less the platform fee (PLATFORM_FEE_BPS of
 * collected net of refunds). `t` and `locale` word what it waits for (English by default).
 *
 * `late: true` plans a further payout, of the late pledges' money: after the first payout is
 * paid, from the late segment of the journal, one at a time.
 */
export async function planPayout(
  db: Db,
  {
    campaignId,
    platformFeeBps,
    late = false,
    t = english,
    locale = DEFAULT_LOCALE,
  }: { campaignId: string; platformFeeBps: number; late?: boolean; t?: Translate; locale?: Locale },
): Promise<PayoutPlan> {
  const plan: PayoutPlan = {
    ready: false,
    waitingFor: [],
    currency: null,
    platformFee: 0,
    amount: 0,
    destination: null,
    netted: 0,
    credited: 0,
    netting: [],
  };
  const settlement = await db
    .selectFrom("settlements")
    .innerJoin("campaigns", "campaigns.id", "settlements.campaign_id")
    .leftJoin("payout_accounts", "payout_accounts.user_id", "campaigns.creator_id")
    .innerJoin("users", "users.id", "campaigns.creator_id")
    .select([
      "users.email_verified_at as creatorVerifiedAt",
      "settlements.stage",
      "settlements.decision",
      "settlements.currency",
      "settlements.grace_ends_at",
      "payout_accounts.stripe_account_id",
      "payout_accounts.payouts_enabled",
    ])
    .where("settlements.campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) {
    plan.waitingFor.push(t("finance:plan.notSettled"));
    return plan;
  }
  plan.currency = settlement.currency;
  plan.destination = settlement.stripe_account_id;
  if (settlement.decision !== "funded") {
    plan.waitingFor.push(
      settlement.decision === "cancelled" ? t("finance:plan.cancelled") : t("finance:plan.notFunded"),
    );
    return plan;
  }
  if (settlement.stage === "collecting") plan.waitingFor.push(t("finance:plan.charging"));
  if (settlement.stage === "grace") {
    plan.waitingFor.push(
      settlement.grace_ends_at
        ? t("finance:plan.graceUntil", {
            until: settlement.grace_ends_at.toISOString().slice(0, 16).replace("T", " "),
          })
        : t("finance:plan.grace"),
    );
  }
  const payout = await latestPayout(db, campaignId);
  if (!late && payout) {
    plan.waitingFor.push(t("finance:plan.exists", { status: statusWord(t, payout.status) }));
    return plan;
  }
  if (late && payout?.status !== "paid") {
    plan.waitingFor.push(
      payout
        ? t("finance:plan.furtherWaits", { status: statusWord(t, payout.status) })
        : t("finance:plan.firstPayoutFirst"),
    );
    return plan;
  }
  const pending = await db
    .selectFrom("refunds")
    .innerJoin("pledges", "pledges.id", "refunds.pledge_id")
    .select("refunds.id")
    .where("pledges.campaign_id", "=", campaignId)
    .where("pledges.late", "=", late)
    .where("refunds.status", "=", "pending")
    .executeTakeFirst();
  if (pending) plan.waitingFor.push(t("finance:plan.refundPending"));
  if (!settlement.creatorVerifiedAt) plan.waitingFor.push(t("account:refusal.unverifiedPayout"));
  if (!settlement.stripe_account_id) plan.waitingFor.push(t("finance:plan.noAccount"));
  else if (!settlement.payouts_enabled) plan.waitingFor.push(t("finance:plan.accountNotReady"));

  const built = late ? await buildLateStatement(db, { campaignId }) : await buildStatement(db, { campaignId });
  if (built) {
    const s = built.statement;
    plan.platformFee =
      platformFeeFor({ collected: s.collected, refunded: s.refunded, basisPoints: platformFeeBps }) - s.platformFee;
    if (plan.platformFee < 0) plan.platformFee = 0;
    plan.amount = s.payoutDue - plan.platformFee;
    if (plan.amount < 0)
      plan.waitingFor.push(t("finance:plan.short", { amount: formatMoney(-plan.amount, s.currency, { locale }) }));
    // A further payout is for money that came in; the first may be zero (a campaign all refunded).
    if (late && plan.amount === 0) plan.waitingFor.push(t("finance:plan.nothingLate"));
    // What the creator owes elsewhere (refunds after a payout Stripe could not take back) comes off.
    if (plan.amount > 0) {
      const { owed, pending: recovering } = await creatorOwed(db, { campaignId, currency: s.currency });
      if (recovering) plan.waitingFor.push(t("recovery:plan.recoveryPending"));
      const others = owed.filter((o) => !(o.campaignId === campaignId && o.late === late));
      let left = plan.amount;
      // What earlier segments still owe the creator is added first, then what the creator owes taken off.
      for (const o of others.filter((o) => o.amount < 0)) {
        plan.netting.push({ ...o, owedInFull: o.amount });
        plan.credited -= o.amount;
        left -= o.amount;
      }
      for (const o of others.filter((o) => o.amount > 0)) {
        const take = Math.min(left, o.amount);
        if (take === 0) continue;
        plan.netting.push({ ...o, amount: take, owedInFull: o.amount });
        plan.netted += take;
        left -= take;
      }
      plan.amount = left;
    }
  }
  plan.ready = plan.waitingFor.length === 0;
  return plan;
}

/** The campaign's most recent payout (the first, or the latest further one). */
function latestPayout(db: Db, campaignId: string) {
  return db
    .selectFrom("payouts")
    .select(["id", "status", "sequence"])
    .where("campaign_id", "=", campaignId)
    .orderBy("sequence", "desc")
    .limit(1)
    .executeTakeFirst();
}

export type PayoutOutcome = { ok: true; payoutId: string; message: string } | Refusal;

/**
 * Prepares the payout: books the platform fee and writes the `payouts` row, both in one
 * transaction under the settlement's lock (so two preparers cannot both succeed).
 */
export async function preparePayout(
  db: Db,
  {
    campaignId,
    actorId,
    reason,
    platformFeeBps,
    late = false,
    ip,
    t = english,
    locale = DEFAULT_LOCALE,
  }: {
    campaignId: string;
    actorId: string;
    reason: string;
    platformFeeBps: number;
    /** A further payout, of the late pledges' money (see planPayout). */
    late?: boolean;
    ip?: string | null;
    t?: Translate;
    locale?: Locale;
  },
): Promise<PayoutOutcome> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  return db.transaction().execute(async (trx): Promise<PayoutOutcome> => {
    // One preparation at a time per creator: what they owe elsewhere is netted from one payout only.
    await trx
      .selectFrom("users")
      .select("users.id")
      .where("users.id", "=", (eb) =>
        eb.selectFrom("campaigns").select("creator_id").where("campaigns.id", "=", campaignId),
      )
      .forNoKeyUpdate()
      .execute();
    const locked = await trx
      .selectFrom("settlements")
      .select("campaign_id")
      .where("campaign_id", "=", campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return refuse(404, t("finance:payoutRefusal.notSettled"));
    const plan = await planPayout(trx, { campaignId, platformFeeBps, late, t, locale });
    if (!plan.ready) return refuse(409, t("finance:payoutRefusal.notReady", { reasons: plan.waitingFor.join(" ") }));
    const sequence = late ? ((await latestPayout(trx, campaignId))?.sequence ?? 1) + 1 : 1;
    const payout = await trx
      .insertInto("payouts")
      .values({
        campaign_id: campaignId,
        sequence,
        amount: plan.amount,
        currency: plan.currency!,
        destination_account: plan.destination,
        prepared_by: actorId,
      })
      .onConflict((oc) => oc.columns(["campaign_id", "sequence"]).doNothing())
      .returning(["id"])
      .executeTakeFirst();
    if (!payout) return refuse(409, t("finance:payoutRefusal.alreadyPrepared"));
    // The late pledges this payout carries: every one collected so far and not carried before
    // (their collection waits on the settlement row this transaction holds).
    if (late)
      await trx
        .updateTable("pledges")
        .set({ late_payout_id: payout.id })
        .where("campaign_id", "=", campaignId)
        .where("late", "=", true)
        .where("late_payout_id", "is", null)
        .where("collected_amount", ">", 0)
        .execute();
    await bookPlatformFee(trx, {
      campaignId,
      currency: plan.currency!,
      amount: plan.platformFee,
      payoutId: payout.id,
      createdBy: actorId,
      late,
    });
    await bookNetting(trx, {
      payoutId: payout.id,
      paying: { campaignId, late },
      netting: plan.netting,
      currency: plan.currency!,
      createdBy: actorId,
    });
    await recordAudit(trx, {
      actorId,
      action: "payout.prepared",
      subjectType: "campaign",
      subjectId: campaignId,
      reason,
      detail: {
        payout_id: payout.id,
        sequence,
        amount: plan.amount,
        platform_fee: plan.platformFee,
        netted: plan.netted,
        credited: plan.credited,
        currency: plan.currency,
        destination: plan.destination,
      },
      ip,
    });
    return {
      ok: true,
      payoutId: payout.id,
      message: t("finance:payoutRefusal.prepared", {
        amount: formatMoney(plan.amount, plan.currency!, { locale }),
        fee: formatMoney(plan.platformFee, plan.currency!, { locale }),
      }),
    };
  });
}

/** An approval younger than this is assumed to be transferring in another request. */
const IN_FLIGHT_MS = 60_000;

/** The four-eyes refusal in English (the default language of the messages). */
export const FOUR_EYES_MESSAGE = english("finance:payout.fourEyes");

function isFourEyesViolation(error: unknown) {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (
    e?.code === "23514" && (e.constraint === "payouts_four_eyes" || String(e.message).includes("payouts_four_eyes"))
  );
}

/**
 * Approves a prepared payout and pays it: the approval is recorded first (the database refuses
 * an approver who prepared it), then the Stripe transfer to the creator's connected account
 * with an idempotency key derived from the payout (a retry after a crash transfers once), then
 * the booking, the paid mark and the frozen statement.
 */
export async function approvePayout(
  db: Db,
  stripe: Stripe,
  {
    campaignId,
    actorId,
    reason,
    ip,
    code,
    payoutId,
    t = english,
    locale = DEFAULT_LOCALE,
  }: {
    campaignId: string;
    actorId: string;
    reason: string;
    /** A fresh code from the approver's authenticator app: checked here, before anything moves. */
    code: string;
    /** The payout the approver reviewed: refused if the latest is another one by now. */
    payoutId?: string;
    ip?: string | null;
    t?: Translate;
    locale?: Locale;
  },
): Promise<PayoutOutcome> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  // Prepared while verified (or before the rule): approval still waits for a proven address.
  // Checked before the code, so a refusal does not spend the approver's code.
  if (!(await creatorEmailVerified(db, { campaignId }))) return refuse(409, t("account:refusal.unverifiedPayout"));
  const fresh = await verifyFreshCode(db, { userId: actorId, code, ip, t });
  if (!fresh.ok) return fresh;
  let locked;
  try {
    locked = await db.transaction().execute(async (trx) => {
      // The latest payout is the one to approve: a further one is prepared only after the first is paid.
      const row = await trx
        .selectFrom("payouts")
        .selectAll()
        .where("campaign_id", "=", campaignId)
        .orderBy("sequence", "desc")
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      if (row && payoutId && row.id !== payoutId) return { row: undefined, justApproved: false, changed: true };
      if (row?.status === "failed") {
        // Stripe refused the transfer: a person retries it (the approval stands; a new key).
        // The creator may have connected another account since: the transfer goes to today's.
        const account = await trx
          .selectFrom("payout_accounts")
          .innerJoin("campaigns", "campaigns.creator_id", "payout_accounts.user_id")
          .select("payout_accounts.stripe_account_id")
          .where("campaigns.id", "=", campaignId)
          .executeTakeFirst();
        const retried = await trx
          .updateTable("payouts")
          .set({
            status: "approved",
            retry_after: null,
            destination_account: account?.stripe_account_id ?? row.destination_account,
          })
          .where("id", "=", row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { row: retried, justApproved: true };
      }
      if (!row || row.status !== "prepared") return { row, justApproved: false };
      const approved = await trx
        .updateTable("payouts")
        .set({ status: "approved", approved_by: actorId, approved_at: new Date() })
        .where("id", "=", row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row: approved, justApproved: true };
    });
  } catch (error) {
    if (isFourEyesViolation(error)) return refuse(403, t("finance:payout.fourEyes"));
    throw error;
  }
  const payout = locked.row;
  if ("changed" in locked) return refuse(409, t("finance:payoutRefusal.changed"));
  if (!payout) return refuse(404, t("finance:payoutRefusal.noPrepared"));
  if (payout.status === "paid")
    return { ok: true, payoutId: payout.id, message: t("finance:payoutRefusal.alreadyPaid") };
  // Approved a moment ago by another request (a double click): that request is transferring.
  if (
    !locked.justApproved &&
    payout.approved_at &&
    Date.now() - payout.approved_at.getTime() < IN_FLIGHT_MS &&
    !payout.failure
  ) {
    return refuse(409, t("finance:payoutRefusal.inFlight"));
  }

  return completeTransfer(db, stripe, { payoutId: payout.id, actorId, reason, ip, t, locale });
}

/** How long a transfer that waits for funds waits before the worker tries it again. */
export const FUNDS_RETRY_MS = 60 * 60 * 1000;

/** How long a transfer whose outcome is unknown (Stripe unreachable) waits before the worker tries again. */
const UNKNOWN_RETRY_MS = 5 * 60 * 1000;

/** A transfer already made for this payout (its metadata names it), if Stripe has one. */
async function findSentTransfer(stripe: Stripe, payout: { id: string; campaign_id: string }) {
  for await (const t of stripe.transfers.list({ transfer_group: payout.campaign_id, limit: 100 }))
    if (t.metadata?.payout_id === payout.id) return t;
  return null;
}

/** The idempotency key of a payout's transfer: a new one after each refusal (Stripe replays a refused answer for its key). */
function transferKey(payout: { id: string; transfer_attempt: number }) {
  return payout.transfer_attempt === 1
    ? `colecta-payout-${payout.id}`
    : `colecta-payout-${payout.id}-${payout.transfer_attempt}`;
}

/**
 * Sends an approved payout's transfer and records the answer: paid (booked, the settlement's
 * statement frozen with the first payout), waiting for funds (Stripe's balance_insufficient: the
 * worker tries again after FUNDS_RETRY_MS), refused (the payout is failed, an alert asks a person
 * to retry), or unknown (Stripe unreachable: still approved, the same key on the next try).
 * `actorId` null is the worker.
 */
export async function completeTransfer(
  db: Db,
  stripe: Stripe,
  {
    payoutId,
    actorId,
    reason,
    ip,
    t = english,
    locale = DEFAULT_LOCALE,
  }: {
    payoutId: string;
    actorId: string | null;
    reason: string;
    ip?: string | null;
    t?: Translate;
    locale?: Locale;
  },
): Promise<PayoutOutcome> {
  const payout = await db.selectFrom("payouts").selectAll().where("id", "=", payoutId).executeTakeFirstOrThrow();
  const campaignId = payout.campaign_id;
  if (payout.status === "paid") return { ok: true, payoutId, message: t("finance:payoutRefusal.alreadyPaid") };
  const detail = { amount: payout.amount, currency: payout.currency, reference: payout.id };
  let transferId: string | null = null;
  if (payout.amount > 0) {
    if (!payout.destination_account) return refuse(409, t("finance:payoutRefusal.noDestination"));
    try {
      // Sent before and not booked (a crash, Stripe's answer lost): Stripe forgets an idempotency
      // key after a day, so the transfer is looked for first and never sent twice.
      const sent = await findSentTransfer(stripe, payout);
      const transfer =
        sent ??
        (await stripe.transfers.create(
          {
            amount: payout.amount,
            currency: payout.currency,
            destination: payout.destination_account,
            transfer_group: campaignId,
            metadata: { payout_id: payout.id, campaign_id: campaignId },
          },
          { idempotencyKey: transferKey(payout) },
        ));
      transferId = transfer.id;
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const code = (error as { code?: string }).code;
      const refused =
        error instanceof Stripe.errors.StripeInvalidRequestError ||
        error instanceof Stripe.errors.StripePermissionError;
      const outcome = !refused ? "unknown" : code === "balance_insufficient" ? "waiting" : "refused";
      await db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable("payouts")
          .set({
            failure: message,
            // A refused request's key is spent; an unknown outcome keeps its key for the retry.
            ...(outcome === "unknown" ? {} : { transfer_attempt: payout.transfer_attempt + 1 }),
            ...(outcome === "refused" ? { status: "failed" as const, retry_after: null } : {}),
            ...(outcome === "waiting" ? { retry_after: new Date(Date.now() + FUNDS_RETRY_MS) } : {}),
            // Stripe did not answer: the worker tries again soon (the transfer is looked for first).
            ...(outcome === "unknown" ? { retry_after: new Date(Date.now() + UNKNOWN_RETRY_MS) } : {}),
          })
          .where("id", "=", payout.id)
          .where("status", "=", "approved")
          .where("transfer_attempt", "=", payout.transfer_attempt)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0) return;
        await recordAudit(trx, {
          actorId,
          action: outcome === "waiting" ? "payout.transfer_waiting" : "payout.transfer_failed",
          subjectType: "campaign",
          subjectId: campaignId,
          reason,
          detail: { payout_id: payout.id, attempt: payout.transfer_attempt, stripe_error: message },
          ip,
        });
        if (outcome === "refused")
          await raiseFinanceAlert(trx, {
            kind: "transfer_failed",
            dedupeKey: `transfer_failed:${payout.id}`,
            campaignId,
            payoutId: payout.id,
            detail: { ...detail, message },
          });
        if (outcome === "waiting")
          await raiseFinanceAlert(trx, {
            kind: "payout_waiting_for_funds",
            dedupeKey: `payout_waiting:${payout.id}`,
            campaignId,
            payoutId: payout.id,
            detail,
          });
      });
      if (outcome === "waiting")
        return { ok: true, payoutId: payout.id, message: t("recovery:payout.waitingForFunds") };
      return outcome === "refused"
        ? refuse(502, t("recovery:payout.refused", { message }))
        : refuse(503, t("finance:payoutRefusal.stripeDown"));
    }
  }

  const paid = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("payouts")
      .selectAll()
      .where("id", "=", payout.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === "paid") return false;
    if (transferId)
      await bookPayout(trx, {
        campaignId,
        currency: row.currency,
        amount: row.amount,
        transferId,
        createdBy: actorId,
        late: row.sequence > 1,
      });
    await trx
      .updateTable("payouts")
      .set({ status: "paid", stripe_transfer_id: transferId, failure: null, retry_after: null })
      .where("id", "=", row.id)
      .execute();
    await resolveFinanceAlerts(trx, {
      dedupeKeys: [`transfer_failed:${row.id}`, `payout_waiting:${row.id}`],
      note: transferId ? `Transfer ${transferId} sent.` : "Paid.",
    });
    await recordAudit(trx, {
      actorId,
      action: "payout.approved",
      subjectType: "campaign",
      subjectId: campaignId,
      reason,
      detail: {
        payout_id: row.id,
        sequence: row.sequence,
        amount: row.amount,
        currency: row.currency,
        stripe_transfer_id: transferId,
        prepared_by: row.prepared_by,
        approved_by: row.approved_by,
      },
      ip,
    });
    return true;
  });
  // The settlement's statement freezes with the first payout; late pledges' money has its own,
  // never frozen, so a further payout's message names no checksum.
  const frozen = payout.sequence === 1 ? await freezeStatement(db, { campaignId }) : null;
  const amount = formatMoney(payout.amount, payout.currency, { locale });
  const checksum = frozen?.checksum?.slice(0, 12);
  return {
    ok: true,
    payoutId: payout.id,
    message: !paid
      ? t("finance:payoutRefusal.alreadyPaid")
      : !frozen
        ? t("finance:payoutRefusal.paidFurther", { amount, transfer: transferId ?? "-" })
        : transferId
          ? t("finance:payoutRefusal.paidTransfer", { amount, transfer: transferId, checksum })
          : t("finance:payoutRefusal.paid", { amount, checksum }),
  };
}

/**
 * The worker's part: approved payouts whose transfer waits for funds, tried again once their
 * `retry_after` passed. Each is claimed first (its retry_after pushed on), so two workers never
 * send the same one at once. Returns how many were tried.
 */
export async function retryWaitingTransfers(db: Db, stripe: Stripe, { now = new Date(), limit = 20 } = {}) {
  const due = await db
    .selectFrom("payouts")
    .select(["id", "retry_after"])
    .where("status", "=", "approved")
    .where("retry_after", "<=", now)
    .orderBy("retry_after")
    .limit(limit)
    .execute();
  let tried = 0;
  for (const p of due) {
    const claimed = await db
      .updateTable("payouts")
      .set({ retry_after: new Date(now.getTime() + FUNDS_RETRY_MS) })
      .where("id", "=", p.id)
      .where("status", "=", "approved")
      .where("retry_after", "=", p.retry_after)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    tried++;
    await completeTransfer(db, stripe, {
      payoutId: p.id,
      actorId: null,
      reason: "Funds became available: transfer retried by the worker",
    });
  }
  return tried;
}

/** Freezes the statement of a campaign whose money is final without a payout (not funded, cancelled). */
export async function freezeClosedStatement(
  db: Db,
  {
    campaignId,
    actorId,
    reason,
    ip,
    t = english,
  }: { campaignId: string; actorId: string; reason: string; ip?: string | null; t?: Translate },
): Promise<{ ok: true; message: string } | Refusal> {
  const settlement = await db
    .selectFrom("settlements")
    .select(["stage", "decision"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) return refuse(404, t("finance:payoutRefusal.notSettled"));
  if (settlement.stage !== "closed") return refuse(409, t("finance:payoutRefusal.stillSettling"));
  if (settlement.decision === "funded") return refuse(409, t("finance:payoutRefusal.fundedFreezes"));
  const built = await buildStatement(db, { campaignId });
  if (built && !built.frozen && built.statement.balanceCheck !== 0) {
    return refuse(409, t("finance:payoutRefusal.unbalanced"));
  }
  const frozen = await freezeStatement(db, { campaignId });
  await recordAudit(db, {
    actorId,
    action: "statement.frozen",
    subjectType: "campaign",
    subjectId: campaignId,
    reason,
    detail: { checksum: frozen.checksum },
    ip,
  });
  return { ok: true, message: t("finance:payoutRefusal.frozen", { checksum: frozen.checksum?.slice(0, 12) }) };
}

async function creatorEmailVerified(db: Db, { campaignId }: { campaignId: string }) {
  const row = await db
    .selectFrom("campaigns")
    .innerJoin("users", "users.id", "campaigns.creator_id")
    .select("users.email_verified_at")
    .where("campaigns.id", "=", campaignId)
    .executeTakeFirst();
  return Boolean(row?.email_verified_at);
}
