import fc from "fast-check";
import type { Collection, CurrencyCode, FundingModel, PledgeState } from "../../db/schema";
import {
  chargeKey,
  decideOutcome,
  graceEndsAt,
  nextRetryAt,
  planFromTallies,
  planSettlement,
  pledgeAction,
  refundKey,
  type CampaignAtDeadline,
  type PledgeAtDeadline,
  type PledgeStateTally,
} from "~/domain/settlement";

const campaign = (over: Partial<CampaignAtDeadline> = {}): CampaignAtDeadline => ({
  state: "live",
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
  goal: 10_000,
  currency: "usd",
  ...over,
});
const active = (...amounts: number[]): PledgeAtDeadline[] =>
  amounts.map((amount, i) => ({ id: `p${i}`, state: "active", amount }));

describe("the settlement decision", () => {
  // funding model × pledges at the deadline -> decision (cancelled is never funded)
  const table: [FundingModel, string, PledgeAtDeadline[], "funded" | "unfunded"][] = [
    ["all_or_nothing", "over the goal", active(6_000, 5_000), "funded"],
    ["all_or_nothing", "exactly at the goal", active(6_000, 4_000), "funded"],
    ["all_or_nothing", "one unit under the goal", active(6_000, 3_999), "unfunded"],
    ["all_or_nothing", "no pledges", [], "unfunded"],
    [
      "all_or_nothing",
      "cancelled pledges do not count",
      [...active(6_000), { id: "x", state: "cancelled", amount: 9_000 }],
      "unfunded",
    ],
    ["flexible", "one small pledge", active(100), "funded"],
    ["flexible", "no pledges", [], "unfunded"],
    ["flexible", "only abandoned checkouts", [{ id: "x", state: "abandoned", amount: 50_000 }], "unfunded"],
  ];
  for (const collection of ["at_deadline", "immediate"] as Collection[]) {
    for (const [fundingModel, label, pledges, expected] of table) {
      it(`${fundingModel}, ${collection}, ${label}: ${expected}`, () => {
        const c = campaign({ fundingModel, collection });
        expect(decideOutcome(c, pledges)).toBe(expected);
        const plan = planSettlement(c, pledges);
        const charged = pledges.filter((p) => p.state === "active").length;
        const action =
          expected === "funded"
            ? collection === "at_deadline"
              ? "charge"
              : "keep"
            : collection === "at_deadline"
              ? "release"
              : "refund";
        expect(plan.actions[action].count).toBe(charged);
      });
      it(`${fundingModel}, ${collection}, cancelled: released or refunded, never charged`, () => {
        const c = campaign({ fundingModel, collection, state: "cancelled" });
        const plan = planSettlement(c, active(50_000));
        expect(plan.decision).toBe("cancelled");
        expect(plan.actions.charge.count + plan.actions.keep.count).toBe(0);
        expect(plan.actions[collection === "at_deadline" ? "release" : "refund"]).toEqual({ count: 1, amount: 50_000 });
      });
    }
  }

  it("counts minor units the same way for JPY (no decimals) and USD (cents)", () => {
    expect(decideOutcome(campaign({ currency: "jpy", goal: 150_000 }), active(100_000, 50_000))).toBe("funded");
    expect(decideOutcome(campaign({ currency: "jpy", goal: 150_000 }), active(100_000, 49_999))).toBe("unfunded");
    expect(decideOutcome(campaign({ currency: "usd", goal: 150_000 }), active(149_999, 1))).toBe("funded");
  });

  it("acts only on active pledges", () => {
    const states: PledgeState[] = [
      "checkout",
      "abandoned",
      "cancelled",
      "collecting",
      "collected",
      "errored",
      "dropped",
      "released",
      "refunding",
      "refunded",
    ];
    for (const s of states) expect(pledgeAction("funded", "at_deadline", s)).toBe("none");
  });

  it("decides the same from per-state tallies as from every pledge", () => {
    const state = fc.constantFrom<PledgeState>("active", "active", "cancelled", "abandoned", "checkout");
    fc.assert(
      fc.property(
        fc.record({
          fundingModel: fc.constantFrom<FundingModel>("all_or_nothing", "flexible"),
          collection: fc.constantFrom<Collection>("at_deadline", "immediate"),
          currency: fc.constantFrom<CurrencyCode>("usd", "jpy"),
          goal: fc.integer({ min: 1, max: 1_000_000 }),
          cancelled: fc.boolean(),
        }),
        fc.array(fc.record({ state, amount: fc.integer({ min: 1, max: 100_000 }) }), { maxLength: 40 }),
        (c, raw) => {
          const pledges = raw.map((p, i) => ({ ...p, id: `p${i}` }));
          const at = campaign({ ...c, state: c.cancelled ? "cancelled" : "live" });
          const tallies = new Map<PledgeState, PledgeStateTally>();
          for (const p of pledges) {
            const t = tallies.get(p.state) ?? { state: p.state, count: 0, amount: 0 };
            t.count++;
            t.amount += p.amount;
            tallies.set(p.state, t);
          }
          expect(planFromTallies(at, [...tallies.values()])).toEqual(planSettlement(at, pledges));
        },
      ),
    );
  });
});

describe("grace and retries", () => {
  const decidedAt = new Date("2026-12-01T00:00:00Z");
  const grace = graceEndsAt({ decision: "funded", collection: "at_deadline", decidedAt, graceDays: 7 })!;

  it("only funded campaigns that charge at the deadline have a grace period", () => {
    expect(grace.toISOString()).toBe("2026-12-08T00:00:00.000Z");
    expect(graceEndsAt({ decision: "funded", collection: "immediate", decidedAt, graceDays: 7 })).toBeNull();
    expect(graceEndsAt({ decision: "unfunded", collection: "at_deadline", decidedAt, graceDays: 7 })).toBeNull();
  });

  it("retries after 1 day, then 3 days, then stops; never after grace", () => {
    const first = nextRetryAt({ attempt: 1, failedAt: decidedAt, graceEndsAt: grace })!;
    expect(first.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    const second = nextRetryAt({ attempt: 2, failedAt: first, graceEndsAt: grace })!;
    expect(second.toISOString()).toBe("2026-12-05T00:00:00.000Z");
    expect(nextRetryAt({ attempt: 3, failedAt: second, graceEndsAt: grace })).toBeNull();
    const short = graceEndsAt({ decision: "funded", collection: "at_deadline", decidedAt, graceDays: 2 })!;
    expect(nextRetryAt({ attempt: 2, failedAt: new Date("2026-12-02T00:00:00Z"), graceEndsAt: short })).toEqual(short);
  });

  it("derives idempotency keys from the pledge and the attempt", () => {
    expect(chargeKey("abc", 1)).toBe("colecta-charge-abc-1");
    expect(chargeKey("abc", 2)).not.toBe(chargeKey("abc", 1));
    expect(refundKey("abc", "unfunded")).toBe("colecta-refund-abc-unfunded");
  });
});
