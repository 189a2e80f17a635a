import { refundEligibility, type RefundMoney } from "~/domain/refunds";

const charged: RefundMoney = { collected: 5000, refundable: 5000, pending: 0, chargeId: "ch_1" };

describe("refund eligibility", () => {
  it("lets finance refund a collected pledge up to what was collected", () => {
    expect(refundEligibility({ state: "collected", payoutStatus: null, currency: "usd", money: charged })).toEqual({
      ok: true,
      max: 5000,
    });
  });

  it("refuses a pledge that was never charged", () => {
    expect(refundEligibility({ state: "released", payoutStatus: null, currency: "usd", money: charged })).toMatchObject(
      { ok: false, block: "state", message: "Only a charged pledge can be refunded; this one is released." },
    );
  });

  it("closes refunds once the payout is prepared or paid", () => {
    for (const [payoutStatus, block] of [
      ["prepared", "payout_prepared"],
      ["approved", "payout_prepared"],
      ["paid", "paid_out"],
    ] as const) {
      expect(refundEligibility({ state: "collected", payoutStatus, currency: "usd", money: charged })).toMatchObject({
        ok: false,
        block,
      });
    }
  });

  it("never refunds more than collected minus refunded and in flight", () => {
    const money = { collected: 5000, refundable: 1000, pending: 2000, chargeId: "ch_1" };
    const base = { state: "partially_refunded", payoutStatus: null, currency: "usd", money } as const;
    expect(refundEligibility({ ...base, amount: 1000 })).toEqual({ ok: true, max: 1000 });
    expect(refundEligibility({ ...base, amount: 1001 })).toMatchObject({
      ok: false,
      block: "over_limit",
      message: "At most $10.00 can be refunded (collected minus what was already refunded or is being refunded).",
    });
    expect(refundEligibility({ ...base, money: { ...money, refundable: 0 } })).toMatchObject({
      ok: false,
      block: "nothing_left",
    });
  });

  it("refuses when no charge is booked", () => {
    expect(
      refundEligibility({
        state: "collected",
        payoutStatus: null,
        currency: "usd",
        money: { ...charged, chargeId: null },
      }),
    ).toMatchObject({ ok: false, block: "no_charge" });
  });
});
