import { refundEligibility, type RefundMoney } from "~/domain/refunds";
import { translatorFor } from "~/i18n";

const wording = { t: translatorFor("en"), locale: "en" } as const;

const charged: RefundMoney = { collected: 5000, refundable: 5000, pending: 0, chargeId: "ch_1" };

describe("refund eligibility", () => {
  it("lets finance refund a collected pledge up to what was collected", () => {
    expect(
      refundEligibility({ state: "collected", payoutStatus: null, currency: "usd", money: charged, wording }),
    ).toEqual({
      ok: true,
      max: 5000,
      afterPayout: false,
    });
  });

  it("refuses a pledge that was never charged", () => {
    expect(
      refundEligibility({ state: "released", payoutStatus: null, currency: "usd", money: charged, wording }),
    ).toMatchObject({
      ok: false,
      block: "state",
      message: "Only a charged pledge can be refunded; this one is released.",
    });
  });

  it("closes refunds while the payout is prepared or transferring, and opens them again once it is paid", () => {
    for (const payoutStatus of ["prepared", "approved", "failed"] as const) {
      expect(
        refundEligibility({ state: "collected", payoutStatus, currency: "usd", money: charged, wording }),
      ).toMatchObject({ ok: false, block: "payout_prepared" });
    }
    // Paid out: allowed, and the page says the money is recovered from the creator.
    expect(
      refundEligibility({ state: "collected", payoutStatus: "paid", currency: "usd", money: charged, wording }),
    ).toEqual({ ok: true, max: 5000, afterPayout: true });
  });

  it("never refunds more than collected minus refunded and in flight", () => {
    const money = { collected: 5000, refundable: 1000, pending: 2000, chargeId: "ch_1" };
    const base = { state: "partially_refunded", payoutStatus: null, currency: "usd", money, wording } as const;
    expect(refundEligibility({ ...base, amount: 1000 })).toEqual({ ok: true, max: 1000, afterPayout: false });
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
        wording,
      }),
    ).toMatchObject({ ok: false, block: "no_charge" });
  });

  it("words its refusals in the reader's language, with the amount as they write money", () => {
    const es = { t: translatorFor("es"), locale: "es" } as const;
    const money = { collected: 125_000, refundable: 123_450, pending: 0, chargeId: "ch_1" };
    expect(
      refundEligibility({
        state: "collected",
        payoutStatus: null,
        currency: "eur",
        money,
        amount: 200_000,
        wording: es,
      }),
    ).toMatchObject({
      ok: false,
      block: "over_limit",
      message: "Se pueden reembolsar como máximo 1.234,50\u00a0€ (lo cobrado menos lo ya reembolsado).",
    });
    expect(
      refundEligibility({ state: "partially_refunded", payoutStatus: "prepared", currency: "eur", money, wording: es }),
    ).toMatchObject({ block: "payout_prepared", message: expect.stringMatching(/./) });
    expect(
      refundEligibility({ state: "released", payoutStatus: null, currency: "eur", money, wording: es }),
    ).toMatchObject({ message: "Solo se puede reembolsar una aportación cobrada; esta está liberada." });
  });
});
