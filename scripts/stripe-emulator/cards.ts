// Stripe's published test cards (https://docs.stripe.com/testing) and what each one does.
// A card's behaviour is decided by its number; the `pm_card_*` ids are shortcuts that
// stand for the same numbers.

import { createHash } from "node:crypto";
import { StripeApiError } from "./http/errors.js";

export type CardBehaviour =
  /** Everything succeeds. */
  | "succeeds"
  /** Declined at every step, including the $0 verification when attached or set up. */
  | "declined"
  /** Attaches fine, any charge is declined for insufficient funds. */
  | "insufficient_funds"
  /** Attaches and sets up fine, every charge is declined (the "card was cancelled later" case). */
  | "declined_on_charge"
  /** 3D Secure on setup and on-session payments; off-session works once set up with authentication. */
  | "authentication_on_setup"
  /** 3D Secure on every transaction; off-session charges fail with authentication_required. */
  | "authentication_always"
  /** The charge succeeds, then the cardholder disputes it as fraudulent. */
  | "disputed"
  /** The charge succeeds; a refund starts as succeeded and fails asynchronously. */
  | "refund_fails";

export interface TestCard {
  number: string;
  token: string;
  brand: "visa" | "mastercard" | "amex";
  behaviour: CardBehaviour;
  /** Shown on the hosted checkout page's test card list. */
  label: string;
  funding: "credit" | "debit";
  country: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  {
    number: "4242424242424242",
    token: "pm_card_visa",
    brand: "visa",
    behaviour: "succeeds",
    label: "Succeeds",
    funding: "credit",
    country: "US",
  },
  {
    number: "5555555555554444",
    token: "pm_card_mastercard",
    brand: "mastercard",
    behaviour: "succeeds",
    label: "Succeeds (Mastercard)",
    funding: "credit",
    country: "US",
  },
  {
    number: "378282246310005",
    token: "pm_card_amex",
    brand: "amex",
    behaviour: "succeeds",
    label: "Succeeds (Amex)",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000000000000002",
    token: "pm_card_visa_chargeDeclined",
    brand: "visa",
    behaviour: "declined",
    label: "Declined",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000000000009995",
    token: "pm_card_visa_chargeDeclinedInsufficientFunds",
    brand: "visa",
    behaviour: "insufficient_funds",
    label: "Insufficient funds",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000000000000341",
    token: "pm_card_chargeCustomerFail",
    brand: "visa",
    behaviour: "declined_on_charge",
    label: "Saves, then declines when charged",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000002500003155",
    token: "pm_card_authenticationRequiredOnSetup",
    brand: "visa",
    behaviour: "authentication_on_setup",
    label: "3D Secure on setup",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000002760003184",
    token: "pm_card_authenticationRequired",
    brand: "visa",
    behaviour: "authentication_always",
    label: "3D Secure always",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000000000000259",
    token: "pm_card_createDispute",
    brand: "visa",
    behaviour: "disputed",
    label: "Succeeds, then disputed",
    funding: "credit",
    country: "US",
  },
  {
    number: "4000000000005126",
    token: "pm_card_refundFail",
    brand: "visa",
    behaviour: "refund_fails",
    label: "Succeeds, refunds fail",
    funding: "credit",
    country: "US",
  },
];

const BY_NUMBER = new Map(TEST_CARDS.map((c) => [c.number, c]));
const BY_TOKEN = new Map(TEST_CARDS.map((c) => [c.token, c]));

export function testCardByToken(token: string): TestCard | undefined {
  return BY_TOKEN.get(token);
}

export function isTestToken(id: string): boolean {
  return BY_TOKEN.has(id);
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc?: string;
}

/** A validated card: the test card it matches (or a generic succeeding card of its brand). */
export interface ResolvedCard {
  card: TestCard;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): TestCard["brand"] | null {
  if (digits.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  return null;
}

function cardError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(402, { type: "card_error", code, message, param });
}

/**
 * Validates raw card details the way Stripe's tokenizer does. `now` is the emulator clock,
 * so expiry checks follow an advanced clock too.
 */
export function resolveCardInput(input: CardInput, now: Date, paramPrefix = "card"): ResolvedCard {
  const digits = input.number.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits) || brandOf(digits) === null) {
    throw cardError("invalid_number", "Your card number is invalid.", `${paramPrefix}[number]`);
  }
  if (!luhnValid(digits)) {
    throw cardError("incorrect_number", "Your card number is incorrect.", `${paramPrefix}[number]`);
  }
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12) {
    throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", `${paramPrefix}[exp_month]`);
  }
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const thisYear = now.getUTCFullYear();
  if (!Number.isInteger(year) || year < thisYear || year > thisYear + 50) {
    throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", `${paramPrefix}[exp_year]`);
  }
  if (year === thisYear && input.expMonth < now.getUTCMonth() + 1) {
    throw cardError("invalid_expiry_month", "Your card's expiration date is in the past.", `${paramPrefix}[exp_month]`);
  }
  const brand = brandOf(digits)!;
  if (input.cvc !== undefined && input.cvc !== "" && !/^\d{3,4}$/.test(input.cvc)) {
    throw cardError("invalid_cvc", "Your card's security code is invalid.", `${paramPrefix}[cvc]`);
  }
  const card = BY_NUMBER.get(digits) ?? {
    number: digits,
    token: "",
    brand,
    behaviour: "succeeds",
    label: "Succeeds",
    funding: "credit",
    country: "US",
  };
  return { card, last4: digits.slice(-4), expMonth: input.expMonth, expYear: year, fingerprint: fingerprintOf(digits) };
}

/** The card a `pm_card_*` shortcut stands for, with an expiry a year ahead like Stripe's. */
export function resolveTestToken(card: TestCard, now: Date): ResolvedCard {
  return {
    card,
    last4: card.number.slice(-4),
    expMonth: now.getUTCMonth() + 1,
    expYear: now.getUTCFullYear() + 1,
    fingerprint: fingerprintOf(card.number),
  };
}

function fingerprintOf(digits: string): string {
  return createHash("sha256").update(`colecta-emulator:${digits}`).digest("base64url").slice(0, 16);
}

/** The outcome of presenting a card to the (simulated) issuer. */
export type IssuerDecision =
  | { kind: "approved" }
  | { kind: "declined"; code: string; declineCode: string; message: string }
  | { kind: "authentication_required" };

export const DECLINE_MESSAGES = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  authentication_required: "Your card was declined. This transaction requires authentication.",
} as const;

function declined(declineCode: keyof typeof DECLINE_MESSAGES): IssuerDecision {
  return { kind: "declined", code: "card_declined", declineCode, message: DECLINE_MESSAGES[declineCode] };
}

export interface IssuerContext {
  /** "setup": saving the card (SetupIntent / attach). "payment": moving money. */
  operation: "setup" | "attach" | "payment";
  /** The customer is not present to authenticate (off_session=true). */
  offSession: boolean;
  /** This payment method already went through a setup with a completed 3DS challenge. */
  authenticatedAtSetup: boolean;
  /** The customer just completed a 3DS challenge for this very attempt. */
  authenticatedNow: boolean;
}

/** What the issuer says about a card for a given operation, following Stripe's test card docs. */
export function issuerDecision(behaviour: CardBehaviour, ctx: IssuerContext): IssuerDecision {
  switch (behaviour) {
    case "succeeds":
    case "disputed":
    case "refund_fails":
      return { kind: "approved" };
    case "declined":
      return declined("generic_decline");
    case "insufficient_funds":
      return ctx.operation === "payment" ? declined("insufficient_funds") : { kind: "approved" };
    case "declined_on_charge":
      return ctx.operation === "payment" ? declined("generic_decline") : { kind: "approved" };
    case "authentication_on_setup":
      if (ctx.authenticatedNow || ctx.operation === "attach") return { kind: "approved" };
      if (ctx.operation === "payment" && ctx.offSession && ctx.authenticatedAtSetup) return { kind: "approved" };
      return { kind: "authentication_required" };
    case "authentication_always":
      if (ctx.authenticatedNow || ctx.operation === "attach") return { kind: "approved" };
      return { kind: "authentication_required" };
  }
}
