import { sql } from "kysely";
import { inTransaction } from "../../db/transaction.js";
import type { Db } from "../../db/schema.js";
import { conversationColumns, currentConversationBody } from "../domain/markdown";

// A project's FAQ: question/answer pairs the creator writes and orders. Every write names the
// creator in its WHERE (through the campaign), so an entry of someone else's campaign is simply
// not found. Positions are dense from 0; a move swaps two neighbours in one statement.

export interface FaqEntry {
  id: string;
  question: string;
  answerMd: string;
  /** The answer as sanitised HTML (conversation rules). */
  answerHtml: string;
  position: number;
}

/** A campaign's FAQ in the creator's order. */
export async function listFaqEntries(db: Db, campaignId: string): Promise<FaqEntry[]> {
  const rows = await db
    .selectFrom("faq_entries")
    .select(["id", "question", "answer_md", "answer_html", "markdown_version", "position"])
    .where("campaign_id", "=", campaignId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    question: r.question,
    answerMd: r.answer_md,
    answerHtml: currentConversationBody({
      body_md: r.answer_md,
      body_html: r.answer_html,
      markdown_version: r.markdown_version,
    }),
    position: r.position,
  }));
}

/** The campaign, if it is this creator's (and not deleted): the owner check of every write. */
const ownedCampaign = (db: Db, campaignId: string, creatorId: string) =>
  db
    .selectFrom("campaigns")
    .select("id")
    .where("id", "=", campaignId)
    .where("creator_id", "=", creatorId)
    .where("state", "!=", "deleted");

function answerColumns(answerMd: string) {
  const { body_md, body_html, markdown_version } = conversationColumns(answerMd);
  return { answer_md: body_md, answer_html: body_html, markdown_version };
}

/** Adds an entry at the end; undefined when the campaign is not this creator's. */
export async function addFaqEntry(
  db: Db,
  input: { campaignId: string; creatorId: string; question: string; answerMd: string },
): Promise<{ id: string } | undefined> {
  return inTransaction(db, async (trx) => {
    // The campaign row is locked so two entries added at once get different positions.
    const campaign = await ownedCampaign(trx, input.campaignId, input.creatorId).forUpdate().executeTakeFirst();
    if (!campaign) return undefined;
    const last = await trx
      .selectFrom("faq_entries")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirst();
    return trx
      .insertInto("faq_entries")
      .values({
        campaign_id: campaign.id,
        question: input.question,
        ...answerColumns(input.answerMd),
        position: last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  });
}

/** Rewrites an entry's question and answer; false when it is not on this creator's campaign. */
export async function editFaqEntry(
  db: Db,
  input: { campaignId: string; creatorId: string; entryId: string; question: string; answerMd: string },
): Promise<boolean> {
  const result = await db
    .updateTable("faq_entries")
    .set({ question: input.question, ...answerColumns(input.answerMd), updated_at: new Date() })
    .where("id", "=", input.entryId)
    .where("campaign_id", "in", ownedCampaign(db, input.campaignId, input.creatorId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes an entry and closes the gap in the positions after it. */
export async function deleteFaqEntry(
  db: Db,
  input: { campaignId: string; creatorId: string; entryId: string },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom("faq_entries")
      .where("id", "=", input.entryId)
      .where("campaign_id", "in", ownedCampaign(trx, input.campaignId, input.creatorId))
      .returning("position")
      .executeTakeFirst();
    if (!deleted) return false;
    await trx
      .updateTable("faq_entries")
      .set({ position: sql`position - 1` })
      .where("campaign_id", "=", input.campaignId)
      .where("position", ">", deleted.position)
      .execute();
    return true;
  });
}

/**
 * Swaps an entry with its neighbour above ("up") or below ("down"). The first entry moving up
 * (or the last down) stays where it is: true, nothing to do. False when it is not found.
 */
export async function moveFaqEntry(
  db: Db,
  input: { campaignId: string; creatorId: string; entryId: string; direction: "up" | "down" },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // The campaign row is locked so two moves on the same FAQ apply one after the other.
    const campaign = await ownedCampaign(trx, input.campaignId, input.creatorId).forUpdate().executeTakeFirst();
    if (!campaign) return false;
    const entries = await trx
      .selectFrom("faq_entries")
      .select(["id", "position"])
      .where("campaign_id", "=", campaign.id)
      .orderBy("position")
      .orderBy("created_at")
      .execute();
    const index = entries.findIndex((e) => e.id === input.entryId);
    if (index === -1) return false;
    const other = entries[input.direction === "up" ? index - 1 : index + 1];
    if (!other) return true;
    // Renumbered densely as they are shown, with the two swapped.
    const order = entries.map((e) => e.id);
    order[index] = other.id;
    order[entries.indexOf(other)] = input.entryId;
    for (const [position, id] of order.entries()) {
      if (entries.find((e) => e.id === id)!.position !== position) {
        await trx.updateTable("faq_entries").set({ position, updated_at: new Date() }).where("id", "=", id).execute();
      }
    }
    return true;
  });
}
