// Contract: Stripe refuses a parameter the endpoint does not take (top level or nested, a typo or
// one a newer API version retired) and an `expand[]` path it cannot expand, with a 400 naming it,
// and the refused request does nothing. Runs against real Stripe test mode too
// (STRIPE_SECRET_KEY=sk_test_...): the SDK's types would catch these typos, so they are cast.

import type Stripe from "stripe";
import { emulatorOnly, useTarget } from "../support/stripe";
import { rawApi, stripeError } from "./support.js";

const target = await useTarget();
const { stripe } = target;

const page = "https://example.com/colecta";

/** Parameters as the SDK's types would refuse them: what a typo in JavaScript sends. */
const loose = <T>(params: Record<string, unknown>) => params as T;

function paymentSession(customer: string, extra: Record<string, unknown> = {}) {
  return stripe.checkout.sessions.create(
    loose<Stripe.Checkout.SessionCreateParams>({
      mode: "payment",
      customer,
      line_items: [
        { quantity: 1, price_data: { currency: "usd", unit_amount: 2500, product_data: { name: "Early bird kiln" } } },
      ],
      payment_intent_data: { metadata: { pledge_id: "p_1" } },
      success_url: `${page}/ok?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${page}/cancel`,
      ...extra,
    }),
  );
}

async function sessionsOf(customer: string) {
  return (await stripe.checkout.sessions.list({ customer, limit: 10 })).data;
}

describe("unknown parameters", () => {
  it("refuses an unknown top-level parameter with parameter_unknown, creating nothing", async () => {
    const customer = await stripe.customers.create({});
    const err = await stripeError(paymentSession(customer.id, { sucess_url: `${page}/ok` }));
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe("StripeInvalidRequestError");
    expect(err.code).toBe("parameter_unknown");
    expect(err.param).toBe("sucess_url");
    expect(err.message).toContain("Received unknown parameter: sucess_url");
    expect(err.raw).toMatchObject({
      type: "invalid_request_error",
      doc_url: expect.stringContaining("parameter-unknown"),
    });
    expect(await sessionsOf(customer.id)).toEqual([]);
  });

  it("names a nested unknown parameter in full, brackets and list index included", async () => {
    const customer = await stripe.customers.create({});
    const nested = await stripeError(
      paymentSession(customer.id, {
        line_items: [
          { quantity: 1, price_data: { currency: "usd", unit_amount: 2500, product_data: { nam: "Kiln" } } },
        ],
      }),
    );
    expect(nested.statusCode).toBe(400);
    expect(nested.code).toBe("parameter_unknown");
    expect(nested.param).toBe("line_items[0][price_data][product_data][nam]");
    expect(nested.message).toContain("Received unknown parameter: line_items[0][price_data][product_data][nam]");

    const inIntentData = await stripeError(
      paymentSession(customer.id, { payment_intent_data: { metadata: { pledge_id: "p_1" }, foo: "bar" } }),
    );
    expect(inIntentData.code).toBe("parameter_unknown");
    expect(inIntentData.param).toBe("payment_intent_data[foo]");
    expect(await sessionsOf(customer.id)).toEqual([]);
  });

  it("refuses a misspelt parameter on a create and on a list filter; the PaymentIntent is not made", async () => {
    const customer = await stripe.customers.create({});
    const pi = await stripeError(
      stripe.paymentIntents.create(
        loose<Stripe.PaymentIntentCreateParams>({
          amount: 2000,
          currency: "usd",
          customer: customer.id,
          descripton: "Pledge to the kiln",
        }),
      ),
    );
    expect(pi.code).toBe("parameter_unknown");
    expect(pi.param).toBe("descripton");
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toEqual([]);

    const list = await stripeError(
      stripe.customers.list(loose<Stripe.CustomerListParams>({ emails: "a@example.com" })),
    );
    expect(list.statusCode).toBe(400);
    expect(list.code).toBe("parameter_unknown");
    expect(list.param).toBe("emails");
  });

  it("takes any metadata key, at the top and nested, and expand[] on every endpoint", async () => {
    const customer = await stripe.customers.create({ metadata: { anything_at_all: "1", "with-dash": "2" } });
    expect(customer.metadata).toEqual({ anything_at_all: "1", "with-dash": "2" });
    const session = await paymentSession(customer.id, {
      payment_intent_data: { metadata: { whatever_we_like: "x" } },
      expand: ["customer"],
    });
    expect((session.customer as Stripe.Customer).id).toBe(customer.id);
    const listed = await stripe.checkout.sessions.list({ customer: customer.id, expand: ["data.customer"] });
    expect(listed.data.map((s) => s.id)).toEqual([session.id]);
  });

  it("refuses an expand[] path the object cannot expand, before doing anything", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const err = await stripeError(
      stripe.paymentIntents.create({
        amount: 2000,
        currency: "usd",
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
        expand: ["latest_chrage.balance_transaction"],
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe("StripeInvalidRequestError");
    expect(err.param).toBe("expand");
    // Nothing charged: no PaymentIntent for the customer.
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toEqual([]);
  });

  it("keeps the idempotency key of a refused request free: the corrected retry runs", async () => {
    const customer = await stripe.customers.create({});
    const key = `colecta-unknown-${Date.now()}`;
    const refused = await stripeError(
      stripe.customers.update(customer.id, loose<Stripe.CustomerUpdateParams>({ nmae: "Ada" }), {
        idempotencyKey: key,
      }),
    );
    expect(refused.param).toBe("nmae");
    const updated = await stripe.customers.update(customer.id, { name: "Ada" }, { idempotencyKey: key });
    expect(updated.name).toBe("Ada");
  });
});

emulatorOnly("unknown parameters (emulator)", () => {
  it("lists every unknown parameter of a request; param names the first", async () => {
    const res = await rawApi(target.emulator!, "POST", "/v1/customers", {
      body: "emial=a%40example.com&metadata[ok]=1&address[cty]=Lima&expand[]=default_source",
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_unknown",
      param: "emial",
      message: "Received unknown parameters: emial, address[cty]",
      doc_url: "https://stripe.com/docs/error-codes/parameter-unknown",
    });
  });

  it("refuses an unknown parameter on the routes added for issue 17 (balance, reversals, dispute evidence)", async () => {
    const emu = target.emulator!;
    const balance = await rawApi(emu, "GET", "/v1/balance?currency=usd");
    expect(balance.json.error).toMatchObject({ code: "parameter_unknown", param: "currency" });
    const reversal = await rawApi(emu, "POST", "/v1/transfers/tr_missing/reversals", { body: "amount=1&reason=x" });
    expect(reversal.json.error).toMatchObject({ code: "parameter_unknown", param: "reason" });
    const evidence = await rawApi(emu, "POST", "/v1/disputes/dp_missing", {
      body: "evidence[uncategorized_text]=ok&evidence[shipping_tracking_numbr]=1Z&submit=true",
    });
    expect(evidence.json.error).toMatchObject({
      code: "parameter_unknown",
      param: "evidence[shipping_tracking_numbr]",
    });
  });

  it("answers a value sent where an object belongs, and an object where a value belongs, as type errors", async () => {
    const emu = target.emulator!;
    const asObject = await rawApi(emu, "POST", "/v1/customers", { body: "email[x]=1" });
    expect(asObject.status).toBe(400);
    expect(asObject.json.error?.param).toBe("email");
    expect(asObject.json.error?.code).not.toBe("parameter_unknown");
  });

  it("leaves nothing behind after refused requests (no object, no event)", async () => {
    const emu = target.emulator!;
    const before = (await stripe.events.list({ limit: 100 })).data.length;
    const customers = (await stripe.customers.list({ limit: 100 })).data.length;
    for (const body of ["emial=x", "metadata[a]=1&tax_id_data[0][typ]=eu_vat", "expand[]=nope"]) {
      expect((await rawApi(emu, "POST", "/v1/customers", { body })).status).toBe(400);
    }
    expect((await stripe.customers.list({ limit: 100 })).data.length).toBe(customers);
    expect((await stripe.events.list({ limit: 100 })).data.length).toBe(before);
  });
});
