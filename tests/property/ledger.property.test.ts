import fc from "fast-check";
import { sql } from "kysely";
import { bookCharge, bookDispute, bookPayout, bookPlatformFee, bookRefund } from "~/models/ledger.server";
import { buildStatement } from "~/services/finance/statement.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";

// Any sequence of money events keeps every journal transaction balanced (per currency, checked
// by the database) and the statement consistent: the balance check is zero and the payout due is
// collected - fees - refunds - disputes - platform fee - paid out, as a plain model computes it.

const database = useTestDatabase();

type Op =
  | { kind: "charge"; amount: number; feeBps: number }
  | { kind: "refund"; pledge: number; share: number }
  | { kind: "dispute"; pledge: number; fee: number }
  | { kind: "platform_fee"; share: number }
  | { kind: "payout"; share: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("charge" as const),
      amount: fc.integer({ min: 50, max: 2_000_000 }),
      feeBps: fc.integer({ min: 0, max: 600 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      pledge: fc.nat(),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("dispute" as const),
      pledge: fc.nat(),
      fee: fc.integer({ min: 0, max: 1_500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("platform_fee" as const),
      share: fc.double({ min: 0, max: 0.2, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("payout" as const), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
);

let run = 0;

describe("the ledger under any sequence of money events", () => {
  it("balances every transaction and keeps the statement consistent", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creator");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("usd" as const, "jpy" as const),
        fc.array(op, { minLength: 1, maxLength: 25 }),
        async (currency, ops) => {
          run++;
          const campaign = await db
            .insertInto("campaigns")
            .values({
              creator_id: creator.id,
              slug: `prop-${run}-${Date.now()}`,
              title: "Property",
              category: "technology",
              goal_amount: 1,
              currency,
              state: "funded",
              deadline: new Date(Date.now() - 86_400_000),
              launched_at: new Date(Date.now() - 30 * 86_400_000),
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await db
            .insertInto("settlements")
            .values({
              campaign_id: campaign.id,
              decision: "funded",
              stage: "closed",
              currency,
              pledged_at_deadline: 0,
              pledges_at_deadline: 0,
            })
            .execute();
          const base = { campaignId: campaign.id, currency };
          const model = { collected: 0, fees: 0, refunded: 0, disputed: 0, platformFee: 0, paidOut: 0 };
          const charges: Array<{ amount: number; out: number }> = [];
          const due = () =>
            model.collected - model.fees - model.refunded - model.disputed - model.platformFee - model.paidOut;
          for (const [i, o] of ops.entries()) {
            const id = `${run}_${i}`;
            if (o.kind === "charge") {
              const fee = Math.floor((o.amount * o.feeBps) / 10_000);
              await bookCharge(db, {
                ...base,
                amount: o.amount,
                fee,
                paymentIntentId: `pi_${id}`,
                chargeId: `ch_${id}`,
                balanceTransactionId: `txn_${id}`,
              });
              charges.push({ amount: o.amount, out: 0 });
              model.collected += o.amount;
              model.fees += fee;
            } else if (o.kind === "refund" && charges.length > 0) {
              const charge = charges[o.pledge % charges.length]!;
              const amount = Math.floor((charge.amount - charge.out) * o.share);
              if (amount <= 0) continue;
              await bookRefund(db, { ...base, amount, refundId: `re_${id}` });
              charge.out += amount;
              model.refunded += amount;
            } else if (o.kind === "dispute" && charges.length > 0) {
              const charge = charges[o.pledge % charges.length]!;
              const amount = charge.amount - charge.out;
              if (amount <= 0) continue;
              await bookDispute(db, { ...base, amount, fee: o.fee, disputeId: `dp_${id}` });
              charge.out += amount;
              model.disputed += amount + o.fee;
            } else if (o.kind === "platform_fee") {
              const amount = Math.floor(Math.max(0, due()) * o.share);
              if (amount <= 0) continue;
              await bookPlatformFee(db, { ...base, amount, payoutId: `po_${id}` });
              model.platformFee += amount;
            } else if (o.kind === "payout") {
              const amount = Math.floor(Math.max(0, due()) * o.share);
              if (amount <= 0) continue;
              await bookPayout(db, { ...base, amount, transferId: `tr_${id}` });
              model.paidOut += amount;
            }
          }
          const unbalanced = await sql<{ transaction_id: number }>`
          select l.transaction_id from journal_lines l where l.campaign_id = ${campaign.id}
          group by l.transaction_id, l.currency having sum(l.amount) <> 0`.execute(db);
          expect(unbalanced.rows).toEqual([]);
          const statement = (await buildStatement(db, { campaignId: campaign.id }))!.statement;
          expect(statement.balanceCheck).toBe(0);
          expect(statement).toMatchObject({
            collected: model.collected,
            stripeFees: model.fees,
            refunded: model.refunded,
            disputed: model.disputed,
            platformFee: model.platformFee,
            paidOut: model.paidOut,
          });
          expect(statement.payoutDue).toBe(due());
        },
      ),
      { numRuns: 50 },
    );
    // And across the whole journal, every transaction balances per currency.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (select transaction_id from journal_lines group by transaction_id, currency having sum(amount) <> 0) t`.execute(
      db,
    );
    expect(rows[0]!.n).toBe(0);
  }, 120_000);
});
