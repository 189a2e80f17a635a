// SetupIntents: saving a card for later off-session charges. Confirmation runs the issuer's
// verification: success attaches the card to the customer (setup_intent.succeeded), a refusal
// records last_setup_error (setup_intent.setup_failed, HTTP 402), and 3DS cards go to
// requires_action with a redirect to the emulator's challenge page. Passing that challenge is
// what later lets 4000002500003155 be charged off-session.

import type Stripe from "stripe";
import { issuerDecision } from "../cards.js";
import type { Emulator } from "../emulator.js";
import { invalidRequest, StripeApiError, stateError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { clientSecret, newId } from "../ids.js";
import { paginate } from "../list.js";
import type { PaymentMethod, SetupIntent } from "../types.js";
import { cardStateOf, resolvePaymentMethod } from "./payment-methods.js";
import { allowedPaymentMethodTypes, threeDSecureAction } from "./shared.js";

const CONFIRMABLE: SetupIntent["status"][] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const CANCELABLE: SetupIntent["status"][] = ["requires_payment_method", "requires_confirmation", "requires_action"];

export interface SetupIntentInput {
  customer: string | null;
  paymentMethod: string | null;
  usage: "on_session" | "off_session";
  metadata: Record<string, string>;
  description: string | null;
  allowedPaymentMethodTypes: string[] | null;
}

export function createSetupIntent(emu: Emulator, input: SetupIntentInput): SetupIntent {
  if (input.customer) emu.store.customers.require(input.customer, "customer");
  const id = newId("seti");
  const si: SetupIntent = {
    id,
    object: "setup_intent",
    allowed_payment_method_types: input.allowedPaymentMethodTypes as SetupIntent["allowed_payment_method_types"],
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecret(id),
    created: emu.unix(),
    customer: input.customer,
    description: input.description,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod ? resolvePaymentMethod(emu, input.paymentMethod).id : null,
    payment_method_types: ["card"],
    single_use_mandate: null,
    status: input.paymentMethod ? "requires_confirmation" : "requires_payment_method",
    usage: input.usage,
  };
  emu.store.setupIntents.insert(si);
  emu.emit("setup_intent.created", si);
  return si;
}

function setupFailed(
  emu: Emulator,
  si: SetupIntent,
  pm: PaymentMethod,
  error: Stripe.SetupIntent.LastSetupError,
): void {
  const previous = { status: si.status, last_setup_error: si.last_setup_error };
  si.status = "requires_payment_method";
  si.next_action = null;
  si.last_setup_error = { ...error, payment_method: structuredClone(pm) as Stripe.PaymentMethod };
  emu.emit("setup_intent.setup_failed", si, previous);
}

export function confirmSetupIntent(
  emu: Emulator,
  si: SetupIntent,
  opts: { authenticatedNow?: boolean; returnUrl?: string | null } = {},
): SetupIntent {
  if (!CONFIRMABLE.includes(si.status)) {
    throw stateError(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
      code: "setup_intent_unexpected_state",
    });
  }
  if (!si.payment_method) {
    throw invalidRequest(
      "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
      { code: "setup_intent_unexpected_state" },
    );
  }
  const pm = emu.store.paymentMethods.require(si.payment_method as string, "payment_method");
  if (pm.customer && si.customer && pm.customer !== si.customer) {
    throw invalidRequest(
      "The provided PaymentMethod belongs to a different Customer than the one on this SetupIntent.",
      { param: "payment_method" },
    );
  }
  const card = cardStateOf(emu, pm);
  const decision = issuerDecision(card.behaviour, {
    operation: "setup",
    offSession: false,
    authenticatedAtSetup: card.authenticatedAtSetup,
    authenticatedNow: opts.authenticatedNow ?? false,
  });

  if (decision.kind === "declined") {
    setupFailed(emu, si, pm, {
      type: "card_error",
      code: decision.code as Stripe.SetupIntent.LastSetupError.Code,
      decline_code: decision.declineCode,
      message: decision.message,
      doc_url: "https://stripe.com/docs/error-codes/card-declined",
    });
    throw new StripeApiError(402, {
      type: "card_error",
      code: decision.code,
      decline_code: decision.declineCode,
      message: decision.message,
      setup_intent: structuredClone(si),
      payment_method: structuredClone(pm),
    });
  }
  if (decision.kind === "authentication_required") {
    si.status = "requires_action";
    si.next_action = threeDSecureAction(emu, si.id, opts.returnUrl);
    emu.emit("setup_intent.requires_action", si);
    return si;
  }

  const previous = { status: si.status };
  if (opts.authenticatedNow) card.authenticatedAtSetup = true;
  if (si.customer && pm.customer !== si.customer) {
    pm.customer = si.customer as string;
    emu.emit("payment_method.attached", pm);
  }
  si.status = "succeeded";
  si.next_action = null;
  si.last_setup_error = null;
  emu.emit("setup_intent.succeeded", si, previous);
  return si;
}

/** The 3DS challenge page's verdict on a SetupIntent in `requires_action`. */
export function finishSetupAuthentication(emu: Emulator, si: SetupIntent, passed: boolean): SetupIntent {
  if (si.status !== "requires_action") return si;
  if (passed) return confirmSetupIntent(emu, si, { authenticatedNow: true });
  const pm = emu.store.paymentMethods.require(si.payment_method as string);
  setupFailed(emu, si, pm, {
    type: "invalid_request_error",
    code: "setup_intent_authentication_failure",
    message:
      "The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set it up again.",
    doc_url: "https://stripe.com/docs/error-codes/setup-intent-authentication-failure",
  });
  return si;
}

function createFromParams(emu: Emulator, params: Params): SetupIntent {
  const si = createSetupIntent(emu, {
    allowedPaymentMethodTypes: allowedPaymentMethodTypes(params),
    customer: params.string("customer") || null,
    paymentMethod: params.string("payment_method") || null,
    usage: params.oneOf("usage", ["on_session", "off_session"] as const) ?? "off_session",
    metadata: applyMetadata({}, params.metadata()),
    description: params.string("description") || null,
  });
  if (params.bool("confirm")) return confirmSetupIntent(emu, si, { returnUrl: params.string("return_url") || null });
  return si;
}

export const setupIntentRoutes: Route[] = [
  { method: "POST", path: "/v1/setup_intents", handler: (emu, req) => createFromParams(emu, req.params) },
  {
    method: "GET",
    path: "/v1/setup_intents/:id",
    handler: (emu, req) => emu.store.setupIntents.require(req.pathParams.id!, "intent"),
  },
  {
    method: "POST",
    path: "/v1/setup_intents/:id",
    handler: (emu, req) => {
      const si = emu.store.setupIntents.require(req.pathParams.id!, "intent");
      si.metadata = applyMetadata(si.metadata ?? {}, req.params.metadata());
      const pmId = req.params.string("payment_method");
      if (pmId) {
        if (!CONFIRMABLE.includes(si.status)) {
          throw stateError(`You cannot update this SetupIntent because it has a status of ${si.status}.`, {
            code: "setup_intent_unexpected_state",
          });
        }
        si.payment_method = resolvePaymentMethod(emu, pmId).id;
        si.status = "requires_confirmation";
      }
      return si;
    },
  },
  {
    method: "POST",
    path: "/v1/setup_intents/:id/confirm",
    handler: (emu, req) => {
      const si = emu.store.setupIntents.require(req.pathParams.id!, "intent");
      const pmId = req.params.string("payment_method");
      if (pmId && CONFIRMABLE.includes(si.status)) si.payment_method = resolvePaymentMethod(emu, pmId).id;
      return confirmSetupIntent(emu, si, { returnUrl: req.params.string("return_url") || null });
    },
  },
  {
    method: "POST",
    path: "/v1/setup_intents/:id/cancel",
    handler: (emu, req) => {
      const si = emu.store.setupIntents.require(req.pathParams.id!, "intent");
      return cancelSetupIntent(
        emu,
        si,
        req.params.oneOf("cancellation_reason", ["abandoned", "requested_by_customer", "duplicate"] as const) ?? null,
      );
    },
  },
  {
    method: "GET",
    path: "/v1/setup_intents",
    handler: (emu, req) => {
      const customer = req.params.string("customer");
      const pm = req.params.string("payment_method");
      return paginate(
        emu.store.setupIntents,
        req.params,
        req.path,
        (si) => (customer === undefined || si.customer === customer) && (pm === undefined || si.payment_method === pm),
      );
    },
  },
];

export function cancelSetupIntent(
  emu: Emulator,
  si: SetupIntent,
  reason: SetupIntent["cancellation_reason"],
): SetupIntent {
  if (!CANCELABLE.includes(si.status)) {
    throw stateError(
      `You cannot cancel this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
      { code: "setup_intent_unexpected_state" },
    );
  }
  const previous = { status: si.status };
  si.status = "canceled";
  si.cancellation_reason = reason;
  si.next_action = null;
  emu.emit("setup_intent.canceled", si, previous);
  return si;
}
