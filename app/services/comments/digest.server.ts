import type { Db } from "../../../db/schema.js";
import { commentDigestEmail } from "../../domain/comment-emails";
import { recipientLocale } from "../../domain/emails";
import { markdownToText } from "../../domain/markdown";
import { commentsForDigest, type DigestRow } from "../../models/comment.server";
import { queueEmails } from "../../models/outbox.server";
import { writeEmail } from "../emails.server";

// The creators' daily digest: once per UTC day, one email per campaign that others commented
// on the day before, in the creator's language. The dedupe key (campaign and day) makes a second
// run, a restart or a second process queue nothing more; muting "comments" stops it at delivery.

const DAY_MS = 24 * 60 * 60_000;

/** Queues the digests of the UTC day before `now`; returns how many were queued. */
export async function queueCommentDigests(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const from = new Date(to.getTime() - DAY_MS);
  const day = from.toISOString().slice(0, 10);
  const byCampaign = new Map<string, DigestRow[]>();
  for (const row of await commentsForDigest(db, { from, to })) {
    const list = byCampaign.get(row.campaign_id) ?? [];
    list.push(row);
    byCampaign.set(row.campaign_id, list);
  }
  return queueEmails(
    db,
    [...byCampaign.values()].map((rows) => {
      const first = rows[0]!;
      return {
        kind: "comment_digest",
        category: "comments" as const,
        toEmail: first.creator_email,
        toUserId: first.creator_id,
        dedupeKey: `comment-digest:${first.campaign_id}:${day}`,
        ...writeEmail(commentDigestEmail, recipientLocale(first.creator_locale), {
          creatorName: first.creator_name,
          campaignTitle: first.campaign_title,
          count: first.total,
          comments: rows.map((r) => ({ authorName: r.author_name, text: markdownToText(r.body_md, 200) })),
          url: `/projects/${first.campaign_slug}/comments`,
        }),
      };
    }),
  );
}

/** Runs the digest at most once per UTC day in this process (the background pass calls it often). */
export function dailyCommentDigest(db: Db) {
  let lastDay = "";
  return async (now = new Date()) => {
    const today = now.toISOString().slice(0, 10);
    if (today === lastDay) return;
    await queueCommentDigests(db, { now });
    lastDay = today;
  };
}
