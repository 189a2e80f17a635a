// Stripe-looking ids: a prefix plus random base62 characters (`pi_3Pq...`). Checkout Session
// ids are long like Stripe's (`cs_test_a1...`), which matters for apps that size columns.

import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Random bytes come from a pool refilled in chunks: one syscall per ~170 ids, not per id.
let pool = Buffer.alloc(0);
let offset = 0;

export function randomToken(length: number): string {
  if (offset + length > pool.length) {
    pool = randomBytes(Math.max(4096, length));
    offset = 0;
  }
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[pool[offset++]! % 62];
  return out;
}

export type IdPrefix =
  | "cus"
  | "pm"
  | "seti"
  | "pi"
  | "ch"
  | "txn"
  | "re"
  | "dp"
  | "acct"
  | "tr"
  | "evt"
  | "we"
  | "req"
  | "fee"
  | "py"
  | "src";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken(24)}`;
}

export function newCheckoutSessionId(): string {
  return `cs_test_${randomToken(58)}`;
}

export function clientSecret(id: string): string {
  return `${id}_secret_${randomToken(24)}`;
}
