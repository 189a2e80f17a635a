// PaymentIntents with automatic capture: create, confirm (on- or off-session), cancel, update,
// retrieve, list. Confirmation asks the simulated issuer (cards.ts) and ends in one of Stripe's
// states:
//   approved                  -> succeeded, charge + balance transaction, charge.succeeded,
//                                payment_intent.succeeded
//   declined                  -> requires_payment_method + last_payment_error, failed charge,
//                                payment_intent.payment_failed, HTTP 402 card_error carrying the PI
//   needs 3DS, on-session     -> requires_action with a redirect to the emulator's challenge page
//   needs 3DS, off-session    -> like a decline, code authentication_required

import type Stripe from "stripe";
import { DECLINE_MESSAGES, issuerDecision } from "../cards.js";
import type { Emulator } from "../emulator.js";
import { invalidRequest, parameterInvalid, StripeApiError, stateError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { clientSecret, newId } from "../ids.js";
import { paginate } from "../list.js";
import { normalizeCurrency, validateChargeAmount } from "../money.js";
import type { PaymentIntent, PaymentMethod } from "../types.js";
import { requireTransferCapability } from "./accounts.js";
import { recordCharge } from "./charges.js";
import { allowedPaymentMethodTypes, threeDSecureAction } from "./shared.js";
import { cardStateOf, resolvePaymentMethod } from "./payment-methods.js";

const CANCELABLE: PaymentIntent["status"][] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
];
const CONFIRMABLE: PaymentIntent["status"][] = ["requires_payment_method", "requires_confirmation", "requires_action"];

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string | null;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  setupFutureUsage: "on_session" | "off_session" | null;
  transferDestination: string | null;
  applicationFeeAmount: number | null;
  transferGroup: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  allowedPaymentMethodTypes: string[] | null;
}

export interface ConfirmOptions {
  offSession: boolean;
  /** The customer just passed the 3DS challenge for this attempt. */
  authenticatedNow?: boolean;
  returnUrl?: string | null;
  /** Treat a 3DS request as a failure instead of returning requires_action. */
  errorOnRequiresAction?: boolean;
}

/** Validation shared by the API and Checkout; throws before anything is stored. */
export function validatePaymentIntentInput(emu: Emulator, input: PaymentIntentInput, prefix = ""): void {
  const name = (p: string) => (prefix ? `${prefix}[${p}]` : p);
  validateChargeAmount(input.amount, input.currency);
  if (input.customer) emu.store.customers.require(input.customer, "customer");
  if (input.applicationFeeAmount !== null) {
    if (!input.transferDestination) {
      throw invalidRequest(
        "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
        { param: name("application_fee_amount") },
      );
    }
    if (input.applicationFeeAmount > input.amount) {
      throw parameterInvalid(
        name("application_fee_amount"),
        "The application fee amount cannot be greater than the amount.",
      );
    }
  }
  if (input.transferDestination)
    requireTransferCapability(emu, input.transferDestination, name("transfer_data[destination]"));
}

export function createPaymentIntent(emu: Emulator, input: PaymentIntentInput): PaymentIntent {
  const id = newId("pi");
  const pi: PaymentIntent = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: input.allowedPaymentMethodTypes as PaymentIntent["allowed_payment_method_types"],
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: input.applicationFeeAmount,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: clientSecret(id),
    confirmation_method: "automatic",
    created: emu.unix(),
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_types: ["card"],
    processing: null,
    receipt_email: input.receiptEmail,
    review: null,
    setup_future_usage: input.setupFutureUsage,
    shipping: null,
    statement_descriptor: input.statementDescriptor,
    statement_descriptor_suffix: input.statementDescriptorSuffix,
    status: "requires_payment_method",
    transfer_data: input.transferDestination ? { destination: input.transferDestination } : null,
    transfer_group: input.transferGroup,
  };
  if (input.paymentMethod) {
    pi.payment_method = resolvePaymentMethod(emu, input.paymentMethod).id;
    pi.status = "requires_confirmation";
  }
  emu.store.paymentIntents.insert(pi);
  emu.emit("payment_intent.created", pi);
  return pi;
}

function assertConfirmable(pi: PaymentIntent): void {
  if (CONFIRMABLE.includes(pi.status)) return;
  throw stateError(
    pi.status === "succeeded"
      ? "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed."
      : `You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`,
    { code: "payment_intent_unexpected_state" },
  );
}

function checkPaymentMethodOwner(pi: PaymentIntent, pm: PaymentMethod): void {
  if (pm.customer && pi.customer !== pm.customer) {
    throw invalidRequest(
      pi.customer
        ? `The provided PaymentMethod belongs to a different Customer (${String(pm.customer)}) than the one on this PaymentIntent.`
        : "The provided PaymentMethod is attached to a Customer. Please provide the `customer` parameter with this PaymentIntent.",
      { param: "payment_method" },
    );
  }
}

function paymentError(
  emu: Emulator,
  pi: PaymentIntent,
  pm: PaymentMethod,
  code: string,
  declineCode: string,
  message: string,
  chargeId: string | null,
): StripeApiError {
  const error: Stripe.PaymentIntent.LastPaymentError = {
    type: "card_error",
    code: code as Stripe.PaymentIntent.LastPaymentError.Code,
    decline_code: declineCode,
    message,
    doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`,
    payment_method: structuredClone(pm) as Stripe.PaymentMethod,
    ...(chargeId ? { charge: chargeId } : {}),
  };
  const previous = { status: pi.status, last_payment_error: pi.last_payment_error };
  pi.status = "requires_payment_method";
  pi.last_payment_error = error;
  pi.next_action = null;
  emu.emit("payment_intent.payment_failed", pi, previous);
  return new StripeApiError(402, {
    type: "card_error",
    code,
    decline_code: declineCode,
    message,
    ...(chargeId ? { charge: chargeId } : {}),
    payment_intent: structuredClone(pi),
    payment_method: structuredClone(pm),
  });
}

/**
 * Runs one confirmation attempt. Returns the PaymentIntent when it succeeded or needs action;
 * throws the 402 card_error (after recording the failure) when the issuer refuses.
 */
export function confirmPaymentIntent(emu: Emulator, pi: PaymentIntent, opts: ConfirmOptions): PaymentIntent {
  assertConfirmable(pi);
  if (!pi.payment_method) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a payment method, either provide one with the payment_method parameter or attach one to the PaymentIntent first.",
      { code: "payment_intent_unexpected_state" },
    );
  }
  const pm = emu.store.paymentMethods.require(pi.payment_method as string, "payment_method");
  checkPaymentMethodOwner(pi, pm);
  const card = cardStateOf(emu, pm);
  const decision = issuerDecision(card.behaviour, {
    operation: "payment",
    offSession: opts.offSession,
    authenticatedAtSetup: card.authenticatedAtSetup,
    authenticatedNow: opts.authenticatedNow ?? false,
  });

  if (decision.kind === "authentication_required" && !opts.offSession && !opts.errorOnRequiresAction) {
    pi.status = "requires_action";
    pi.next_action = threeDSecureAction(emu, pi.id, opts.returnUrl);
    emu.emit("payment_intent.requires_action", pi);
    return pi;
  }

  if (decision.kind !== "approved") {
    // A decline, or 3DS needed while the customer is away: both fail the attempt with a 402.
    const failure =
      decision.kind === "declined"
        ? { code: decision.code, declineCode: decision.declineCode, message: decision.message }
        : {
            code: "authentication_required",
            declineCode: "authentication_required",
            message: DECLINE_MESSAGES.authentication_required,
          };
    const charge = recordCharge(emu, pi, pm, { kind: "failed", ...failure });
    pi.latest_charge = charge.id;
    throw paymentError(emu, pi, pm, failure.code, failure.declineCode, failure.message, charge.id);
  }

  const charge = recordCharge(emu, pi, pm, { kind: "succeeded" });
  const previous = { status: pi.status };
  pi.status = "succeeded";
  pi.amount_received = pi.amount;
  pi.latest_charge = charge.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  if (pi.setup_future_usage && pi.customer && pm.customer !== pi.customer) {
    pm.customer = pi.customer as string;
    emu.emit("payment_method.attached", pm);
  }
  if (pi.setup_future_usage && opts.authenticatedNow) card.authenticatedAtSetup = true;
  emu.emit("payment_intent.succeeded", pi, previous);
  if (card.behaviour === "disputed")
    emu.scheduler.schedule("dispute.create", charge.id, emu.now() + emu.config.asyncDelayMs);
  return pi;
}

/** The 3DS challenge page's verdict on a PaymentIntent in `requires_action`. */
export function finishPaymentAuthentication(emu: Emulator, pi: PaymentIntent, passed: boolean): PaymentIntent {
  if (pi.status !== "requires_action") return pi;
  if (passed) return confirmPaymentIntent(emu, pi, { offSession: false, authenticatedNow: true });
  const pm = emu.store.paymentMethods.get(pi.payment_method as string);
  const previous = { status: pi.status };
  pi.status = "requires_payment_method";
  pi.next_action = null;
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    ...(pm ? { payment_method: structuredClone(pm) as Stripe.PaymentMethod } : {}),
  };
  emu.emit("payment_intent.payment_failed", pi, previous);
  return pi;
}

function offSessionParam(params: Params): boolean | undefined {
  const raw = params.string("off_session");
  if (raw === undefined || raw === "") return undefined;
  if (raw === "one_off" || raw === "recurring") return true;
  return params.bool("off_session");
}

function inputFromParams(params: Params): PaymentIntentInput {
  const transfer = params.object("transfer_data");
  const captureMethod = params.string("capture_method");
  if (captureMethod && captureMethod !== "automatic" && captureMethod !== "automatic_async") {
    throw parameterInvalid(
      "capture_method",
      `The Colecta Stripe emulator supports capture_method=automatic only (got ${captureMethod}).`,
    );
  }
  const allowedTypes = allowedPaymentMethodTypes(params);
  return {
    amount: params.requireInt("amount"),
    currency: normalizeCurrency(params.requireString("currency")),
    customer: params.string("customer") || null,
    paymentMethod: params.string("payment_method") || null,
    metadata: applyMetadata({}, params.metadata()),
    description: params.string("description") || null,
    receiptEmail: params.string("receipt_email") || null,
    setupFutureUsage: params.oneOf("setup_future_usage", ["on_session", "off_session"] as const) ?? null,
    transferDestination: transfer ? transfer.requireString("destination") : null,
    applicationFeeAmount: params.int("application_fee_amount", { min: 0 }) ?? null,
    transferGroup: params.string("transfer_group") || null,
    statementDescriptor: params.string("statement_descriptor") || null,
    statementDescriptorSuffix: params.string("statement_descriptor_suffix") || null,
    allowedPaymentMethodTypes: allowedTypes,
  };
}

function createFromParams(emu: Emulator, params: Params): PaymentIntent {
  const input = inputFromParams(params);
  const confirm = params.bool("confirm") ?? false;
  const offSession = offSessionParam(params);
  if (offSession !== undefined && !confirm) {
    throw invalidRequest("The `off_session` parameter can only be passed when `confirm=true`.", {
      param: "off_session",
    });
  }
  validatePaymentIntentInput(emu, input);
  const pi = createPaymentIntent(emu, input);
  if (!confirm) return pi;
  return confirmPaymentIntent(emu, pi, {
    offSession: offSession ?? false,
    returnUrl: params.string("return_url") || null,
    errorOnRequiresAction: params.bool("error_on_requires_action") ?? false,
  });
}

function confirmFromParams(emu: Emulator, pi: PaymentIntent, params: Params): PaymentIntent {
  assertConfirmable(pi);
  const pmId = params.string("payment_method");
  if (pmId) pi.payment_method = resolvePaymentMethod(emu, pmId).id;
  const sfu = params.oneOf("setup_future_usage", ["on_session", "off_session"] as const);
  if (sfu) pi.setup_future_usage = sfu;
  return confirmPaymentIntent(emu, pi, {
    offSession: offSessionParam(params) ?? false,
    returnUrl: params.string("return_url") || null,
    errorOnRequiresAction: params.bool("error_on_requires_action") ?? false,
  });
}

function updateFromParams(emu: Emulator, pi: PaymentIntent, params: Params): PaymentIntent {
  if (pi.status === "succeeded" || pi.status === "canceled") {
    for (const locked of ["amount", "currency", "payment_method", "customer"]) {
      if (params.has(locked)) {
        throw stateError(`You cannot update ${locked} on a PaymentIntent with status ${pi.status}.`, {
          code: "payment_intent_unexpected_state",
          param: locked,
        });
      }
    }
  }
  const amount = params.int("amount");
  const currency = params.string("currency") ? normalizeCurrency(params.string("currency")!) : pi.currency;
  if (amount !== undefined) validateChargeAmount(amount, currency);
  const customer = params.string("customer");
  if (customer) emu.store.customers.require(customer, "customer");
  const pmId = params.string("payment_method");
  if (amount !== undefined) pi.amount = amount;
  pi.currency = currency;
  if (customer) pi.customer = customer;
  if (pmId) {
    pi.payment_method = resolvePaymentMethod(emu, pmId).id;
    if (pi.status === "requires_payment_method") pi.status = "requires_confirmation";
  }
  const description = params.nullableString("description");
  if (description !== undefined) pi.description = description;
  const receiptEmail = params.nullableString("receipt_email");
  if (receiptEmail !== undefined) pi.receipt_email = receiptEmail;
  pi.metadata = applyMetadata(pi.metadata, params.metadata());
  return pi;
}

export function cancelPaymentIntent(
  emu: Emulator,
  pi: PaymentIntent,
  reason: PaymentIntent["cancellation_reason"],
): PaymentIntent {
  if (!CANCELABLE.includes(pi.status)) {
    throw stateError(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
      { code: "payment_intent_unexpected_state" },
    );
  }
  const previous = { status: pi.status };
  pi.status = "canceled";
  pi.canceled_at = emu.unix();
  pi.cancellation_reason = reason;
  pi.next_action = null;
  emu.emit("payment_intent.canceled", pi, previous);
  return pi;
}

export const paymentIntentRoutes: Route[] = [
  { method: "POST", path: "/v1/payment_intents", handler: (emu, req) => createFromParams(emu, req.params) },
  {
    method: "GET",
    path: "/v1/payment_intents/:id",
    handler: (emu, req) => emu.store.paymentIntents.require(req.pathParams.id!, "intent"),
  },
  {
    method: "POST",
    path: "/v1/payment_intents/:id",
    handler: (emu, req) =>
      updateFromParams(emu, emu.store.paymentIntents.require(req.pathParams.id!, "intent"), req.params),
  },
  {
    method: "POST",
    path: "/v1/payment_intents/:id/confirm",
    handler: (emu, req) =>
      confirmFromParams(emu, emu.store.paymentIntents.require(req.pathParams.id!, "intent"), req.params),
  },
  {
    method: "POST",
    path: "/v1/payment_intents/:id/cancel",
    handler: (emu, req) =>
      cancelPaymentIntent(
        emu,
        emu.store.paymentIntents.require(req.pathParams.id!, "intent"),
        req.params.oneOf("cancellation_reason", [
          "duplicate",
          "fraudulent",
          "requested_by_customer",
          "abandoned",
        ] as const) ?? null,
      ),
  },
  {
    method: "GET",
    path: "/v1/payment_intents",
    handler: (emu, req) => {
      const customer = req.params.string("customer");
      return paginate(
        emu.store.paymentIntents,
        req.params,
        req.path,
        (pi) => customer === undefined || pi.customer === customer,
      );
    },
  },
];
