import { z } from "zod";
import type { CampaignLanguage, Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import { CATEGORIES } from "./catalog";
import { DURATION_MAX_DAYS, DURATION_MIN_DAYS, endDateProblem, utcDay } from "./campaign-terms";
import { formText, toLocalInputValue } from "./form-text";
import { LOCALES, type Locale, type Translate } from "./locale";
import { CURRENCY_CODES, formatNumber, parseAmount } from "./money";

// The campaign form: what a draft may contain (create, and edit before launch) and what may
// still change once it is live. Pure: the same schema runs in the browser and on the server,
// built with the reader's translate function (its messages) and language (how amounts are typed).

export const TITLE_MAX = 80;
export const BLURB_MAX = 160;
export const STORY_MIN = 200;
const STORY_MAX = 50_000;
export const COVER_ALT_MAX = 250;
const SLUG_MIN = 3;
const SLUG_MAX = 80;
export const COVER_MAX_BYTES = 5_000_000;

const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "Solar Kettle: Tea, anywhere!" -> "solar-kettle-tea-anywhere". */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}

function slugProblem(slug: string, t: Translate): string | null {
  if (slug.length < SLUG_MIN) return t("campaignForm:validation.slugTooShort", { min: SLUG_MIN });
  if (slug.length > SLUG_MAX) return t("campaignForm:validation.slugTooLong", { max: SLUG_MAX });
  if (!SLUG_PATTERN.test(slug)) return t("campaignForm:validation.slugPattern");
  return null;
}

const campaignTextFields = (t: Translate, locale: Locale) => ({
  title: z
    .string({ error: t("campaignForm:validation.titleRequired") })
    .trim()
    .min(1, t("campaignForm:validation.titleRequired"))
    .max(TITLE_MAX, t("campaignForm:validation.titleTooLong", { max: TITLE_MAX })),
  blurb: formText(BLURB_MAX, t("campaignForm:validation.blurbTooLong", { max: BLURB_MAX })),
  storyMd: formText(STORY_MAX, t("campaignForm:validation.storyTooLong", { max: formatNumber(STORY_MAX, locale) })),
  category: z.enum(CATEGORIES.map((c) => c.slug) as [string, ...string[]], {
    error: t("campaignForm:validation.categoryRequired"),
  }),
  coverAlt: formText(COVER_ALT_MAX, t("campaignForm:validation.coverAltTooLong", { max: COVER_ALT_MAX })),
  // The language the creator writes in: shown to readers, and the language of its search index.
  // Absent (an older form) keeps the saved one; a new campaign then gets the database's default.
  language: z.enum(LOCALES, { error: t("content:language.invalid") }).optional(),
});

export interface CampaignDraftInput {
  title: string;
  slug: string;
  blurb: string;
  storyMd: string;
  category: string;
  coverAlt: string;
  language?: CampaignLanguage;
  goalAmount: number;
  currency: CurrencyCode;
  durationDays: number | null;
  endDate: string | null;
  fundingModel: FundingModel;
  collection: Collection;
}

/**
 * The draft form (create, and edit before launch), its messages in the reader's language and the
 * goal read as the reader types amounts ("1.500,50" in Spanish). `now` decides which end dates
 * are allowed.
 */
export function campaignDraftSchema(t: Translate, locale: Locale, now: Date = new Date()) {
  const amount = (goal: string, currency: CurrencyCode) => parseAmount(goal, currency, { locale, t });
  return z
    .object({
      ...campaignTextFields(t, locale),
      slug: z
        .string()
        .trim()
        .toLowerCase()
        .max(200, t("campaignForm:validation.slugTooLong", { max: SLUG_MAX }))
        .default(""),
      goal: z
        .string({ error: t("campaignForm:validation.goalRequired") })
        .trim()
        .min(1, t("campaignForm:validation.goalRequired")),
      currency: z.enum(CURRENCY_CODES as [CurrencyCode, ...CurrencyCode[]], {
        error: t("campaignForm:validation.currencyRequired"),
      }),
      deadlineMode: z.enum(["duration", "date"], { error: t("campaignForm:validation.deadlineModeRequired") }),
      durationDays: z.string().trim().default(""),
      endDate: z.string().trim().default(""),
      fundingModel: z.enum(["all_or_nothing", "flexible"], {
        error: t("campaignForm:validation.fundingModelRequired"),
      }),
      collection: z.enum(["at_deadline", "immediate"], { error: t("campaignForm:validation.collectionRequired") }),
      // The campaign's own language (the one it is written in) will join these fields here.
    })
    .superRefine((v, ctx) => {
      const slug = v.slug || slugify(v.title);
      const slugIssue = slugProblem(slug, t);
      if (slugIssue && (v.slug || v.title))
        ctx.addIssue({
          code: "custom",
          path: ["slug"],
          message: v.slug ? slugIssue : t("campaignForm:validation.slugFromTitle", { problem: slugIssue }),
        });
      const goal = amount(v.goal, v.currency);
      if (!goal.ok) ctx.addIssue({ code: "custom", path: ["goal"], message: goal.message });
      if (v.deadlineMode === "duration") {
        if (
          !/^\d{1,3}$/.test(v.durationDays) ||
          Number(v.durationDays) < DURATION_MIN_DAYS ||
          Number(v.durationDays) > DURATION_MAX_DAYS
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["durationDays"],
            message: t("campaignForm:validation.duration", { min: DURATION_MIN_DAYS, max: DURATION_MAX_DAYS }),
          });
        }
      } else {
        const problem = v.endDate ? endDateProblem(v.endDate, now, t) : t("campaignForm:validation.endDateRequired");
        if (problem) ctx.addIssue({ code: "custom", path: ["endDate"], message: problem });
      }
    })
    .transform((v): CampaignDraftInput => ({
      title: v.title,
      slug: v.slug || slugify(v.title),
      blurb: v.blurb,
      storyMd: v.storyMd,
      category: v.category,
      coverAlt: v.coverAlt,
      language: v.language,
      goalAmount: (amount(v.goal, v.currency) as { ok: true; amount: number }).amount,
      currency: v.currency,
      durationDays: v.deadlineMode === "duration" ? Number(v.durationDays) : null,
      endDate: v.deadlineMode === "date" ? v.endDate : null,
      fundingModel: v.fundingModel,
      collection: v.collection,
    }));
}

export type CampaignLiveInput = Pick<
  CampaignDraftInput,
  "title" | "blurb" | "storyMd" | "category" | "coverAlt" | "language"
>;

/** The edit form once live: only the words and the picture can change. */
export function campaignLiveSchema(t: Translate, locale: Locale) {
  return z.object(campaignTextFields(t, locale));
}

/** Form values for editing an existing draft; the goal with the reader's decimal mark. */
export function campaignFormValues(
  c: {
    title: string;
    slug: string;
    blurb: string;
    story_md: string;
    category: string;
    cover_alt: string;
    language: CampaignLanguage;
    goal_amount: number;
    currency: CurrencyCode;
    duration_days: number | null;
    deadline: Date | string | null;
    funding_model: FundingModel;
    collection: Collection;
  },
  locale: Locale,
) {
  return {
    title: c.title,
    slug: c.slug,
    blurb: c.blurb,
    storyMd: c.story_md,
    category: c.category,
    coverAlt: c.cover_alt,
    language: c.language,
    goal: toLocalInputValue(Number(c.goal_amount), c.currency, locale),
    currency: c.currency,
    deadlineMode: c.duration_days === null && c.deadline ? "date" : "duration",
    durationDays: c.duration_days === null ? (c.deadline ? "" : "30") : String(c.duration_days),
    endDate: c.duration_days === null && c.deadline ? utcDay(new Date(c.deadline)) : "",
    fundingModel: c.funding_model,
    collection: c.collection,
  };
}
