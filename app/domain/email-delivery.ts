import type { EmailCategory } from "../../db/schema.js";

// The rules of email delivery, pure: which mail a person may turn off, how a failed send is
// judged (try again later, or give up), and when the next try is due.

export const EMAIL_CATEGORIES = ["transactional", "updates", "comments", "messages", "reminders"] as const;
/** Everything but transactional mail (receipts, payment failed, refunds, password reset). */
export const OPTIONAL_CATEGORIES = ["updates", "comments", "messages", "reminders"] as const;
export type OptionalCategory = (typeof OPTIONAL_CATEGORIES)[number];

export const isOptionalCategory = (value: unknown): value is OptionalCategory =>
  (OPTIONAL_CATEGORIES as readonly unknown[]).includes(value);

/** Transactional mail is always sent; the rest honours the recipient's preferences. */
export const mayBeMuted = (category: EmailCategory) => category !== "transactional";

/** After this many tries a temporary failure is given up on (about two days of backoff). */
export const MAX_DELIVERY_ATTEMPTS = 12;
const BASE_DELAY_MS = 30_000;
const CAP_DELAY_MS = 6 * 60 * 60_000;

export type SendVerdict = { kind: "temporary"; reason: string } | { kind: "permanent"; reason: string };

/**
 * Judges a failed send from what nodemailer reports: an SMTP reply code 5xx is permanent (the
 * server refused this message for good), a 4xx, a refused connection, a timeout or any other
 * network error is temporary. The reason is the server's reply when there is one.
 */
export function judgeSendError(error: {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}): SendVerdict {
  const reason = (error.response ?? [error.code, error.message].filter(Boolean).join(": ")).slice(0, 500);
  if (typeof error.responseCode === "number" && error.responseCode >= 500 && error.responseCode < 600) {
    return { kind: "permanent", reason };
  }
  return { kind: "temporary", reason: reason || "unknown error" };
}

/**
 * When a temporary failure is tried again: exponential in the attempt (30 s, 1 min, 2 min, …,
 * capped at 6 h) with "equal jitter" (half fixed, half random), so a server coming back is not
 * hit by every waiting email at once, and no retry is ever immediate.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The host part of Message-IDs: APP_URL's host, so IDs are unique to this site. */
export const messageIdHost = (appUrl: string) => new URL(appUrl).hostname;
