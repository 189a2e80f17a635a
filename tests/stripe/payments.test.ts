// Contract: customers, payment methods and test cards, SetupIntents, PaymentIntents, charges,
// balance transactions, refunds and disputes, through the official SDK.

import type Stripe from "stripe";
import { emulatorOnly, useTarget } from "../support/stripe";
import { eventually, stripeError } from "./support.js";

const target = await useTarget();
const { stripe } = target;

async function customerWith(pmToken: string): Promise<{ customer: Stripe.Customer; pm: Stripe.PaymentMethod }> {
  const customer = await stripe.customers.create({ email: "backer@example.com", metadata: { pledge_id: "p_1" } });
  const pm = await stripe.paymentMethods.attach(pmToken, { customer: customer.id });
  return { customer, pm };
}

function chargeOffSession(
  customer: string,
  pm: string,
  amount = 2500,
  extra: Partial<Stripe.PaymentIntentCreateParams> = {},
) {
  return stripe.paymentIntents.create({
    amount,
    currency: "usd",
    customer,
    payment_method: pm,
    confirm: true,
    off_session: true,
    metadata: { pledge_id: "p_1", attempt: "1" },
    ...extra,
  });
}

describe("customers", () => {
  it("creates, retrieves, updates and lists with Stripe's shapes", async () => {
    const c = await stripe.customers.create({ email: "x@example.com", name: "X", metadata: { user_id: "42" } });
    expect(c).toMatchObject({
      object: "customer",
      email: "x@example.com",
      livemode: false,
      metadata: { user_id: "42" },
    });
    expect(c.id).toMatch(/^cus_/);
    expect(typeof c.created).toBe("number");
    const updated = await stripe.customers.update(c.id, { name: "Y", metadata: { user_id: "", extra: "1" } });
    expect(updated.name).toBe("Y");
    expect(updated.metadata).toEqual({ extra: "1" });
    expect((await stripe.customers.retrieve(c.id)).id).toBe(c.id);
    const list = await stripe.customers.list({ email: "x@example.com", limit: 100 });
    expect(list.object).toBe("list");
    expect(list.data.map((d) => d.id)).toContain(c.id);
  });
});

describe("payment methods and test cards", () => {
  it("materialises pm_card_* shortcuts as real pm_ objects when attached", async () => {
    const { customer, pm } = await customerWith("pm_card_visa");
    expect(pm.id).toMatch(/^pm_/);
    expect(pm.id).not.toBe("pm_card_visa");
    expect(pm.customer).toBe(customer.id);
    expect(pm.card).toMatchObject({ brand: "visa", last4: "4242" });
    const listed = await stripe.customers.listPaymentMethods(customer.id, { type: "card" });
    expect(listed.data.map((p) => p.id)).toEqual([pm.id]);
    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
  });

  it("refuses 4000000000000002 already at attach, with card_declined / generic_decline", async () => {
    const customer = await stripe.customers.create({});
    const err = await stripeError(
      stripe.paymentMethods.attach("pm_card_visa_chargeDeclined", { customer: customer.id }),
    );
    expect(err.type).toBe("StripeCardError");
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe("card_declined");
    expect(err.decline_code).toBe("generic_decline");
  });

  emulatorOnly("raw card numbers (Stripe refuses raw numbers without special enablement)", () => {
    it("creates cards from test numbers and validates number, expiry and CVC", async () => {
      const pm = await stripe.paymentMethods.create({
        type: "card",
        card: { number: "4000000000000341", exp_month: 12, exp_year: 2034, cvc: "123" },
      });
      expect(pm.card?.last4).toBe("0341");
      const bad = await stripeError(
        stripe.paymentMethods.create({
          type: "card",
          card: { number: "4242424242424241", exp_month: 12, exp_year: 2034 },
        }),
      );
      expect(bad.statusCode).toBe(402);
      expect(bad.code).toBe("incorrect_number");
      expect(bad.param).toBe("card[number]");
      const invalid = await stripeError(
        stripe.paymentMethods.create({ type: "card", card: { number: "1234", exp_month: 12, exp_year: 2034 } }),
      );
      expect(invalid.code).toBe("invalid_number");
      const expired = await stripeError(
        stripe.paymentMethods.create({
          type: "card",
          card: { number: "4242424242424242", exp_month: 1, exp_year: 2020 },
        }),
      );
      expect(expired.code).toBe("invalid_expiry_year");
      const cvc = await stripeError(
        stripe.paymentMethods.create({
          type: "card",
          card: { number: "4242424242424242", exp_month: 1, exp_year: 2040, cvc: "12" },
        }),
      );
      expect(cvc.code).toBe("invalid_cvc");
    });
  });
});

describe("off-session PaymentIntents (settlement)", () => {
  it("pm_card_chargeCustomerFail attaches, then the off-session charge fails with 402 card_declined", async () => {
    const { customer, pm } = await customerWith("pm_card_chargeCustomerFail");
    const err = await stripeError(chargeOffSession(customer.id, pm.id));
    expect(err.type).toBe("StripeCardError");
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe("card_declined");
    const failed = err.payment_intent!;
    expect(failed.id).toMatch(/^pi_/);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.code).toBe("card_declined");
    const stored = await stripe.paymentIntents.retrieve(failed.id);
    expect(stored.status).toBe("requires_payment_method");
    expect(stored.last_payment_error?.decline_code).toBe("generic_decline");
    expect(stored.metadata).toEqual({ pledge_id: "p_1", attempt: "1" });
  });

  it("pm_card_visa succeeds with a charge whose balance transaction carries the 2.9% + 30 fee", async () => {
    const { customer, pm } = await customerWith("pm_card_visa");
    const pi = await chargeOffSession(customer.id, pm.id, 2500);
    expect(pi.status).toBe("succeeded");
    expect(pi.amount_received).toBe(2500);
    const full = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge.balance_transaction"] });
    const charge = full.latest_charge as Stripe.Charge;
    expect(charge.id).toMatch(/^ch_/);
    expect(charge).toMatchObject({
      status: "succeeded",
      paid: true,
      amount: 2500,
      payment_intent: pi.id,
      customer: customer.id,
    });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(txn.id).toMatch(/^txn_/);
    expect(txn.amount).toBe(2500);
    expect(txn.fee).toBe(Math.round(2500 * 0.029) + 30);
    expect(txn.net).toBe(2500 - txn.fee);
    expect(txn.fee_details[0]).toMatchObject({ type: "stripe_fee", amount: txn.fee });
    const charges = await stripe.charges.list({ payment_intent: pi.id });
    expect(charges.data.map((c) => c.id)).toEqual([charge.id]);
    expect((await stripe.balanceTransactions.retrieve(txn.id)).source).toBe(charge.id);
  });

  it("declines for insufficient funds with decline_code insufficient_funds", async () => {
    const { customer, pm } = await customerWith("pm_card_visa_chargeDeclinedInsufficientFunds");
    const err = await stripeError(chargeOffSession(customer.id, pm.id));
    expect(err.code).toBe("card_declined");
    expect(err.decline_code).toBe("insufficient_funds");
    expect(err.message).toBe("Your card has insufficient funds.");
  });

  it("4000002760003184 fails off-session with authentication_required, requires_action on-session", async () => {
    const { customer, pm } = await customerWith("pm_card_authenticationRequired");
    const err = await stripeError(chargeOffSession(customer.id, pm.id));
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe("authentication_required");
    expect(err.payment_intent?.status).toBe("requires_payment_method");
    const onSession = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      return_url: "https://example.com/return",
    });
    expect(onSession.status).toBe("requires_action");
    expect(onSession.next_action?.type).toBeTruthy();
  });

  it("4000002500003155 needs 3DS to set up, then charges off-session without it", async () => {
    const customer = await stripe.customers.create({});
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_authenticationRequiredOnSetup",
      confirm: true,
      usage: "off_session",
      allowed_payment_method_types: ["card"],
      return_url: "https://example.com/return",
    });
    expect(si.status).toBe("requires_action");
    if (target.kind !== "emulator") return; // completing 3DS needs a browser on real Stripe
    const challenge = si.next_action!.redirect_to_url!.url!;
    const res = await fetch(challenge, {
      method: "POST",
      body: new URLSearchParams({ outcome: "complete" }),
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("redirect_status=succeeded");
    const done = await stripe.setupIntents.retrieve(si.id);
    expect(done.status).toBe("succeeded");
    const pi = await chargeOffSession(customer.id, done.payment_method as string);
    expect(pi.status).toBe("succeeded");
  });

  it("a pm that skipped the authenticated setup (3155) still fails off-session", async () => {
    const { customer, pm } = await customerWith("pm_card_authenticationRequiredOnSetup");
    const err = await stripeError(chargeOffSession(customer.id, pm.id));
    expect(err.code).toBe("authentication_required");
  });

  it("lists PaymentIntents by customer and cancels an unconfirmed one", async () => {
    const customer = await stripe.customers.create({});
    const pi = await stripe.paymentIntents.create({
      amount: 700,
      currency: "eur",
      customer: customer.id,
      allowed_payment_method_types: ["card"],
    });
    expect(pi.status).toBe("requires_payment_method");
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "abandoned" });
    expect(canceled.status).toBe("canceled");
    const list = await stripe.paymentIntents.list({ customer: customer.id });
    expect(list.data.map((p) => p.id)).toEqual([pi.id]);
    const again = await stripeError(stripe.paymentIntents.cancel(pi.id));
    expect(again.code).toBe("payment_intent_unexpected_state");
  });

  it("accepts zero-decimal currencies and validates amounts", async () => {
    const { customer, pm } = await customerWith("pm_card_visa");
    const yen = await stripe.paymentIntents.create({
      amount: 5000,
      currency: "jpy",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    expect(yen).toMatchObject({ status: "succeeded", amount: 5000, currency: "jpy" });
    const tooSmall = await stripeError(stripe.paymentIntents.create({ amount: 0, currency: "usd" }));
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.param).toBe("amount");
    const badCurrency = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: "zzz" }));
    expect(badCurrency.param).toBe("currency");
  });
});

describe("setup intents", () => {
  it("saves a card and attaches it to the customer", async () => {
    const customer = await stripe.customers.create({});
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      usage: "off_session",
      allowed_payment_method_types: ["card"],
      metadata: { pledge_id: "p_9" },
    });
    expect(si.id).toMatch(/^seti_/);
    expect(si.status).toBe("succeeded");
    expect(si.metadata).toEqual({ pledge_id: "p_9" });
    const expanded = await stripe.setupIntents.retrieve(si.id, { expand: ["payment_method"] });
    expect((expanded.payment_method as Stripe.PaymentMethod).customer).toBe(customer.id);
  });

  it("reports a declined setup as a 402 and keeps last_setup_error", async () => {
    const customer = await stripe.customers.create({});
    const err = await stripeError(
      stripe.setupIntents.create({
        customer: customer.id,
        payment_method: "pm_card_visa_chargeDeclined",
        confirm: true,
        allowed_payment_method_types: ["card"],
      }),
    );
    expect(err.code).toBe("card_declined");
    expect(err.setup_intent?.status).toBe("requires_payment_method");
    expect(err.setup_intent?.last_setup_error?.code).toBe("card_declined");
  });

  it("refuses payment_method_types, removed in API version 2026-10-28.endive (allowed_payment_method_types replaces it)", async () => {
    const err = await stripeError(
      stripe.setupIntents.create({ payment_method_types: ["card"] } as Stripe.SetupIntentCreateParams),
    );
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe("payment_method_types");
    const si = await stripe.setupIntents.create({ allowed_payment_method_types: ["card"] });
    expect(si.allowed_payment_method_types).toEqual(["card"]);
  });

  it("cancels", async () => {
    const si = await stripe.setupIntents.create({ allowed_payment_method_types: ["card"] });
    expect((await stripe.setupIntents.cancel(si.id)).status).toBe("canceled");
  });
});

describe("refunds", () => {
  it("refunds partially then fully, writing negative balance transactions, and refuses more", async () => {
    const { customer, pm } = await customerWith("pm_card_visa");
    const pi = await chargeOffSession(customer.id, pm.id, 3000);
    const partial = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: "requested_by_customer",
      metadata: { pledge_id: "p_1" },
    });
    expect(partial).toMatchObject({ object: "refund", amount: 1000, status: "succeeded", payment_intent: pi.id });
    expect(partial.id).toMatch(/^re_/);
    const txn = await stripe.balanceTransactions.retrieve(partial.balance_transaction as string);
    expect(txn.amount).toBe(-1000);
    expect(txn.type).toBe("refund");
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.amount_refunded).toBe(1000);
    expect(charge.refunded).toBe(false);

    const tooMuch = await stripeError(stripe.refunds.create({ payment_intent: pi.id, amount: 5000 }));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.type).toBe("StripeInvalidRequestError");

    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(2000);
    charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.refunded).toBe(true);
    const again = await stripeError(stripe.refunds.create({ payment_intent: pi.id }));
    expect(again.code).toBe("charge_already_refunded");

    const list = await stripe.refunds.list({ payment_intent: pi.id });
    expect(list.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
  });

  it("pm_card_refundFail: the refund starts succeeded and fails later", async () => {
    const { customer, pm } = await customerWith("pm_card_refundFail");
    const pi = await chargeOffSession(customer.id, pm.id, 1500);
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe("succeeded");
    const failed = await eventually(async () => {
      const r = await stripe.refunds.retrieve(refund.id);
      return r.status === "failed" ? r : null;
    }, 60_000);
    expect(failed.failure_reason).toBeTruthy();
  });
});

describe("disputes", () => {
  it("4000000000000259 succeeds, then a fraudulent dispute opens with a fee", async () => {
    const { customer, pm } = await customerWith("pm_card_createDispute");
    const pi = await chargeOffSession(customer.id, pm.id, 4000);
    expect(pi.status).toBe("succeeded");
    const dispute = await eventually(
      async () => (await stripe.disputes.list({ payment_intent: pi.id })).data[0],
      60_000,
    );
    expect(dispute.id).toMatch(/^dp_/);
    expect(dispute).toMatchObject({
      amount: 4000,
      charge: pi.latest_charge,
      status: "needs_response",
      reason: "fraudulent",
    });
    expect(dispute.balance_transactions[0]).toMatchObject({ amount: -4000, fee: 1500 });
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).disputed).toBe(true);
    expect((await stripe.disputes.retrieve(dispute.id)).id).toBe(dispute.id);
    const event = await eventually(async () =>
      (await stripe.events.list({ type: "charge.dispute.created", limit: 20 })).data.find(
        (e) => (e.data.object as Stripe.Dispute).id === dispute.id,
      ),
    );
    expect(event.type).toBe("charge.dispute.created");
  });
});
