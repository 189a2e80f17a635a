// Connect: Express accounts and onboarding links. An account starts with its capabilities
// inactive and `requirements.currently_due` filled; completing the hosted onboarding page makes
// it `details_submitted`, `charges_enabled`, `payouts_enabled` with active capabilities.
// Each connected account has a balance of its own: transfers in (pending until the funds behind
// a `source_transaction` are available), reversals out, and its automatic payouts to its bank,
// which the emulator makes only when asked (`POST /_emulator/accounts/:id/pay_out`).

import type Stripe from "stripe";
import type { Emulator } from "../emulator.js";
import { invalidRequest, parameterInvalid, StripeApiError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId, randomToken } from "../ids.js";
import { paginate } from "../list.js";
import type { ConnectedBalanceEntry } from "../store.js";
import type { Account, AccountLink, Balance } from "../types.js";
import { balanceObject, sumBalance, type CurrencyBalance } from "./balance.js";
import { changedFields } from "./shared.js";

const ACCOUNT_LINK_TTL_SECONDS = 300;

const ONBOARDING_REQUIREMENTS = [
  "business_profile.mcc",
  "business_profile.url",
  "business_type",
  "external_account",
  "individual.dob.day",
  "individual.first_name",
  "individual.last_name",
  "tos_acceptance.date",
];

function requirements(due: string[]): Stripe.Account.Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: due,
    disabled_reason: due.length > 0 ? "requirements.past_due" : null,
    errors: [],
    eventually_due: due,
    past_due: due,
    pending_verification: [],
  };
}

function requestedCapabilities(params: Params): Array<keyof Stripe.Account.Capabilities> {
  const caps = params.object("capabilities");
  if (!caps) return [];
  const names = Object.keys(caps.data) as Array<keyof Stripe.Account.Capabilities>;
  return names.filter((n) => caps.object(n)?.bool("requested") === true);
}

function createAccount(emu: Emulator, params: Params): Account {
  const type = params.oneOf("type", ["express", "standard", "custom"] as const);
  const controller = params.object("controller");
  if (!type && !controller)
    throw invalidRequest("You must specify either `type` or `controller` when creating an account.", { param: "type" });
  const country = (params.string("country") || "US").toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw parameterInvalid(
      "country",
      `Country '${country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.`,
    );
  const capabilities: Stripe.Account.Capabilities = {};
  for (const name of requestedCapabilities(params)) capabilities[name] = "inactive";
  const profile = params.object("business_profile");
  const account: Account = {
    id: newId("acct"),
    object: "account",
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: null,
      minority_owned_business_designation: null,
      name: profile?.string("name") ?? null,
      product_description: profile?.string("product_description") ?? null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: profile?.string("url") ?? null,
    },
    business_type: (params.string("business_type") as Stripe.Account.BusinessType | undefined) ?? null,
    capabilities,
    charges_enabled: false,
    country,
    created: emu.unix(),
    default_currency: params.string("default_currency")?.toLowerCase() ?? (country === "US" ? "usd" : "eur"),
    details_submitted: false,
    email: params.string("email") ?? null,
    metadata: applyMetadata({}, params.metadata()),
    payouts_enabled: false,
    requirements: requirements(ONBOARDING_REQUIREMENTS),
    type: type ?? "express",
  };
  emu.store.accounts.insert(account);
  return account;
}

/** What the hosted onboarding page calls when the user completes it. */
export function completeOnboarding(emu: Emulator, account: Account): void {
  const before = structuredClone(account);
  const caps: Stripe.Account.Capabilities = { ...account.capabilities };
  if (Object.keys(caps).length === 0) caps.transfers = "active";
  for (const k of Object.keys(caps) as Array<keyof Stripe.Account.Capabilities>) caps[k] = "active";
  account.capabilities = caps;
  account.details_submitted = true;
  account.charges_enabled = true;
  account.payouts_enabled = true;
  account.requirements = requirements([]);
  const previous = changedFields(before, account);
  emu.emit("account.updated", account, previous ?? undefined);
}

/** Stripe refuses transfers to accounts without an active `transfers` capability. */
export function requireTransferCapability(emu: Emulator, accountId: string, param: string): Account {
  const account = emu.store.accounts.get(accountId);
  if (!account) throw invalidRequest(`No such destination: '${accountId}'`, { param, code: "resource_missing" });
  const caps = account.capabilities ?? {};
  if (caps.transfers !== "active" && caps.card_payments !== "active") {
    throw new StripeApiError(
      400,
      {
        type: "invalid_request_error",
        code: "insufficient_capabilities_for_transfer",
        param,
        message:
          "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
      },
      { idempotentResult: true },
    );
  }
  return account;
}

/** Adds a line to a connected account's balance (a transfer in, a reversal or a payout out). */
export function recordConnectedBalance(
  emu: Emulator,
  accountId: string,
  entry: Omit<ConnectedBalanceEntry, "created">,
): void {
  const ledger = (emu.store.internal.connectedBalances[accountId] ??= []);
  ledger.push({ ...entry, created: emu.unix() });
}

/** A connected account's available and pending amounts per currency, on the emulator clock. */
export function connectedBalances(emu: Emulator, accountId: string): Map<string, CurrencyBalance> {
  const now = emu.unix();
  return sumBalance(
    (emu.store.internal.connectedBalances[accountId] ?? []).map((e) => ({
      net: e.amount,
      currency: e.currency,
      pending: e.available_on > now,
    })),
  );
}

export function connectedBalanceObject(emu: Emulator, accountId: string): Balance {
  return balanceObject(connectedBalances(emu, accountId));
}

export interface ConnectedPayout {
  id: string;
  amount: number;
  currency: string;
}

/**
 * The connected account's automatic payout: everything available (per currency) leaves for its
 * bank; pending funds stay. Refused while the account cannot be paid out.
 */
export function payOutConnectedAccount(emu: Emulator, account: Account): ConnectedPayout[] {
  if (!account.payouts_enabled) {
    throw invalidRequest(`Payouts are not enabled for account ${account.id}; complete its onboarding first.`);
  }
  const payouts: ConnectedPayout[] = [];
  for (const [currency, b] of connectedBalances(emu, account.id)) {
    if (b.available <= 0) continue;
    const id = `po_${randomToken(24)}`;
    recordConnectedBalance(emu, account.id, {
      type: "payout",
      amount: -b.available,
      currency,
      available_on: emu.unix(),
      source: id,
    });
    payouts.push({ id, amount: b.available, currency });
  }
  emu.changed();
  return payouts;
}

function createAccountLink(emu: Emulator, params: Params): AccountLink {
  const accountId = params.requireString("account");
  emu.store.accounts.require(accountId, "account");
  const type = params.requireString("type");
  if (type !== "account_onboarding" && type !== "account_update") {
    throw parameterInvalid("type", `Invalid type: must be one of account_onboarding or account_update`);
  }
  const refreshUrl = params.requireString("refresh_url");
  const returnUrl = params.requireString("return_url");
  for (const [name, url] of [
    ["refresh_url", refreshUrl],
    ["return_url", returnUrl],
  ] as const) {
    if (!/^https?:\/\//.test(url)) throw parameterInvalid(name, "Not a valid URL", "url_invalid");
  }
  const token = randomToken(32);
  const created = emu.unix();
  emu.store.internal.accountLinks[token] = {
    account: accountId,
    refresh_url: refreshUrl,
    return_url: returnUrl,
    expires_at: created + ACCOUNT_LINK_TTL_SECONDS,
    used: false,
  };
  return {
    object: "account_link",
    created,
    expires_at: created + ACCOUNT_LINK_TTL_SECONDS,
    url: `${emu.publicUrl}/connect/onboarding/${token}`,
  };
}

export const accountRoutes: Route[] = [
  { method: "POST", path: "/v1/accounts", handler: (emu, req) => createAccount(emu, req.params) },
  {
    method: "GET",
    path: "/v1/accounts/:id",
    handler: (emu, req) => emu.store.accounts.require(req.pathParams.id!, "account"),
  },
  {
    method: "POST",
    path: "/v1/accounts/:id",
    handler: (emu, req) => {
      const account = emu.store.accounts.require(req.pathParams.id!, "account");
      const before = structuredClone(account);
      const email = req.params.nullableString("email");
      if (email !== undefined) account.email = email;
      account.metadata = applyMetadata(account.metadata ?? {}, req.params.metadata());
      const caps = { ...account.capabilities };
      for (const name of requestedCapabilities(req.params)) {
        if (!caps[name]) caps[name] = account.details_submitted ? "active" : "inactive";
      }
      account.capabilities = caps;
      const previous = changedFields(before, account);
      if (previous) emu.emit("account.updated", account, previous);
      return account;
    },
  },
  { method: "GET", path: "/v1/accounts", handler: (emu, req) => paginate(emu.store.accounts, req.params, req.path) },
  { method: "POST", path: "/v1/account_links", handler: (emu, req) => createAccountLink(emu, req.params) },
];
