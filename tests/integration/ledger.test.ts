import { sql } from "kysely";
import { bookCharge, bookPayout, bookPlatformFee, bookRefund, journalSums, postJournal } from "~/models/ledger.server";
import { computeStatement } from "~/domain/statement";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";

const database = useTestDatabase();

async function campaign() {
  const { db } = database();
  const creator = await makeUser(db);
  return makeLiveCampaign(db, { creatorId: creator.id });
}

describe("the journal", () => {
  it("books a charge, its fee, a refund, the platform fee and the payout, balancing to zero", async () => {
    const { db } = database();
    const c = await campaign();
    const base = { campaignId: c.id, currency: "usd" as const };
    await bookCharge(db, {
      ...base,
      amount: 10_000,
      fee: 320,
      paymentIntentId: "pi_1",
      chargeId: "ch_1",
      balanceTransactionId: "txn_1",
    });
    await bookCharge(db, {
      ...base,
      amount: 5_000,
      fee: 175,
      paymentIntentId: "pi_2",
      chargeId: "ch_2",
      balanceTransactionId: "txn_2",
    });
    await bookRefund(db, { ...base, amount: 2_000, refundId: "re_1" });
    await bookPlatformFee(db, { ...base, amount: 650, payoutId: "po_1" });
    const due = 15_000 - 495 - 2_000 - 650;
    await bookPayout(db, { ...base, amount: due, transferId: "tr_1" });
    const statement = computeStatement({
      currency: "usd",
      pledgedAtDeadline: 15_000,
      pledgesAtDeadline: 2,
      sums: await journalSums(db, { campaignId: c.id }),
      tallies: [],
    });
    expect(statement).toMatchObject({
      collected: 15_000,
      stripeFees: 495,
      refunded: 2_000,
      platformFee: 650,
      paidOut: due,
      payoutDue: 0,
      balanceCheck: 0,
    });
    const { rows } = await sql<{
      total: number;
    }>`select coalesce(sum(amount), 0)::bigint as total from journal_lines`.execute(db);
    expect(Number(rows[0]!.total)).toBe(0);
  });

  it("books each money event once, however often it is replayed", async () => {
    const { db } = database();
    const c = await campaign();
    const charge = {
      campaignId: c.id,
      currency: "usd" as const,
      amount: 1_000,
      fee: 59,
      paymentIntentId: "pi_dup",
      chargeId: "ch_dup",
      balanceTransactionId: "txn_dup",
    };
    expect(await bookCharge(db, charge)).toBe(true);
    expect(await bookCharge(db, charge)).toBe(false);
    const sums = await journalSums(db, { campaignId: c.id });
    expect(sums["charge:stripe_balance"]).toBe(1_000);
    expect(sums["stripe_fee:processing_fees"]).toBe(59);
  });

  it("refuses an unbalanced transaction, even written by hand in SQL", async () => {
    const { db } = database();
    const c = await campaign();
    await expect(
      postJournal(db, {
        kind: "charge",
        campaignId: c.id,
        currency: "usd",
        idempotencyKey: "lopsided",
        lines: [
          { account: "stripe_balance", amount: 100 },
          { account: "backer_funds_held", amount: -99 },
        ],
      }),
    ).rejects.toThrow(/does not balance/);
    await expect(
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: number }>`
          insert into journal_transactions (kind, campaign_id, idempotency_key) values ('refund', ${c.id}, 'by-hand') returning id`.execute(
          trx,
        );
        await sql`insert into journal_lines (transaction_id, account_code, amount, currency, campaign_id)
                  values (${rows[0]!.id}, 'refunds', 500, 'usd', ${c.id})`.execute(trx);
      }),
    ).rejects.toThrow(/does not balance/);
    expect(
      await db.selectFrom("journal_transactions").select("id").where("campaign_id", "=", c.id).execute(),
    ).toHaveLength(0);
  });

  it("balances per currency, and is append-only", async () => {
    const { db } = database();
    const c = await campaign();
    await expect(
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{
          id: number;
        }>`insert into journal_transactions (kind, campaign_id, idempotency_key) values ('charge', ${c.id}, 'fx') returning id`.execute(
          trx,
        );
        await sql`insert into journal_lines (transaction_id, account_code, amount, currency, campaign_id) values
          (${rows[0]!.id}, 'stripe_balance', 100, 'usd', ${c.id}), (${rows[0]!.id}, 'backer_funds_held', -100, 'eur', ${c.id})`.execute(
          trx,
        );
      }),
    ).rejects.toThrow(/does not balance/);
    await bookRefund(db, { campaignId: c.id, currency: "usd", amount: 100, refundId: "re_locked" });
    await expect(sql`update journal_lines set amount = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_transactions`.execute(db)).rejects.toThrow(/append-only/);
  });
});
