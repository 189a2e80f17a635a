import type { Db } from "../../db/schema.js";
import { getConfig } from "../config.server";
import { renderEmail } from "../domain/email-render";
import { campaignUpdateEmail, recipientLocale } from "../domain/emails";
import type { Locale } from "../domain/locale";
import { COUNTED_STATES } from "../domain/pledge-states";
import { currentUpdateBody, markdownToText, updateBodyColumns } from "../domain/markdown";
import { translatorFor } from "../i18n";
import { queueEmails } from "./outbox.server";

export interface CampaignUpdateRow {
  id: string;
  title: string;
  /** The body as sanitised HTML (empty when locked). */
  html: string;
  visibility: "public" | "backers";
  createdAt: Date;
  authorName: string;
}

/** Updates with their author's name and what their body is rendered from. */
const updatesWithAuthor = (db: Db) =>
  db
    .selectFrom("campaign_updates as u")
    .innerJoin("users as a", "a.id", "u.author_id")
    .select([
      "u.id",
      "u.title",
      "u.body_md",
      "u.body_html",
      "u.markdown_version",
      "u.visibility",
      "u.created_at",
      "a.name as author_name",
    ]);

/** One update of a campaign (its page and its comments), if it is that campaign's. */
export async function findCampaignUpdate(db: Db, { campaignId, updateId }: { campaignId: string; updateId: string }) {
  return updatesWithAuthor(db).where("u.id", "=", updateId).where("u.campaign_id", "=", campaignId).executeTakeFirst();
}

/**
 * A campaign's updates, newest first. Backers-only updates are included only for a viewer who
 * backs the campaign (or its creator/staff: pass viewerIsBacker true); others see them listed
 * without their body, so they know there is more to read once they pledge.
 */
export async function listCampaignUpdates(
  db: Db,
  { campaignId, viewerIsBacker, limit = 50 }: { campaignId: string; viewerIsBacker: boolean; limit?: number },
): Promise<Array<CampaignUpdateRow & { locked: boolean }>> {
  const rows = await updatesWithAuthor(db)
    .where("u.campaign_id", "=", campaignId)
    .orderBy("u.created_at", "desc")
    .orderBy("u.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const locked = r.visibility === "backers" && !viewerIsBacker;
    return {
      id: r.id,
      title: r.title,
      html: locked ? "" : currentUpdateBody(r).body_html,
      visibility: r.visibility,
      createdAt: r.created_at,
      authorName: r.author_name,
      locked,
    };
  });
}

/** Whether the user has a counted pledge (active, collected, ...) on the campaign. */
export async function isBacker(db: Db, { campaignId, userId }: { campaignId: string; userId: string }) {
  const row = await db
    .selectFrom("pledges")
    .select("id")
    .where("campaign_id", "=", campaignId)
    .where("backer_id", "=", userId)
    .where("state", "in", COUNTED_STATES)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Posts an update and queues one email per backer (a user with a counted pledge) in the same
 * transaction; the dedupe key (update + backer) keeps a retried post from emailing twice.
 */
export async function postCampaignUpdate(
  trx: Db,
  {
    campaignId,
    authorId,
    title,
    bodyMd,
    visibility,
    campaignTitle,
    campaignUrl,
    locale,
  }: {
    campaignId: string;
    authorId: string;
    title: string;
    bodyMd: string;
    visibility: "public" | "backers";
    campaignTitle: string;
    campaignUrl: string;
    /** The language of the creator's request: each backer's email uses it unless they saved one. */
    locale?: Locale;
  },
) {
  const update = await trx
    .insertInto("campaign_updates")
    .values({ campaign_id: campaignId, author_id: authorId, title, ...updateBodyColumns(bodyMd), visibility })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
  const backers = await trx
    .selectFrom("pledges as p")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .select(["u.id", "u.email", "u.name", "u.locale"])
    .distinct()
    .where("p.campaign_id", "=", campaignId)
    .where("p.state", "in", COUNTED_STATES)
    .execute();
  const text = markdownToText(bodyMd, 4000);
  // Written here rather than through services' writeEmail (a model imports no services).
  const emailIn = (l: Locale, data: Parameters<typeof campaignUpdateEmail>[2]) =>
    renderEmail(campaignUpdateEmail(translatorFor(l), l, data), getConfig().appUrl);
  const queued = await queueEmails(
    trx,
    backers.map((b) => ({
      kind: "campaign_update",
      category: "updates" as const,
      toEmail: b.email,
      toUserId: b.id,
      ...emailIn(recipientLocale(b.locale, locale), {
        backerName: b.name,
        campaignTitle,
        title,
        text,
        forBackers: visibility === "backers",
        url: campaignUrl,
      }),
      dedupeKey: `campaign_update:${update.id}:${b.id}`,
    })),
  );
  return { id: update.id, createdAt: update.created_at, emailsQueued: queued };
}
