import fc from "fast-check";
import { sql } from "kysely";
import { bookCharge, bookDispute, bookPayout, bookPlatformFee, bookRefund } from "~/models/ledger.server";
import { pricePledge, type PricedAddOn } from "~/domain/pledge-rules";
import { buildLateStatement, buildStatement } from "~/services/finance/statement.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";

// Any sequence of money events keeps every journal transaction balanced (per currency, checked
// by the database) and the statement consistent: the balance check is zero and the payout due is
// collected - fees - refunds - disputes - platform fee - paid out, as a plain model computes it.
// Charges are whole pledges priced with add-ons and shipping; some are late pledges, whose money
// (and the fees, refunds, platform fee and payouts of it) is its own segment with its own
// statement, leaving the settlement's exactly as the model of the other events says.

const database = useTestDatabase();

type Op =
  | {
      kind: "charge";
      base: number;
      addOns: { price: number; quantity: number; surcharge: number }[];
      feeBps: number;
      late: boolean;
    }
  | { kind: "refund"; pledge: number; share: number }
  | { kind: "dispute"; pledge: number; fee: number }
  | { kind: "platform_fee"; share: number; late: boolean }
  | { kind: "payout"; share: number; late: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("charge" as const),
      base: fc.integer({ min: 100, max: 500_000 }),
      addOns: fc.array(
        fc.record({
          price: fc.integer({ min: 1, max: 100_000 }),
          quantity: fc.integer({ min: 0, max: 5 }),
          surcharge: fc.integer({ min: 0, max: 5_000 }),
        }),
        { maxLength: 3 },
      ),
      feeBps: fc.integer({ min: 0, max: 600 }),
      late: fc.boolean(),
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
      late: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("payout" as const),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      late: fc.boolean(),
    }),
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
          const empty = () => ({ collected: 0, fees: 0, refunded: 0, disputed: 0, platformFee: 0, paidOut: 0 });
          // The settlement's segment and the late pledges' one, each its own model.
          const models = { settled: empty(), late: empty() };
          const charges: Array<{ amount: number; out: number; late: boolean }> = [];
          const due = (m: ReturnType<typeof empty>) =>
            m.collected - m.fees - m.refunded - m.disputed - m.platformFee - m.paidOut;
          const modelOf = (late: boolean) => (late ? models.late : models.settled);
          for (const [i, o] of ops.entries()) {
            const id = `${run}_${i}`;
            if (o.kind === "charge") {
              // The charge is a whole pledge: reward + add-ons + their shipping, priced as checkout prices it.
              const tier = {
                id: "tier",
                title: "Tier",
                minimum_amount: 1,
                ships: true,
                shipping: [{ destination: "US", amount: 0 }],
              };
              const addOns: PricedAddOn[] = o.addOns.map((a, n) => ({
                id: `a${n}`,
                title: `Add-on ${n}`,
                price: a.price,
                ships: true,
                shipping: [{ destination: "US", amount: a.surcharge }],
                perBackerMax: null,
                left: null,
                tierIds: ["tier"],
              }));
              const price = pricePledge({
                currency,
                tier,
                amountInput: String(currency === "jpy" ? o.base : o.base / 100),
                destination: "US",
                addOns,
                addOnQuantities: Object.fromEntries(o.addOns.map((a, n) => [`a${n}`, String(a.quantity)])),
              });
              if (!price.ok) continue;
              const expected = o.base + o.addOns.reduce((sum, a) => sum + a.quantity * (a.price + a.surcharge), 0);
              expect(price.amount).toBe(expected);
              const amount = price.amount;
              const fee = Math.floor((amount * o.feeBps) / 10_000);
              await bookCharge(db, {
                ...base,
                amount,
                fee,
                paymentIntentId: `pi_${id}`,
                chargeId: `ch_${id}`,
                balanceTransactionId: `txn_${id}`,
                late: o.late,
              });
              charges.push({ amount, out: 0, late: o.late });
              modelOf(o.late).collected += amount;
              modelOf(o.late).fees += fee;
            } else if (o.kind === "refund" && charges.length > 0) {
              const charge = charges[o.pledge % charges.length]!;
              const amount = Math.floor((charge.amount - charge.out) * o.share);
              if (amount <= 0) continue;
              await bookRefund(db, { ...base, amount, refundId: `re_${id}`, late: charge.late });
              charge.out += amount;
              modelOf(charge.late).refunded += amount;
            } else if (o.kind === "dispute" && charges.length > 0) {
              const charge = charges[o.pledge % charges.length]!;
              const amount = charge.amount - charge.out;
              if (amount <= 0) continue;
              await bookDispute(db, { ...base, amount, fee: o.fee, disputeId: `dp_${id}`, late: charge.late });
              charge.out += amount;
              modelOf(charge.late).disputed += amount + o.fee;
            } else if (o.kind === "platform_fee") {
              const amount = Math.floor(Math.max(0, due(modelOf(o.late))) * o.share);
              if (amount <= 0) continue;
              await bookPlatformFee(db, { ...base, amount, payoutId: `po_${id}`, late: o.late });
              modelOf(o.late).platformFee += amount;
            } else if (o.kind === "payout") {
              const amount = Math.floor(Math.max(0, due(modelOf(o.late))) * o.share);
              if (amount <= 0) continue;
              await bookPayout(db, { ...base, amount, transferId: `tr_${id}`, late: o.late });
              modelOf(o.late).paidOut += amount;
            }
          }
          const unbalanced = await sql<{ transaction_id: number }>`
          select l.transaction_id from journal_lines l where l.campaign_id = ${campaign.id}
          group by l.transaction_id, l.currency having sum(l.amount) <> 0`.execute(db);
          expect(unbalanced.rows).toEqual([]);
          for (const [segment, built] of [
            ["settled", await buildStatement(db, { campaignId: campaign.id })],
            ["late", await buildLateStatement(db, { campaignId: campaign.id })],
          ] as const) {
            const model = models[segment];
            const statement = built!.statement;
            expect(statement.balanceCheck, segment).toBe(0);
            expect(statement, segment).toMatchObject({
              collected: model.collected,
              stripeFees: model.fees,
              refunded: model.refunded,
              disputed: model.disputed,
              platformFee: model.platformFee,
              paidOut: model.paidOut,
            });
            expect(statement.payoutDue, segment).toBe(due(model));
          }
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
