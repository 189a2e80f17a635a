// PaymentMethods (cards only): create from test card numbers, Stripe's `pm_card_*` shortcuts,
// attach/detach to customers, list a customer's cards.
//
// As on Stripe, a `pm_card_visa`-style id is not an object: each use materialises a fresh
// `pm_...` for the card it stands for. Attaching runs the issuer's card verification, so
// 4000000000000002 is refused there while 4000000000000341 attaches and fails only when charged.

import {
  isTestToken,
  issuerDecision,
  resolveCardInput,
  resolveTestToken,
  testCardByToken,
  type ResolvedCard,
} from "../cards.js";
import type { Emulator } from "../emulator.js";
import { invalidRequest, parameterInvalid, StripeApiError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import type { PaymentMethod } from "../types.js";

export interface BillingInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export function storeCard(
  emu: Emulator,
  card: ResolvedCard,
  billing: BillingInput = {},
  metadata: Record<string, string> = {},
): PaymentMethod {
  const pm: PaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: billing.email ?? null,
      name: billing.name ?? null,
      phone: billing.phone ?? null,
      tax_id: null,
    },
    card: {
      brand: card.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: card.card.country,
      display_brand: card.card.brand,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: card.card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: emu.unix(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata,
    type: "card",
  };
  emu.store.paymentMethods.insert(pm);
  emu.store.internal.cards[pm.id] = { behaviour: card.card.behaviour, authenticatedAtSetup: false };
  emu.changed(); // also reached from GET /v1/payment_methods/pm_card_visa
  return pm;
}

/** A stored PaymentMethod, or a fresh one when `id` is a `pm_card_*` test shortcut. */
export function resolvePaymentMethod(emu: Emulator, id: string, param = "payment_method"): PaymentMethod {
  const card = testCardByToken(id);
  if (card) return storeCard(emu, resolveTestToken(card, new Date(emu.now())));
  if (!id.startsWith("pm_"))
    throw invalidRequest(`No such PaymentMethod: '${id}'`, { param, code: "resource_missing" });
  return emu.store.paymentMethods.require(id, param);
}

export function cardStateOf(emu: Emulator, pm: PaymentMethod) {
  return emu.store.internal.cards[pm.id] ?? { behaviour: "succeeds" as const, authenticatedAtSetup: false };
}

/** Attaches after the issuer's verification; a refused card raises Stripe's 402 card_error. */
function attachPaymentMethod(emu: Emulator, pm: PaymentMethod, customerId: string, param = "customer"): PaymentMethod {
  emu.store.customers.require(customerId, param);
  if (pm.customer === customerId) return pm;
  if (pm.customer) {
    throw invalidRequest("The payment method you provided has already been attached to a customer.", {
      code: "payment_method_unexpected_state",
    });
  }
  const decision = issuerDecision(cardStateOf(emu, pm).behaviour, {
    operation: "attach",
    offSession: false,
    authenticatedAtSetup: false,
    authenticatedNow: false,
  });
  if (decision.kind === "declined") {
    throw new StripeApiError(402, {
      type: "card_error",
      code: decision.code,
      decline_code: decision.declineCode,
      message: decision.message,
    });
  }
  pm.customer = customerId;
  emu.emit("payment_method.attached", pm);
  return pm;
}

function createFromParams(emu: Emulator, params: Params): PaymentMethod {
  const type = params.requireString("type");
  if (type !== "card") {
    throw parameterInvalid(
      "type",
      `The payment method type "${type}" is not supported by the Colecta Stripe emulator; use "card".`,
    );
  }
  const card = params.object("card");
  if (!card) throw invalidRequest("Missing required param: card.", { param: "card", code: "parameter_missing" });
  const resolved = resolveCardInput(
    {
      number: card.requireString("number"),
      expMonth: card.requireInt("exp_month"),
      expYear: card.requireInt("exp_year"),
      cvc: card.string("cvc"),
    },
    new Date(emu.now()),
  );
  const billing = params.object("billing_details");
  const metadata = applyMetadata({}, params.metadata());
  return storeCard(
    emu,
    resolved,
    {
      name: billing?.nullableString("name"),
      email: billing?.nullableString("email"),
      phone: billing?.nullableString("phone"),
    },
    metadata,
  );
}

function listForCustomer(emu: Emulator, params: Params, path: string, customerId: string | undefined) {
  if (customerId) emu.store.customers.require(customerId, "customer");
  const type = params.string("type");
  return paginate(
    emu.store.paymentMethods,
    params,
    path,
    (pm) => (customerId === undefined || pm.customer === customerId) && (type === undefined || pm.type === type),
  );
}

export const paymentMethodRoutes: Route[] = [
  { method: "POST", path: "/v1/payment_methods", handler: (emu, req) => createFromParams(emu, req.params) },
  {
    method: "GET",
    path: "/v1/payment_methods/:id",
    handler: (emu, req) => resolvePaymentMethod(emu, req.pathParams.id!, "id"),
  },
  {
    method: "POST",
    path: "/v1/payment_methods/:id",
    handler: (emu, req) => {
      const pm = emu.store.paymentMethods.require(req.pathParams.id!, "id");
      pm.metadata = applyMetadata(pm.metadata ?? {}, req.params.metadata());
      const billing = req.params.object("billing_details");
      for (const field of ["name", "email", "phone"] as const) {
        const v = billing?.nullableString(field);
        if (v !== undefined) pm.billing_details[field] = v;
      }
      emu.emit("payment_method.updated", pm);
      return pm;
    },
  },
  {
    method: "POST",
    path: "/v1/payment_methods/:id/attach",
    handler: (emu, req) => {
      const pm = resolvePaymentMethod(emu, req.pathParams.id!, "id");
      return attachPaymentMethod(emu, pm, req.params.requireString("customer"));
    },
  },
  {
    method: "POST",
    path: "/v1/payment_methods/:id/detach",
    handler: (emu, req) => {
      const id = req.pathParams.id!;
      if (isTestToken(id))
        throw invalidRequest(
          "The payment method you provided is not attached to a customer so detachment is impossible.",
        );
      const pm = emu.store.paymentMethods.require(id, "id");
      if (!pm.customer) {
        throw invalidRequest(
          "The payment method you provided is not attached to a customer so detachment is impossible.",
          {
            code: "payment_method_unexpected_state",
          },
        );
      }
      const previous = { customer: pm.customer };
      pm.customer = null;
      emu.emit("payment_method.detached", pm, previous);
      return pm;
    },
  },
  {
    method: "GET",
    path: "/v1/payment_methods",
    handler: (emu, req) => listForCustomer(emu, req.params, req.path, req.params.string("customer") || undefined),
  },
  {
    method: "GET",
    path: "/v1/customers/:id/payment_methods",
    handler: (emu, req) => listForCustomer(emu, req.params, req.path, req.pathParams.id!),
  },
];
