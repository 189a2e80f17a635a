// Checkout Sessions in `setup` mode (save a card for an off-session charge at the deadline)
// and `payment` mode (charge now). The session's `url` is the emulator's hosted page
// (pages/checkout.ts), which calls `submitCheckout` when the buyer pays. Sessions expire on
// their own at `expires_at` (checkout.session.expired), or via the expire endpoint.

import type Stripe from "stripe";
import { resolveCardInput, type CardInput } from "../cards.js";
import type { Emulator } from "../emulator.js";
import {
  invalidRequest,
  parameterInvalid,
  parameterMissing,
  resourceMissing,
  StripeApiError,
  stateError,
} from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newCheckoutSessionId, newId } from "../ids.js";
import { paginate } from "../list.js";
import { CHECKOUT_LOCALES } from "../locales.js";
import { normalizeCurrency } from "../money.js";
import type { CheckoutSessionState } from "../store.js";
import type { CheckoutSession, LineItem, PaymentIntent, SetupIntent } from "../types.js";
import { insertCustomer } from "./customers.js";
import { allowedPaymentMethodTypes } from "./shared.js";
import {
  cancelPaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  validatePaymentIntentInput,
  type PaymentIntentInput,
} from "./payment-intents.js";
import { storeCard } from "./payment-methods.js";
import { cancelSetupIntent, confirmSetupIntent, createSetupIntent } from "./setup-intents.js";

const MIN_LIFETIME_SECONDS = 30 * 60;
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

function validateUrl(param: string, url: string | undefined): string | null {
  if (!url) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(url)) throw parameterInvalid(param, "Not a valid URL", "url_invalid");
  return url;
}

function lineItemsFrom(params: Params): LineItem[] {
  const items = params.objectList("line_items");
  if (!items || items.length === 0) throw parameterMissing("line_items");
  if (items.length > 100) throw parameterInvalid("line_items", "You may only specify up to 100 line items.");
  return items.map((item) => {
    const price = item.string("price");
    if (price) throw resourceMissing("price", price, `${item.name("price")}`);
    const data = item.object("price_data");
    if (!data) throw parameterMissing(item.name("price_data"));
    const product = data.object("product_data");
    if (!product) throw parameterMissing(data.name("product_data"));
    const currency = normalizeCurrency(data.requireString("currency"), data.name("currency"));
    const unitAmount = data.requireInt("unit_amount", { min: 0 });
    const quantity = item.requireInt("quantity", { min: 1 });
    const name = product.requireString("name");
    const total = unitAmount * quantity;
    return {
      id: `li_${newId("pi").slice(3)}`,
      object: "item",
      amount_discount: 0,
      amount_subtotal: total,
      amount_tax: 0,
      amount_total: total,
      currency,
      description: name,
      quantity,
      price: {
        id: `price_${newId("pi").slice(3)}`,
        object: "price",
        currency,
        unit_amount: unitAmount,
        product: `prod_${newId("pi").slice(3)}`,
        type: "one_time",
      },
    };
  });
}

function paymentIntentDataFrom(params: Params): CheckoutSessionState["paymentIntentData"] {
  const d = params.object("payment_intent_data");
  return {
    metadata: applyMetadata({}, d?.metadata()),
    setup_future_usage: d?.oneOf("setup_future_usage", ["on_session", "off_session"] as const) ?? null,
    transfer_destination: d?.object("transfer_data")?.requireString("destination") ?? null,
    application_fee_amount: d?.int("application_fee_amount", { min: 0 }) ?? null,
    description: d?.string("description") || null,
    transfer_group: d?.string("transfer_group") || null,
  };
}

function sessionPaymentInput(
  session: Pick<CheckoutSession, "amount_total" | "currency" | "customer">,
  state: CheckoutSessionState,
): PaymentIntentInput {
  const d = state.paymentIntentData;
  return {
    amount: session.amount_total ?? 0,
    currency: session.currency ?? "usd",
    customer: (session.customer as string | null) ?? null,
    paymentMethod: null,
    metadata: { ...d.metadata },
    description: d.description,
    receiptEmail: null,
    setupFutureUsage: d.setup_future_usage,
    transferDestination: d.transfer_destination,
    applicationFeeAmount: d.application_fee_amount,
    transferGroup: d.transfer_group,
    statementDescriptor: null,
    statementDescriptorSuffix: null,
    allowedPaymentMethodTypes: null,
  };
}

function createSession(emu: Emulator, params: Params): CheckoutSession {
  const mode = params.requireString("mode");
  if (mode !== "payment" && mode !== "setup") {
    throw parameterInvalid("mode", `The Colecta Stripe emulator supports mode=payment and mode=setup (got ${mode}).`);
  }
  const now = emu.unix();
  const customer = params.string("customer") || null;
  if (customer) emu.store.customers.require(customer, "customer");
  const customerEmail = params.string("customer_email") || null;
  if (customer && customerEmail) {
    throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", {
      param: "customer_email",
    });
  }
  const allowedTypes = allowedPaymentMethodTypes(params);
  const expiresAt = params.int("expires_at") ?? now + MAX_LIFETIME_SECONDS;
  if (expiresAt < now + MIN_LIFETIME_SECONDS) {
    throw parameterInvalid(
      "expires_at",
      "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
    );
  }
  if (expiresAt > now + MAX_LIFETIME_SECONDS) {
    throw parameterInvalid(
      "expires_at",
      "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
    );
  }
  const clientReferenceId = params.string("client_reference_id") || null;
  if (clientReferenceId && clientReferenceId.length > 200) {
    throw parameterInvalid("client_reference_id", "client_reference_id must be at most 200 characters.");
  }
  const successUrl = validateUrl("success_url", params.string("success_url"));
  const cancelUrl = validateUrl("cancel_url", params.string("cancel_url"));
  const metadata = applyMetadata({}, params.metadata());

  const state: CheckoutSessionState = {
    lineItems: [],
    paymentIntentData: paymentIntentDataFrom(params),
    setupIntentData: {
      metadata: applyMetadata({}, params.object("setup_intent_data")?.metadata()),
      description: params.object("setup_intent_data")?.string("description") || null,
    },
  };
  let currency: string | null = params.string("currency") ? normalizeCurrency(params.string("currency")!) : null;
  let amount: number | null = null;
  if (mode === "payment") {
    state.lineItems = lineItemsFrom(params);
    currency = state.lineItems[0]!.currency;
    if (state.lineItems.some((li) => li.currency !== currency)) {
      throw parameterInvalid("line_items", "All line items must use the same currency.");
    }
    amount = state.lineItems.reduce((sum, li) => sum + li.amount_total, 0);
    validatePaymentIntentInput(
      emu,
      sessionPaymentInput({ amount_total: amount, currency, customer }, state),
      "payment_intent_data",
    );
  } else if (params.has("line_items")) {
    throw invalidRequest("You cannot pass `line_items` in `setup` mode.", { param: "line_items" });
  }

  const id = newCheckoutSessionId();
  const session: CheckoutSession = {
    id,
    object: "checkout.session",
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: allowedTypes,
    amount_subtotal: amount,
    amount_total: amount,
    billing_address_collection: null,
    cancel_url: cancelUrl,
    client_reference_id: clientReferenceId,
    client_secret: null,
    created: now,
    currency,
    customer,
    customer_creation: customer ? null : "if_required",
    customer_details: null,
    customer_email: customerEmail,
    expires_at: expiresAt,
    invoice: null,
    livemode: false,
    // Stripe's enum: an unknown value is refused (400); the hosted page speaks en and es.
    locale: params.oneOf("locale", CHECKOUT_LOCALES) ?? null,
    metadata,
    mode,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_types: ["card"],
    payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
    setup_intent: null,
    status: "open",
    submit_type:
      mode === "payment"
        ? (params.oneOf("submit_type", ["auto", "book", "donate", "pay", "subscribe"] as const) ?? null)
        : null,
    subscription: null,
    success_url: successUrl,
    // The values the pinned API version (2026-10-28.endive, SDK 23.1.0) accepts; only the hosted
    // page has a url. Older names ("hosted", "embedded", "custom") are a 400, as on Stripe.
    ui_mode: params.oneOf("ui_mode", ["hosted_page", "embedded_page", "elements", "form"] as const) ?? "hosted_page",
    url: (params.string("ui_mode") || "hosted_page") === "hosted_page" ? `${emu.publicUrl}/c/pay/${id}` : null,
  };
  if (mode === "setup") {
    // Stripe creates the SetupIntent with the session; the PaymentIntent only on payment.
    session.setup_intent = createSetupIntent(emu, {
      customer,
      paymentMethod: null,
      usage: "off_session",
      allowedPaymentMethodTypes: allowedTypes,
      metadata: state.setupIntentData.metadata,
      description: state.setupIntentData.description,
    }).id;
  }
  emu.store.checkoutSessions.insert(session);
  emu.store.internal.checkout[id] = state;
  emu.scheduler.schedule("checkout_session.expire", id, expiresAt * 1000);
  return session;
}

function expireSession(emu: Emulator, session: CheckoutSession): CheckoutSession {
  if (session.status !== "open") {
    throw stateError(`Only Checkout Sessions with a status in ["open"] can be expired.`, {
      code: "checkout_session_unexpected_state",
    });
  }
  emu.scheduler.cancel("checkout_session.expire", session.id);
  const previous = { status: session.status };
  session.status = "expired";
  session.url = null;
  const si = session.setup_intent ? emu.store.setupIntents.get(session.setup_intent as string) : undefined;
  if (si && si.status !== "succeeded" && si.status !== "canceled") cancelSetupIntent(emu, si, "abandoned");
  const pi = session.payment_intent ? emu.store.paymentIntents.get(session.payment_intent as string) : undefined;
  if (pi && pi.status !== "succeeded" && pi.status !== "canceled") cancelPaymentIntent(emu, pi, "abandoned");
  emu.emit("checkout.session.expired", session, previous);
  return session;
}

/** The scheduler's entry point: a no-op if the session was completed or expired meanwhile. */
export function expireSessionIfOpen(emu: Emulator, id: string): void {
  const session = emu.store.checkoutSessions.get(id);
  if (session?.status === "open") expireSession(emu, session);
}

export function successRedirect(session: CheckoutSession): string | null {
  return session.success_url ? session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id) : null;
}

export interface BuyerDetails {
  email: string | null;
  name: string | null;
}

export type CheckoutResult =
  | { kind: "complete"; session: CheckoutSession }
  | { kind: "declined"; message: string }
  | { kind: "authenticate"; intentId: string };

function completeSession(emu: Emulator, session: CheckoutSession, buyer: BuyerDetails): CheckoutResult {
  emu.scheduler.cancel("checkout_session.expire", session.id);
  const previous = { status: session.status, payment_status: session.payment_status };
  session.status = "complete";
  session.payment_status = session.mode === "setup" ? "no_payment_required" : "paid";
  session.url = null;
  const customer = session.customer ? emu.store.customers.get(session.customer as string) : undefined;
  session.customer_details = {
    address: null,
    business_name: null,
    email: buyer.email ?? customer?.email ?? session.customer_email ?? null,
    individual_name: null,
    name: buyer.name ?? customer?.name ?? null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  } as Stripe.Checkout.Session.CustomerDetails;
  emu.emit("checkout.session.completed", session, previous);
  return { kind: "complete", session };
}

function intentOutcome(
  emu: Emulator,
  session: CheckoutSession,
  intent: SetupIntent | PaymentIntent,
  buyer: BuyerDetails,
): CheckoutResult {
  if (intent.status === "succeeded") return completeSession(emu, session, buyer);
  if (intent.status === "requires_action") return { kind: "authenticate", intentId: intent.id };
  const error = intent.object === "setup_intent" ? intent.last_setup_error : intent.last_payment_error;
  return { kind: "declined", message: error?.message ?? "Your card was declined." };
}

/**
 * The buyer pressed Pay on the hosted page. Declines come back as a message for the page;
 * the session stays open so they can try another card.
 */
export function submitCheckout(
  emu: Emulator,
  session: CheckoutSession,
  cardInput: CardInput,
  buyer: BuyerDetails,
): CheckoutResult {
  if (session.status !== "open") throw stateError("This Checkout Session is no longer open.");
  const state = emu.store.internal.checkout[session.id]!;
  try {
    const card = resolveCardInput(cardInput, new Date(emu.now()));
    const pm = storeCard(emu, card, { email: buyer.email, name: buyer.name });
    if (session.mode === "setup") {
      const si = emu.store.setupIntents.require(session.setup_intent as string);
      si.payment_method = pm.id;
      si.status = "requires_confirmation";
      return intentOutcome(emu, session, confirmSetupIntent(emu, si, { returnUrl: session.url }), buyer);
    }
    if (!session.customer && state.paymentIntentData.setup_future_usage) {
      // Saving the card for later needs a Customer: Checkout creates one, as Stripe does.
      session.customer = insertCustomer(emu, { email: buyer.email, name: buyer.name }).id;
    }
    let pi = session.payment_intent ? emu.store.paymentIntents.get(session.payment_intent as string) : undefined;
    if (!pi || pi.status === "canceled") {
      pi = createPaymentIntent(emu, sessionPaymentInput(session, state));
      session.payment_intent = pi.id;
    }
    pi.payment_method = pm.id;
    pi.receipt_email = buyer.email;
    pi.status = "requires_confirmation";
    return intentOutcome(
      emu,
      session,
      confirmPaymentIntent(emu, pi, { offSession: false, returnUrl: session.url }),
      buyer,
    );
  } catch (err) {
    if (err instanceof StripeApiError && err.status === 402) return { kind: "declined", message: err.body.message };
    throw err;
  }
}

/** After the 3DS page: finish the session if the intent went through. */
export function resumeAfterAuthentication(
  emu: Emulator,
  intentId: string,
): { session: CheckoutSession; result: CheckoutResult } | null {
  const session = emu.store.checkoutSessions
    .all()
    .find((s) => s.setup_intent === intentId || s.payment_intent === intentId);
  if (!session || session.status !== "open") return session ? { session, result: { kind: "complete", session } } : null;
  const intent = intentId.startsWith("seti_")
    ? emu.store.setupIntents.require(intentId)
    : emu.store.paymentIntents.require(intentId);
  const pm = intent.payment_method ? emu.store.paymentMethods.get(intent.payment_method as string) : undefined;
  const buyer = { email: pm?.billing_details.email ?? null, name: pm?.billing_details.name ?? null };
  return { session, result: intentOutcome(emu, session, intent, buyer) };
}

export const checkoutSessionRoutes: Route[] = [
  { method: "POST", path: "/v1/checkout/sessions", handler: (emu, req) => createSession(emu, req.params) },
  {
    method: "GET",
    path: "/v1/checkout/sessions/:id",
    handler: (emu, req) => emu.store.checkoutSessions.require(req.pathParams.id!, "session"),
  },
  {
    method: "POST",
    path: "/v1/checkout/sessions/:id",
    handler: (emu, req) => {
      const session = emu.store.checkoutSessions.require(req.pathParams.id!, "session");
      session.metadata = applyMetadata(session.metadata ?? {}, req.params.metadata());
      return session;
    },
  },
  {
    method: "POST",
    path: "/v1/checkout/sessions/:id/expire",
    handler: (emu, req) => expireSession(emu, emu.store.checkoutSessions.require(req.pathParams.id!, "session")),
  },
  {
    method: "GET",
    path: "/v1/checkout/sessions/:id/line_items",
    handler: (emu, req) => {
      const session = emu.store.checkoutSessions.require(req.pathParams.id!, "session");
      const items = emu.store.internal.checkout[session.id]?.lineItems ?? [];
      return { object: "list", data: items, has_more: false, url: req.path };
    },
  },
  {
    method: "GET",
    path: "/v1/checkout/sessions",
    handler: (emu, req) => {
      const customer = req.params.string("customer");
      const pi = req.params.string("payment_intent");
      const status = req.params.string("status");
      return paginate(
        emu.store.checkoutSessions,
        req.params,
        req.path,
        (s) =>
          (customer === undefined || s.customer === customer) &&
          (pi === undefined || s.payment_intent === pi) &&
          (status === undefined || s.status === status),
      );
    },
  },
];
