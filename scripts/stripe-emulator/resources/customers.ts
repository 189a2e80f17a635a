// Customers: create, retrieve, update, list (filter by email).

import type { Emulator } from "../emulator.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId, randomToken } from "../ids.js";
import { paginate } from "../list.js";
import type { Customer } from "../types.js";
import { changedFields } from "./shared.js";

const EDITABLE = ["email", "name", "description", "phone"] as const;

function applyEditable(customer: Customer, params: Params): void {
  for (const field of EDITABLE) {
    const v = params.nullableString(field);
    if (v !== undefined) customer[field] = v;
  }
  customer.metadata = applyMetadata(customer.metadata, params.metadata());
}

function applyInvoiceSettings(emu: Emulator, customer: Customer, params: Params): void {
  const pm = params.object("invoice_settings")?.nullableString("default_payment_method");
  if (pm) emu.store.paymentMethods.require(pm, "invoice_settings[default_payment_method]");
  if (pm !== undefined) customer.invoice_settings.default_payment_method = pm;
}

export function insertCustomer(
  emu: Emulator,
  fields: Partial<Pick<Customer, "email" | "name">> = {},
  params?: Params,
): Customer {
  const customer: Customer = {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: emu.unix(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email: null,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    ...fields,
  };
  if (params) {
    applyEditable(customer, params);
    applyInvoiceSettings(emu, customer, params);
  }
  emu.store.customers.insert(customer);
  emu.emit("customer.created", customer);
  return customer;
}

export const customerRoutes: Route[] = [
  { method: "POST", path: "/v1/customers", handler: (emu, req) => insertCustomer(emu, {}, req.params) },
  {
    method: "GET",
    path: "/v1/customers/:id",
    handler: (emu, req) => emu.store.customers.require(req.pathParams.id!, "id"),
  },
  {
    method: "POST",
    path: "/v1/customers/:id",
    handler: (emu, req) => {
      const customer = emu.store.customers.require(req.pathParams.id!, "id");
      const before = structuredClone(customer);
      applyEditable(customer, req.params);
      applyInvoiceSettings(emu, customer, req.params);
      const previous = changedFields(before, customer);
      if (previous) emu.emit("customer.updated", customer, previous);
      return customer;
    },
  },
  {
    method: "GET",
    path: "/v1/customers",
    handler: (emu, req) => {
      const email = req.params.string("email");
      return paginate(emu.store.customers, req.params, req.path, (c) => email === undefined || c.email === email);
    },
  },
];
