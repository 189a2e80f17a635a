/** `limit` hits per `windowMs` (the shape services/rate-limit.server.ts counts). */
interface RateLimitRule {
  limit: number;
  windowMs: number;
}

// The limits that keep conversation civil and stop floods, one table for comments, replies,
// messages and reports: how long a text may be, how often one account may post (counted in the
// database, so every web process agrees), and how far back an identical post counts as a
// duplicate. Ideas, polls and votes (issue 15) are limited here too.

export type PostKind = "comment" | "message" | "report" | "faq" | "idea" | "poll" | "vote";

/** Longest body, in characters, after trimming. */
export const MAX_LENGTH: Record<Exclude<PostKind, "vote">, number> = {
  comment: 5_000,
  message: 10_000,
  report: 1_000,
  faq: 5_000,
  idea: 5_000,
  poll: 200,
};

/** Per account: `limit` posts of a kind per `windowMs`. */
export const POSTING_LIMITS: Record<PostKind, RateLimitRule> = {
  comment: { limit: 10, windowMs: 10 * 60_000 },
  message: { limit: 20, windowMs: 10 * 60_000 },
  report: { limit: 20, windowMs: 60 * 60_000 },
  faq: { limit: 60, windowMs: 10 * 60_000 },
  idea: { limit: 5, windowMs: 10 * 60_000 },
  poll: { limit: 20, windowMs: 60 * 60_000 },
  /** Idea votes, their withdrawals and poll votes together. */
  vote: { limit: 120, windowMs: 10 * 60_000 },
};

/** The same account posting the same text again within this window is refused as a duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** An author may edit a comment this long after posting it; later edits are refused. */
export const EDIT_WINDOW_MS = 15 * 60_000;

/** The rate_limits key of one account's posts of one kind. */
export const postingLimitKey = (kind: PostKind, userId: string) => `post:${kind}:${userId}`;

/** Text compared for duplicates: case, spacing and trailing punctuation do not make a post new. */
export function duplicateFingerprint(body: string) {
  return body
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.!?]+$/u, "")
    .trim();
}
