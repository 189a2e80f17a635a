import { z } from "zod";
import type { FulfilmentStatus } from "../../db/schema.js";
import { normalizeLineBreaks } from "./form-text";
import type { Translate } from "./locale";

// The forms of fulfilment (the creator's shipment, digital reward and answer to a problem; the
// backer's receipt and problem report) and the rules their fields share with the CSV import of
// tracking numbers. Pure: one schema per form, run in the browser and on the server.

export const CARRIER_MAX = 60;
export const TRACKING_NUMBER_MAX = 80;
export const URL_MAX = 500;
export const DIGITAL_KEY_MAX = 500;
export const NOTE_MAX = 2_000;
export const PROBLEM_KINDS = ["not_received", "damaged", "other"] as const;
export const FULFILMENT_STATUSES: readonly FulfilmentStatus[] = [
  "awaiting_survey",
  "ready",
  "shipped",
  "delivered",
  "received",
  "problem",
];

/** A tracking or download link: https only (a backer clicks it from an email). */
export function isHttpsUrl(value: string): boolean {
  if (value.length > URL_MAX || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/**
 * A shipment date as typed (YYYY-MM-DD), at noon UTC so it reads as the same day everywhere;
 * null when it is not a real date, before 2000, or more than a day ahead of `now`.
 */
export function parseShipDate(value: string, now: Date = new Date()): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 2000 || date.getTime() > now.getTime() + 36 * 3600_000) return null;
  return date;
}

/** The short reference the export shows for a pledge: its id's first 8 characters, upper case. */
export function shortReference(pledgeId: string): string {
  return pledgeId.slice(0, 8).toUpperCase();
}

const text = (required: string, tooLong: string, max: number) =>
  z
    .string({ error: required })
    .trim()
    .pipe(z.string({ error: required }).min(1, required).max(max, tooLong));

const note = (t: Translate, required: string) =>
  z
    .string({ error: required })
    .transform(normalizeLineBreaks)
    .pipe(
      z
        .string({ error: required })
        .trim()
        .min(1, required)
        .max(NOTE_MAX, t("fulfilment:validation.noteTooLong", { max: NOTE_MAX })),
    );

const pledgeId = (t: Translate) => z.uuid({ error: t("fulfilment:refusal.notFound") });

function shipmentFields(t: Translate) {
  return {
    carrier: text(t("fulfilment:validation.carrierRequired"), t("fulfilment:validation.carrierTooLong"), CARRIER_MAX),
    trackingNumber: text(
      t("fulfilment:validation.trackingRequired"),
      t("fulfilment:validation.trackingTooLong"),
      TRACKING_NUMBER_MAX,
    ),
    trackingUrl: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || isHttpsUrl(v), t("fulfilment:validation.trackingUrl")),
    shippedOn: z
      .string({ error: t("fulfilment:validation.shippedOn") })
      .refine((v) => parseShipDate(v) !== null, t("fulfilment:validation.shippedOn")),
  };
}

/** The creator marks a pledge's reward shipped. */
export function shipSchema(t: Translate) {
  return z.object({ intent: z.literal("ship"), pledgeId: pledgeId(t), ...shipmentFields(t) });
}

/** The creator marks a shipped reward delivered (the carrier says so). */
export function deliverSchema(t: Translate) {
  return z.object({ intent: z.literal("deliver"), pledgeId: pledgeId(t) });
}

/** The creator sends a digital reward: a download link (https) or a key. */
export function digitalSchema(t: Translate) {
  return z
    .object({
      intent: z.literal("digital"),
      pledgeId: pledgeId(t),
      digitalKind: z.enum(["link", "key"], { error: t("fulfilment:validation.digitalKind") }),
      digitalValue: text(
        t("fulfilment:validation.digitalRequired"),
        t("fulfilment:validation.digitalTooLong", { max: DIGITAL_KEY_MAX }),
        DIGITAL_KEY_MAX,
      ),
    })
    .superRefine((v, ctx) => {
      if (v.digitalKind === "link" && !isHttpsUrl(v.digitalValue))
        ctx.addIssue({ code: "custom", path: ["digitalValue"], message: t("fulfilment:validation.digitalLink") });
    });
}

/**
 * The creator answers a backer's problem: the answer alone, or with the outcome (a replacement
 * shipped, with its tracking, or the problem resolved).
 */
export function answerSchema(t: Translate) {
  return z
    .object({
      intent: z.literal("answer"),
      pledgeId: pledgeId(t),
      answer: note(t, t("fulfilment:validation.answerRequired")),
      outcome: z.enum(["answer", "replacement", "resolved"], { error: t("fulfilment:validation.outcome") }),
      carrier: z.string().trim().max(CARRIER_MAX, t("fulfilment:validation.carrierTooLong")).optional(),
      trackingNumber: z.string().trim().max(TRACKING_NUMBER_MAX, t("fulfilment:validation.trackingTooLong")).optional(),
      trackingUrl: z
        .string()
        .trim()
        .optional()
        .refine((v) => !v || isHttpsUrl(v), t("fulfilment:validation.trackingUrl")),
      shippedOn: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.outcome !== "replacement") return;
      if (!v.carrier)
        ctx.addIssue({ code: "custom", path: ["carrier"], message: t("fulfilment:validation.carrierRequired") });
      if (!v.trackingNumber)
        ctx.addIssue({
          code: "custom",
          path: ["trackingNumber"],
          message: t("fulfilment:validation.trackingRequired"),
        });
      if (!v.shippedOn || parseShipDate(v.shippedOn) === null)
        ctx.addIssue({ code: "custom", path: ["shippedOn"], message: t("fulfilment:validation.shippedOn") });
    });
}

/** The backer reports a problem with the reward. */
export function problemSchema(t: Translate) {
  return z.object({
    intent: z.literal("fulfilment-problem"),
    problemKind: z.enum(PROBLEM_KINDS, { error: t("fulfilment:validation.problemKind") }),
    problemNote: note(t, t("fulfilment:validation.problemNote")),
  });
}

/** The table's filters, from the query string; anything unknown is ignored rather than refused. */
export function parseFulfilmentFilters(params: URLSearchParams) {
  const status = params.get("status");
  const tier = params.get("tier");
  const country = params.get("country");
  const page = Number(params.get("page") ?? "1");
  return {
    status: FULFILMENT_STATUSES.includes(status as FulfilmentStatus) ? (status as FulfilmentStatus) : null,
    tierId: tier && /^[0-9a-f-]{36}$/i.test(tier) ? tier : null,
    country: country && /^[A-Z]{2,3}$/.test(country) ? country : null,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}
export type FulfilmentFilters = ReturnType<typeof parseFulfilmentFilters>;
