import { z } from "zod";
import type { CampaignState, CrowdPolicy, IdeaCreditKind, IdeaKind, IdeaStatus } from "../../db/schema.js";
import type { Translate } from "./locale";

// The crowd's ideas and polls, pure: who may post, vote and answer, what each form holds, the
// creator's status moves, and the sort orders of a board. The models apply the same rules in
// their WHERE clauses (app/models/idea.server.ts, poll.server.ts, crowd-votes.server.ts); this
// decides what a page offers and what a refusal says.

export const IDEA_KINDS = ["feature", "design", "reward", "other"] as const satisfies readonly IdeaKind[];
export const IDEA_STATUSES = [
  "new",
  "under_review",
  "planned",
  "adopted",
  "declined",
] as const satisfies readonly IdeaStatus[];
export const CROWD_POLICIES = ["backers", "signed_in"] as const satisfies readonly CrowdPolicy[];
export const IDEA_CREDIT_KINDS = ["mention", "reward"] as const satisfies readonly IdeaCreditKind[];

/**
 * The creator's answers, one table: from each status, where an idea may go. An answered idea does
 * not go back to "new" (its answer is public); any answered status may change to another, as plans do.
 */
export const IDEA_STATUS_MOVES: Record<IdeaStatus, readonly IdeaStatus[]> = {
  new: ["under_review", "planned", "adopted", "declined"],
  under_review: ["planned", "adopted", "declined"],
  planned: ["under_review", "adopted", "declined"],
  adopted: ["under_review", "planned", "declined"],
  declined: ["under_review", "planned", "adopted"],
};

export function mayMoveIdea(from: IdeaStatus, to: IdeaStatus): boolean {
  return IDEA_STATUS_MOVES[from].includes(to);
}

/** Ideas are posted and voted on while a campaign is open or funded (the crowd helps build it). */
export const IDEA_OPEN_STATES = ["live", "settling", "funded"] as const satisfies readonly CampaignState[];
/** A board stays readable on every campaign that has been public. */
export const IDEA_READABLE_STATES = [
  "live",
  "settling",
  "funded",
  "unfunded",
  "cancelled",
] as const satisfies readonly CampaignState[];

export const IDEA_TITLE_MAX = 140;
export const IDEA_BODY_MAX = 5_000;
export const IDEA_NOTE_MAX = 1_000;
export const POLL_QUESTION_MAX = 200;
export const POLL_OPTION_MAX = 120;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 8;
/** A poll closes between an hour and 90 days after it is asked. */
export const POLL_MIN_OPEN_MS = 60 * 60_000;
export const POLL_MAX_OPEN_MS = 90 * 24 * 3600_000;
/** The project page shows its open polls, then those closed in the last 30 days. */
export const POLL_RECENTLY_CLOSED_MS = 30 * 24 * 3600_000;

/** Ideas per board page. */
export const IDEAS_PER_PAGE = 20;
/** "Trending" counts the votes of the last seven days. */
export const TRENDING_WINDOW_MS = 7 * 24 * 3600_000;
export const IDEA_SORTS = ["top", "new", "trending"] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];

/** Why a person may not post on (or vote in) a board or poll, or "ok". */
export type CrowdPermission = "ok" | "signIn" | "backersOnly" | "suspended" | "closed" | "disabled";

export function crowdPermission(v: {
  campaignState: CampaignState;
  /** Ideas: the board is on. Polls: always true. */
  enabled: boolean;
  /** Polls: past their closing time. Ideas: false. */
  closed?: boolean;
  policy: CrowdPolicy;
  signedIn: boolean;
  suspended: boolean;
  isCreator: boolean;
  isBacker: boolean;
}): CrowdPermission {
  if (!v.enabled) return "disabled";
  if (v.closed || !(IDEA_OPEN_STATES as readonly string[]).includes(v.campaignState)) return "closed";
  if (!v.signedIn) return "signIn";
  if (v.suspended) return "suspended";
  if (v.isCreator || v.policy === "signed_in") return "ok";
  return v.isBacker ? "ok" : "backersOnly";
}

/** Poll results are shown to someone who has voted, to the creator, and to everyone once it closes. */
export function maySeePollResults(v: { closed: boolean; hasVoted: boolean; isCreator: boolean }): boolean {
  return v.closed || v.hasVoted || v.isCreator;
}

/** A poll as its card draws it for one viewer (services/polls): counts only when they may see the results. */
export interface PollCard {
  id: string;
  question: string;
  policy: CrowdPolicy;
  closesAt: string;
  closed: boolean;
  permission: CrowdPermission;
  viewerChoice: string | null;
  /** Null while the viewer may not see the results. */
  results: { total: number; options: { id: string; voteCount: number }[] } | null;
  options: { id: string; label: string }[];
}

/** Share of `part` in `whole`, in whole percent (0 when there is no whole); for display only. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

const uuidOr = (message: string) => z.uuid({ error: message });

/** A new idea. */
export function ideaFormSchema(t: Translate) {
  return z.object({
    title: z
      .string({ error: t("ideas:validation.titleRequired") })
      .trim()
      .min(1, t("ideas:validation.titleRequired"))
      .max(IDEA_TITLE_MAX, t("ideas:validation.titleTooLong", { max: IDEA_TITLE_MAX })),
    body: z
      .string({ error: t("ideas:validation.bodyRequired") })
      .trim()
      .min(1, t("ideas:validation.bodyRequired"))
      .max(IDEA_BODY_MAX, t("ideas:validation.bodyTooLong", { max: IDEA_BODY_MAX })),
    kind: z.enum(IDEA_KINDS, { error: t("ideas:validation.kind") }),
  });
}

/** The creator's answer to an idea: a status, a public note, and (when adopting) a thank-you. */
export function ideaAnswerSchema(t: Translate) {
  return z
    .object({
      status: z.enum(IDEA_STATUSES, { error: t("ideas:validation.status") }),
      note: z
        .string()
        .trim()
        .max(IDEA_NOTE_MAX, t("ideas:validation.noteTooLong", { max: IDEA_NOTE_MAX }))
        .default(""),
      credit: z.enum(["none", ...IDEA_CREDIT_KINDS], { error: t("ideas:validation.credit") }).default("none"),
      tierId: z
        .string()
        .trim()
        .transform((v) => v || undefined)
        .pipe(uuidOr(t("ideas:validation.tier")).optional())
        .optional(),
    })
    .superRefine((v, ctx) => {
      if (v.credit !== "none" && v.status !== "adopted")
        ctx.addIssue({ code: "custom", path: ["credit"], message: t("ideas:validation.creditNeedsAdopted") });
      if (v.credit === "reward" && !v.tierId)
        ctx.addIssue({ code: "custom", path: ["tierId"], message: t("ideas:validation.tier") });
    });
}

/** The board's settings on the creator's page. */
export function ideaBoardSettingsSchema(t: Translate) {
  return z.object({
    enabled: z.enum(["on", "off"], { error: t("ideas:validation.settings") }).transform((v) => v === "on"),
    policy: z.enum(CROWD_POLICIES, { error: t("ideas:validation.settings") }),
  });
}

/** A board's query string: sort, a status filter, a search; anything else falls back to the default. */
export function boardQuery(params: URLSearchParams): {
  sort: IdeaSort;
  status: IdeaStatus | null;
  q: string;
  page: number;
} {
  const sort = params.get("sort");
  const status = params.get("status");
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    sort: (IDEA_SORTS as readonly string[]).includes(sort ?? "") ? (sort as IdeaSort) : "top",
    status: (IDEA_STATUSES as readonly string[]).includes(status ?? "") ? (status as IdeaStatus) : null,
    q: (params.get("q") ?? "").trim().slice(0, 100),
    page: Number.isFinite(page) && page >= 1 && page <= 1_000 ? page : 1,
  };
}

/** A new poll. `options` are the non-empty option fields, in order. */
export function pollFormSchema(t: Translate, now: Date) {
  return z
    .object({
      question: z
        .string({ error: t("polls:validation.questionRequired") })
        .trim()
        .min(1, t("polls:validation.questionRequired"))
        .max(POLL_QUESTION_MAX, t("polls:validation.questionTooLong", { max: POLL_QUESTION_MAX })),
      options: z
        // Blank option fields arrive as nothing (Conform drops empty strings) and are left out.
        .array(
          z
            .string()
            .trim()
            .max(POLL_OPTION_MAX, t("polls:validation.optionTooLong", { max: POLL_OPTION_MAX }))
            .optional(),
        )
        .default([])
        .transform((list) => list.filter((o): o is string => Boolean(o)))
        .pipe(
          z
            .array(z.string())
            .min(POLL_MIN_OPTIONS, t("polls:validation.tooFewOptions", { min: POLL_MIN_OPTIONS }))
            .max(POLL_MAX_OPTIONS, t("polls:validation.tooManyOptions", { max: POLL_MAX_OPTIONS })),
        ),
      closesAt: z
        .string({ error: t("polls:validation.closesAt") })
        .trim()
        .min(1, t("polls:validation.closesAt"))
        .transform((v, ctx) => {
          // The field is a datetime-local labelled UTC: a time without a zone is read as UTC on
          // every machine, whatever its own zone (Date would read it as local time).
          const d = new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}Z` : v);
          if (Number.isNaN(d.getTime())) {
            ctx.addIssue({ code: "custom", message: t("polls:validation.closesAt") });
            return z.NEVER;
          }
          return d;
        })
        .refine((d) => d.getTime() >= now.getTime() + POLL_MIN_OPEN_MS, t("polls:validation.closesTooSoon"))
        .refine((d) => d.getTime() <= now.getTime() + POLL_MAX_OPEN_MS, t("polls:validation.closesTooLate")),
      policy: z.enum(CROWD_POLICIES, { error: t("polls:validation.policy") }),
      updateId: z
        .string()
        .trim()
        .transform((v) => v || null)
        .pipe(uuidOr(t("polls:validation.update")).nullable())
        .default(null),
    })
    .superRefine((v, ctx) => {
      const seen = new Set<string>();
      for (const o of v.options) {
        const key = o.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: "custom", path: ["options"], message: t("polls:validation.duplicateOption") });
        seen.add(key);
      }
    });
}

/** A vote in a poll: which option. */
export function pollVoteSchema(t: Translate) {
  return z.object({ optionId: uuidOr(t("polls:validation.option")) });
}
