import type { Db, Trx } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { getConfig } from "../../config.server";
import {
  DUPLICATE_WINDOW_MS,
  duplicateFingerprint,
  POSTING_LIMITS,
  postingLimitKey,
} from "../../domain/conversation-limits";
import { recipientLocale } from "../../domain/emails";
import type { Locale, Translate } from "../../domain/locale";
import { markdownToText } from "../../domain/markdown";
import { newMessageEmail } from "../../domain/message-emails";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { getNotificationPreferences } from "../../models/notification-preferences.server";
import {
  findMessageableCampaign,
  insertMessage,
  openThread,
  otherSideOf,
  recentMessageBodies,
} from "../../models/message.server";
import { queueEmails } from "../../models/outbox.server";
import { sql } from "kysely";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { unsubscribeToken } from "../email/unsubscribe.server";
import { writeEmail } from "../emails.server";
import { hitRateLimit } from "../rate-limit.server";

// Writing a private message: the first one to a campaign's creator (which opens the thread) or
// a reply in a thread. Callers have passed requireParticipant (suspended accounts are refused
// before this). Here: the posting rate, duplicates, and the email to the other side.

export type MessageOutcome = { ok: true; threadId: string; messageId: string } | Refusal | RateLimited;

interface Writer {
  authorId: string;
  body: string;
  t: Translate;
  /** The language of the writer's request: the recipient's email uses it unless they saved one. */
  locale: Locale;
}

/** The first message to a campaign (or one more in the thread the person already has). */
export async function startThread(
  db: Db,
  input: Writer & { campaignSlug: string; subject: string },
): Promise<MessageOutcome> {
  const { t } = input;
  const campaign = await findMessageableCampaign(db, input.campaignSlug);
  if (!campaign) return refuse(404, t("messages:new.campaignNotFound"));
  if (campaign.creatorId === input.authorId) return refuse(403, t("messages:new.ownCampaign"));
  return post(db, input, async (trx) => {
    const thread = await openThread(trx, {
      campaignId: campaign.id,
      participantId: input.authorId,
      subject: input.subject,
    });
    return thread?.id;
  });
}

/** A reply in a thread the author takes part in (a 404 otherwise). */
export async function replyInThread(db: Db, input: Writer & { threadId: string }): Promise<MessageOutcome> {
  return post(db, input, async () => input.threadId);
}

async function post(
  db: Db,
  input: Writer,
  threadOf: (trx: Trx) => Promise<string | undefined>,
): Promise<MessageOutcome> {
  const { t } = input;
  const limit = await hitRateLimit(db, postingLimitKey("message", input.authorId), POSTING_LIMITS.message);
  if (!limit.allowed) {
    // Said at the message box, where the writer is looking.
    const message = t("messages:validation.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) });
    return { ...rateLimited(limit.retryAfterSeconds, message), formError: undefined, fieldErrors: { body: message } };
  }
  return inTransaction(db, async (trx) => {
    // One writer at a time per author, so two identical posts sent at once cannot both pass
    // the duplicate check.
    await sql`select pg_advisory_xact_lock(hashtext(${`message:${input.authorId}`}))`.execute(trx);
    const fingerprint = duplicateFingerprint(input.body);
    const recent = await recentMessageBodies(trx, {
      authorId: input.authorId,
      since: new Date(Date.now() - DUPLICATE_WINDOW_MS),
    });
    if (recent.some((body) => duplicateFingerprint(body) === fingerprint)) {
      return refuseField(409, "body", t("messages:validation.duplicate"));
    }
    const threadId = await threadOf(trx);
    const message = threadId
      ? await insertMessage(trx, { threadId, authorId: input.authorId, bodyMd: input.body })
      : undefined;
    if (!threadId || !message) return refuse(404, t("messages:thread.notFound"));
    await emailOtherSide(trx, { threadId, senderId: input.authorId, body: input.body, locale: input.locale });
    return { ok: true as const, threadId, messageId: message.id };
  });
}

/**
 * Queues the "new message" email to the other side, unless they turned message emails off.
 * Coalesced: the dedupe key holds the recipient's read mark, so until they open the thread
 * every further message finds the key taken and queues nothing.
 */
async function emailOtherSide(
  trx: Trx,
  { threadId, senderId, body, locale }: { threadId: string; senderId: string; body: string; locale: Locale },
) {
  const other = await otherSideOf(trx, { threadId, senderId });
  if (!other) return 0;
  const { recipient } = other;
  const prefs = await getNotificationPreferences(trx, recipient.id);
  if (!prefs.messages) return 0;
  const appUrl = getConfig().appUrl;
  const email = writeEmail(newMessageEmail, recipientLocale(recipient.locale, locale), {
    recipientName: recipient.name,
    senderName: other.senderName,
    campaignTitle: other.campaignTitle,
    subject: other.subject,
    text: markdownToText(body, 4000),
    threadUrl: `${appUrl}/messages/${threadId}`,
    unsubscribeUrl: `${appUrl}/unsubscribe/${unsubscribeToken(recipient.id, "messages")}`,
  });
  return queueEmails(trx, [
    {
      kind: "message",
      category: "messages",
      toEmail: recipient.email,
      toUserId: recipient.id,
      ...email,
      dedupeKey: `message:${threadId}:${recipient.id}:${recipient.readAt?.getTime() ?? 0}`,
    },
  ]);
}
