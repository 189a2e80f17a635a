import { z } from "zod";
import type { CampaignLanguage, Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import { CATEGORIES } from "./catalog";
import { DURATION_MAX_DAYS, DURATION_MIN_DAYS, endDateProblem, utcDay } from "./campaign-terms";
import { formText } from "./form-text";
import { LOCALES } from "./locale";
import { CURRENCY_CODES, parseAmount, toInputValue } from "./money";

// The campaign form: what a draft may contain (create, and edit before launch) and what may
// still change once it is live. Pure: the same schema runs in the browser and on the server.

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

function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN) return `Use at least ${SLUG_MIN} letters or digits in the web address.`;
  if (slug.length > SLUG_MAX) return `Keep the web address under ${SLUG_MAX} characters.`;
  if (!SLUG_PATTERN.test(slug)) return "Use lowercase letters, digits and single hyphens only, like solar-kettle.";
  return null;
}

const campaignTextFields = {
  title: z
    .string({ error: "Give your campaign a title." })
    .trim()
    .min(1, "Give your campaign a title.")
    .max(TITLE_MAX, `Keep the title under ${TITLE_MAX} characters.`),
  blurb: formText(BLURB_MAX, `Keep the blurb to one line: ${BLURB_MAX} characters at most.`),
  storyMd: formText(STORY_MAX, `The story can be at most ${STORY_MAX.toLocaleString("en-US")} characters.`),
  category: z.enum(CATEGORIES.map((c) => c.slug) as [string, ...string[]], { error: "Choose a category." }),
  coverAlt: formText(COVER_ALT_MAX, `Keep the description under ${COVER_ALT_MAX} characters.`),
  // The language the creator writes in: shown to readers, and the language of its search index.
  // Absent (an older form) keeps the saved one; a new campaign then gets the database's default.
  language: z.enum(LOCALES, { error: "Choose the language your campaign is written in." }).optional(),
};

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

/** The draft form (create, and edit before launch). `now` decides which end dates are allowed. */
export function campaignDraftSchema(now: Date = new Date()) {
  return z
    .object({
      ...campaignTextFields,
      slug: z.string().trim().toLowerCase().max(200, `Keep the web address under ${SLUG_MAX} characters.`).default(""),
      goal: z.string({ error: "Enter your funding goal." }).trim().min(1, "Enter your funding goal."),
      currency: z.enum(CURRENCY_CODES as [CurrencyCode, ...CurrencyCode[]], { error: "Choose a currency." }),
      deadlineMode: z.enum(["duration", "date"], { error: "Choose how the campaign ends." }),
      durationDays: z.string().trim().default(""),
      endDate: z.string().trim().default(""),
      fundingModel: z.enum(["all_or_nothing", "flexible"], { error: "Choose a funding model." }),
      collection: z.enum(["at_deadline", "immediate"], { error: "Choose when backers are charged." }),
    })
    .superRefine((v, ctx) => {
      const slug = v.slug || slugify(v.title);
      const slugIssue = slugProblem(slug);
      if (slugIssue && (v.slug || v.title))
        ctx.addIssue({
          code: "custom",
          path: ["slug"],
          message: v.slug ? slugIssue : `${slugIssue} We couldn't make one from the title; type one here.`,
        });
      const goal = parseAmount(v.goal, v.currency);
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
            message: `Choose a duration of ${DURATION_MIN_DAYS} to ${DURATION_MAX_DAYS} days.`,
          });
        }
      } else {
        const problem = v.endDate ? endDateProblem(v.endDate, now) : "Choose the date your campaign ends.";
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
      goalAmount: (parseAmount(v.goal, v.currency) as { ok: true; amount: number }).amount,
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
export const campaignLiveSchema = z.object(campaignTextFields);

/** Form values for editing an existing draft. */
export function campaignFormValues(c: {
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
}) {
  return {
    title: c.title,
    slug: c.slug,
    blurb: c.blurb,
    storyMd: c.story_md,
    category: c.category,
    coverAlt: c.cover_alt,
    language: c.language,
    goal: toInputValue(Number(c.goal_amount), c.currency),
    currency: c.currency,
    deadlineMode: c.duration_days === null && c.deadline ? "date" : "duration",
    durationDays: c.duration_days === null ? (c.deadline ? "" : "30") : String(c.duration_days),
    endDate: c.duration_days === null && c.deadline ? utcDay(new Date(c.deadline)) : "",
    fundingModel: c.funding_model,
    collection: c.collection,
  };
}
