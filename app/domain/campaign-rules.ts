import { z } from "zod";
import type { CampaignState, Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import { CATEGORIES, DESTINATIONS } from "./catalog";
import { CURRENCIES, CURRENCY_CODES, formatMoney, parseAmount, toInputValue } from "./money";

// The creator's rules: what a campaign draft and a reward tier may contain, what launching needs,
// and what may change once backers have pledged. Pure: shared by the browser and the server.

export const TITLE_MAX = 80;
export const BLURB_MAX = 160;
export const STORY_MIN = 200;
export const STORY_MAX = 50_000;
export const COVER_ALT_MAX = 250;
export const SLUG_MIN = 3;
export const SLUG_MAX = 80;
export const DURATION_MIN_DAYS = 1;
export const DURATION_MAX_DAYS = 60;
export const TIER_TITLE_MAX = 80;
export const TIER_DESCRIPTION_MAX = 2_000;
export const TIER_QUANTITY_MAX = 1_000_000;
export const UPDATE_TITLE_MAX = 120;
export const UPDATE_BODY_MAX = 20_000;
export const CANCEL_REASON_MAX = 1_000;
export const COVER_MAX_BYTES = 5_000_000;

const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DAY_MS = 86_400_000;

export const FUNDING_MODELS: ReadonlyArray<{ value: FundingModel; label: string; explanation: string }> = [
  {
    value: "all_or_nothing",
    label: "All or nothing",
    explanation: "Backers are charged only if you reach your goal. If you fall short, nobody pays anything.",
  },
  {
    value: "flexible",
    label: "Flexible",
    explanation: "You keep whatever you raise, even if you don't reach your goal.",
  },
];

export const COLLECTIONS: ReadonlyArray<{ value: Collection; label: string; explanation: string }> = [
  {
    value: "at_deadline",
    label: "Charge at the deadline",
    explanation: "Cards are saved now and charged when the campaign ends.",
  },
  {
    value: "immediate",
    label: "Charge when they pledge",
    explanation: "Backers are charged when they pledge and refunded automatically if the goal is not met.",
  },
];

export const fundingModelLabel = (v: FundingModel) => FUNDING_MODELS.find((m) => m.value === v)?.label ?? v;
export const collectionLabel = (v: Collection) => COLLECTIONS.find((m) => m.value === v)?.label ?? v;

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

export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN) return `Use at least ${SLUG_MIN} letters or digits in the web address.`;
  if (slug.length > SLUG_MAX) return `Keep the web address under ${SLUG_MAX} characters.`;
  if (!SLUG_PATTERN.test(slug)) return "Use lowercase letters, digits and single hyphens only, like solar-kettle.";
  return null;
}

/** Today's date in UTC as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An end date means the campaign ends at 23:59:59 UTC on that day. */
export function endOfDayUtc(date: string): Date {
  return new Date(`${date}T23:59:59.000Z`);
}

/** Why an end date cannot be used, or null: it must be 1 to 60 calendar days (UTC) from today. */
export function endDateProblem(endDate: string, now: Date): string | null {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
    Number.isNaN(Date.parse(`${endDate}T00:00:00Z`)) ||
    utcDay(new Date(`${endDate}T00:00:00Z`)) !== endDate
  ) {
    return "Enter the end date as a date, like 2027-03-31.";
  }
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${utcDay(now)}T00:00:00Z`)) / DAY_MS);
  if (days < DURATION_MIN_DAYS) return "The end date must be in the future: at least tomorrow.";
  if (days > DURATION_MAX_DAYS)
    return `Campaigns can run for at most ${DURATION_MAX_DAYS} days: pick an end date on or before ${utcDay(new Date(Date.parse(`${utcDay(now)}T00:00:00Z`) + DURATION_MAX_DAYS * DAY_MS))}.`;
  return null;
}

/** The fixed deadline a campaign gets when it launches now. */
export function deadlineAtLaunch(
  { durationDays, endDate }: { durationDays: number | null; endDate: Date | null },
  now: Date,
): Date | null {
  if (durationDays !== null) return new Date(now.getTime() + durationDays * DAY_MS);
  return endDate;
}

/** Browsers send line breaks in form fields as CRLF; stored text uses LF. */
const text = (max: number, tooLong: string) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max, tooLong));

// --- The campaign form ---------------------------------------------------------------------------

const campaignTextFields = {
  title: z
    .string({ error: "Give your campaign a title." })
    .trim()
    .min(1, "Give your campaign a title.")
    .max(TITLE_MAX, `Keep the title under ${TITLE_MAX} characters.`),
  blurb: text(BLURB_MAX, `Keep the blurb to one line: ${BLURB_MAX} characters at most.`).default(""),
  storyMd: text(STORY_MAX, `The story can be at most ${STORY_MAX.toLocaleString("en-US")} characters.`).default(""),
  category: z.enum(CATEGORIES.map((c) => c.slug) as [string, ...string[]], { error: "Choose a category." }),
  coverAlt: text(COVER_ALT_MAX, `Keep the description under ${COVER_ALT_MAX} characters.`).default(""),
};

/** Fields that are fixed at launch (DESIGN.md), with the message shown when a change is tried. */
export const FIXED_AT_LAUNCH: Record<string, string> = {
  slug: "The web address is fixed once the campaign is live, so links to it keep working.",
  goal: "The goal is fixed once the campaign is live: backers pledged against it.",
  currency: "The currency is fixed once the campaign is live.",
  deadlineMode: "The deadline is fixed once the campaign is live.",
  durationDays: "The deadline is fixed once the campaign is live.",
  endDate: "The deadline is fixed once the campaign is live.",
  fundingModel: "The funding model is fixed once the campaign is live: backers pledged under it.",
  collection: "When backers are charged is fixed once the campaign is live: backers pledged under it.",
};

export interface CampaignDraftInput {
  title: string;
  slug: string;
  blurb: string;
  storyMd: string;
  category: string;
  coverAlt: string;
  goalAmount: number;
  currency: CurrencyCode;
  durationDays: number | null;
  endDate: string | null;
  fundingModel: FundingModel;
  collection: Collection;
}

/** The draft form (create, and edit before launch). `now` decides which end dates are allowed. */
export function campaignDraftSchema(now: Date = new Date()): z.ZodType<CampaignDraftInput> {
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
    .transform((v) => ({
      title: v.title,
      slug: v.slug || slugify(v.title),
      blurb: v.blurb,
      storyMd: v.storyMd,
      category: v.category,
      coverAlt: v.coverAlt,
      goalAmount: (parseAmount(v.goal, v.currency) as { ok: true; amount: number }).amount,
      currency: v.currency,
      durationDays: v.deadlineMode === "duration" ? Number(v.durationDays) : null,
      endDate: v.deadlineMode === "date" ? v.endDate : null,
      fundingModel: v.fundingModel,
      collection: v.collection,
    })) as unknown as z.ZodType<CampaignDraftInput>;
}

export type CampaignLiveInput = Pick<CampaignDraftInput, "title" | "blurb" | "storyMd" | "category" | "coverAlt">;

/** The edit form once live: only the words and the picture can change. */
export const campaignLiveSchema: z.ZodType<CampaignLiveInput> = z.object(
  campaignTextFields,
) as unknown as z.ZodType<CampaignLiveInput>;

/**
 * Which fixed-at-launch fields a submitted form tries to change on a live campaign. Fields left
 * out of the form are not changes.
 */
export function fixedFieldChanges(
  current: {
    slug: string;
    goalAmount: number;
    currency: CurrencyCode;
    durationDays: number | null;
    deadline: Date | null;
    fundingModel: FundingModel;
    collection: Collection;
  },
  submitted: Record<string, unknown>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const given = (key: string) => (typeof submitted[key] === "string" ? (submitted[key] as string).trim() : undefined);
  const goal = given("goal");
  if (goal !== undefined) {
    const parsed = parseAmount(goal, current.currency);
    if (!parsed.ok || parsed.amount !== current.goalAmount) errors.goal = FIXED_AT_LAUNCH.goal!;
  }
  const currency = given("currency");
  if (currency !== undefined && currency !== current.currency) errors.currency = FIXED_AT_LAUNCH.currency!;
  const slug = given("slug");
  if (slug !== undefined && slug.toLowerCase() !== current.slug) errors.slug = FIXED_AT_LAUNCH.slug!;
  const funding = given("fundingModel");
  if (funding !== undefined && funding !== current.fundingModel) errors.fundingModel = FIXED_AT_LAUNCH.fundingModel!;
  const collection = given("collection");
  if (collection !== undefined && collection !== current.collection) errors.collection = FIXED_AT_LAUNCH.collection!;
  for (const key of ["deadlineMode", "durationDays", "endDate"] as const) {
    const value = given(key);
    if (value === undefined || value === "") continue;
    const same =
      (key === "durationDays" && current.durationDays !== null && value === String(current.durationDays)) ||
      (key === "endDate" && current.deadline !== null && value === utcDay(current.deadline)) ||
      (key === "deadlineMode" && value === (current.durationDays !== null ? "duration" : "date"));
    if (!same) errors[key] = FIXED_AT_LAUNCH[key]!;
  }
  return errors;
}

/** Form values for editing an existing draft. */
export function campaignFormValues(c: {
  title: string;
  slug: string;
  blurb: string;
  story_md: string;
  category: string;
  cover_alt: string;
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
    goal: toInputValue(Number(c.goal_amount), c.currency),
    currency: c.currency,
    deadlineMode: c.duration_days === null && c.deadline ? "date" : "duration",
    durationDays: c.duration_days === null ? (c.deadline ? "" : "30") : String(c.duration_days),
    endDate: c.duration_days === null && c.deadline ? utcDay(new Date(c.deadline)) : "",
    fundingModel: c.funding_model,
    collection: c.collection,
  };
}

export type CampaignFormValues = ReturnType<typeof campaignFormValues>;

// --- Reward tiers -------------------------------------------------------------------------------

export interface TierInput {
  title: string;
  description: string;
  minimumAmount: number;
  quantityLimit: number | null;
  /** First day of the estimated delivery month, YYYY-MM-01. */
  estimatedDelivery: string;
  ships: boolean;
  shippingRates: Array<{ destination: string; amount: number }>;
}

export const shippingFieldName = (destination: string) => `ship_${destination}`;

/** The tier form; amounts are read in the campaign's currency. */
export function tierSchema(currency: CurrencyCode, now: Date = new Date()): z.ZodType<TierInput> {
  const shipFields = Object.fromEntries(
    DESTINATIONS.map((d) => [shippingFieldName(d.code), z.string().trim().default("")]),
  );
  return z
    .object({
      title: z
        .string({ error: "Give the reward a title." })
        .trim()
        .min(1, "Give the reward a title.")
        .max(TIER_TITLE_MAX, `Keep the title under ${TIER_TITLE_MAX} characters.`),
      description: text(
        TIER_DESCRIPTION_MAX,
        `Keep the description under ${TIER_DESCRIPTION_MAX.toLocaleString("en-US")} characters.`,
      ).default(""),
      minimum: z.string({ error: "Enter the minimum pledge." }).trim().min(1, "Enter the minimum pledge."),
      quantityLimit: z.string().trim().default(""),
      estimatedDelivery: z
        .string({ error: "Enter the estimated delivery month." })
        .trim()
        .min(1, "Enter the estimated delivery month."),
      shipping: z.enum(["none", "ships"], { error: "Choose whether this reward ships." }),
      ...shipFields,
    })
    .superRefine((v, ctx) => {
      const minimum = parseAmount(v.minimum, currency);
      if (!minimum.ok) ctx.addIssue({ code: "custom", path: ["minimum"], message: minimum.message });
      if (v.quantityLimit !== "") {
        const n = Number(v.quantityLimit);
        if (!/^\d+$/.test(v.quantityLimit) || n < 1 || n > TIER_QUANTITY_MAX) {
          ctx.addIssue({
            code: "custom",
            path: ["quantityLimit"],
            message: `Enter a whole number from 1 to ${TIER_QUANTITY_MAX.toLocaleString("en-US")}, or leave it empty for no limit.`,
          });
        }
      }
      const month = /^(\d{4})-(\d{2})$/.exec(v.estimatedDelivery);
      if (v.estimatedDelivery && (!month || Number(month[2]) < 1 || Number(month[2]) > 12)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: "Enter the month as YYYY-MM, like 2027-06.",
        });
      } else if (month && v.estimatedDelivery < utcDay(now).slice(0, 7)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: "The estimated delivery can't be in the past.",
        });
      }
      if (v.shipping === "ships") {
        let priced = 0;
        for (const d of DESTINATIONS) {
          const raw = (v as Record<string, string>)[shippingFieldName(d.code)] ?? "";
          if (raw === "") continue;
          const amount = parseAmount(raw, currency, { allowZero: true });
          if (!amount.ok) ctx.addIssue({ code: "custom", path: [shippingFieldName(d.code)], message: amount.message });
          else priced++;
        }
        if (priced === 0)
          ctx.addIssue({
            code: "custom",
            path: ["shipping"],
            message: "Enter a shipping price for at least one destination (0 for free shipping).",
          });
      }
    })
    .transform((v) => {
      const ships = v.shipping === "ships";
      return {
        title: v.title,
        description: v.description,
        minimumAmount: (parseAmount(v.minimum, currency) as { ok: true; amount: number }).amount,
        quantityLimit: v.quantityLimit === "" ? null : Number(v.quantityLimit),
        estimatedDelivery: `${v.estimatedDelivery}-01`,
        ships,
        shippingRates: ships
          ? DESTINATIONS.flatMap((d) => {
              const raw = (v as Record<string, string>)[shippingFieldName(d.code)] ?? "";
              if (raw === "") return [];
              const amount = parseAmount(raw, currency, { allowZero: true });
              return amount.ok ? [{ destination: d.code, amount: amount.amount }] : [];
            })
          : [],
      };
    }) as unknown as z.ZodType<TierInput>;
}

/** States in which a campaign's tiers can still be edited. */
export const TIER_EDITABLE_STATES: readonly CampaignState[] = ["draft", "live"];

/**
 * The post-launch tier rules (DESIGN.md, Reward tiers) as field errors; empty when allowed.
 * `pledgeCount` counts every pledge made on the tier, in any state.
 */
export function tierChangeProblems({
  campaignState,
  currency,
  current,
  next,
}: {
  campaignState: CampaignState;
  currency: CurrencyCode;
  current: { minimumAmount: number; quantityLimit: number | null; claimedCount: number; pledgeCount: number };
  next: { minimumAmount: number; quantityLimit: number | null };
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!TIER_EDITABLE_STATES.includes(campaignState)) {
    errors.form = "This campaign has ended, so its rewards can no longer change.";
    return errors;
  }
  if (campaignState !== "draft" && current.pledgeCount > 0 && next.minimumAmount < current.minimumAmount) {
    errors.minimum = `Backers have already pledged at ${formatMoney(current.minimumAmount, currency)} or more, so the minimum can't be lowered. You can raise it, or add a new, cheaper reward.`;
  }
  if (next.quantityLimit !== null && next.quantityLimit < current.claimedCount) {
    errors.quantityLimit = `${current.claimedCount} ${current.claimedCount === 1 ? "backer has" : "backers have"} already claimed this reward, so the limit can't be lower than ${current.claimedCount}.`;
  }
  return errors;
}

/** Whether a tier can be deleted outright (otherwise it can only be hidden). */
export function tierDeletionProblem({
  campaignState,
  pledgeCount,
}: {
  campaignState: CampaignState;
  pledgeCount: number;
}): string | null {
  if (pledgeCount > 0)
    return "Backers have pledged for this reward, so it can't be deleted. Hide it instead: nobody new can choose it, and existing pledges keep it.";
  if (campaignState !== "draft")
    return "Rewards can only be deleted before launch. Hide it instead: nobody new can choose it.";
  return null;
}

export function tierFormValues(
  t: {
    title: string;
    description: string;
    minimum_amount: number;
    quantity_limit: number | null;
    estimated_delivery: Date | string | null;
    ships: boolean;
    shippingRates: Array<{ destination: string; amount: number }>;
  },
  currency: CurrencyCode,
): Record<string, string> {
  const values: Record<string, string> = {
    title: t.title,
    description: t.description,
    minimum: toInputValue(Number(t.minimum_amount), currency),
    quantityLimit: t.quantity_limit === null ? "" : String(t.quantity_limit),
    estimatedDelivery: t.estimated_delivery ? monthOf(t.estimated_delivery) : "",
    shipping: t.ships ? "ships" : "none",
  };
  for (const rate of t.shippingRates)
    values[shippingFieldName(rate.destination)] = toInputValue(Number(rate.amount), currency);
  return values;
}

/** "2027-06" from a date column (a Date at UTC midnight, or "2027-06-01"). */
export function monthOf(value: Date | string): string {
  if (typeof value === "string") return value.slice(0, 7);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, "0")}`;
}

// --- Launch -------------------------------------------------------------------------------------

export interface ChecklistItem {
  key: "title" | "blurb" | "story" | "goal" | "tier" | "cover" | "coverAlt" | "deadline";
  label: string;
  done: boolean;
  /** What to do about it, when not done. */
  fix?: string;
  /** Where to fix it. */
  where: "edit" | "tiers";
}

export function launchChecklist(
  c: {
    title: string;
    blurb: string;
    storyMd: string;
    goalAmount: number;
    currency: CurrencyCode;
    coverImageId: string | null;
    coverAlt: string;
    durationDays: number | null;
    deadline: Date | null;
  },
  { visibleTierCount, now }: { visibleTierCount: number; now: Date },
): ChecklistItem[] {
  const storyLength = c.storyMd.trim().length;
  const deadlineIssue =
    c.durationDays !== null
      ? c.durationDays >= DURATION_MIN_DAYS && c.durationDays <= DURATION_MAX_DAYS
        ? null
        : `Choose a duration of ${DURATION_MIN_DAYS} to ${DURATION_MAX_DAYS} days.`
      : c.deadline
        ? endDateProblem(utcDay(c.deadline), now)
        : "Choose how long the campaign runs.";
  return [
    {
      key: "title",
      label: "A title",
      done: c.title.trim().length > 0,
      where: "edit",
      fix: "Give the campaign a title.",
    },
    {
      key: "blurb",
      label: "A one-line blurb",
      done: c.blurb.trim().length > 0,
      where: "edit",
      fix: "Say in one line what you are making.",
    },
    {
      key: "story",
      label: `A story of at least ${STORY_MIN} characters`,
      done: storyLength >= STORY_MIN,
      where: "edit",
      fix: `Your story has ${storyLength} characters; tell backers what you are making, why, and how (${STORY_MIN - storyLength} more to go).`,
    },
    {
      key: "goal",
      label: "A funding goal",
      done: c.goalAmount > 0 && c.goalAmount <= 10_000_000 * 10 ** CURRENCIES[c.currency].exponent,
      where: "edit",
      fix: "Set a goal above zero.",
    },
    {
      key: "tier",
      label: "At least one visible reward",
      done: visibleTierCount > 0,
      where: "tiers",
      fix: "Add a reward backers can choose.",
    },
    {
      key: "cover",
      label: "A cover image",
      done: c.coverImageId !== null,
      where: "edit",
      fix: "Upload a PNG, JPEG or WebP image.",
    },
    {
      key: "coverAlt",
      label: "A description of the cover image",
      done: c.coverAlt.trim().length > 0,
      where: "edit",
      fix: "Describe the cover for people who use screen readers.",
    },
    {
      key: "deadline",
      label: `An end ${DURATION_MIN_DAYS} to ${DURATION_MAX_DAYS} days from now`,
      done: deadlineIssue === null,
      where: "edit",
      fix: deadlineIssue ?? undefined,
    },
  ];
}

// --- Cancel and updates -------------------------------------------------------------------------

export const cancelSchema = z.object({
  reason: z
    .string({ error: "Tell your backers why you are cancelling." })
    .trim()
    .min(10, "Tell your backers why you are cancelling (at least 10 characters).")
    .max(CANCEL_REASON_MAX, `Keep the reason under ${CANCEL_REASON_MAX} characters.`),
  confirm: z.literal("yes", { error: "Tick the box to confirm." }),
});

export const updateSchema = z.object({
  title: z
    .string({ error: "Give the update a title." })
    .trim()
    .min(1, "Give the update a title.")
    .max(UPDATE_TITLE_MAX, `Keep the title under ${UPDATE_TITLE_MAX} characters.`),
  bodyMd: z
    .string({ error: "Write the update." })
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, "Write the update.")
        .max(UPDATE_BODY_MAX, `Keep the update under ${UPDATE_BODY_MAX.toLocaleString("en-US")} characters.`),
    ),
  visibility: z.enum(["public", "backers"], { error: "Choose who can read it." }),
});
