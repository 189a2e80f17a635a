import type { Db, Trx } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { recipientLocale } from "../../domain/emails";
import { dueReminder } from "../../domain/survey";
import { surveyInvitationEmail, surveyReminderEmail } from "../../domain/survey-emails";
import { getConfig } from "../../config.server";
import { ensureFulfilments } from "../../models/fulfilment-state.server";
import { queueEmails } from "../../models/outbox.server";
import {
  claimReminderCandidates,
  claimUninvited,
  recordReminder,
  surveysWithUninvited,
} from "../../models/survey.server";
import { writeEmail } from "../emails.server";

// Who hears about the survey, and when: every backer owed a reward when the creator sends it,
// late backers of an up-front campaign from the background pass, and reminders 3 and 7 days after
// sending to those who have not answered (before the lock). Each email has a dedupe key per
// survey and pledge, and the response row marks the invitation, so a retry never sends twice.

const surveyUrl = (pledgeId: string) => `${getConfig().appUrl}/me/pledges/${pledgeId}/survey`;

/** Invites every owed pledge of the survey not invited yet; in the caller's transaction. */
export async function inviteOwedBackers(trx: Trx, { surveyId, lockAt }: { surveyId: string; lockAt: Date }) {
  let invited = 0;
  for (;;) {
    const batch = await claimUninvited(trx, { surveyId });
    if (batch.length === 0) return invited;
    await queueEmails(
      trx,
      batch.map((r) => {
        const locale = recipientLocale(r.locale);
        return {
          kind: "survey_invitation",
          toEmail: r.email,
          toUserId: r.backerId,
          ...writeEmail(surveyInvitationEmail, locale, {
            backerName: r.name,
            campaignTitle: r.campaignTitle,
            lockAt,
            surveyUrl: surveyUrl(r.pledgeId),
          }),
          dedupeKey: `survey:${surveyId}:${r.pledgeId}`,
        };
      }),
    );
    invited += batch.length;
  }
}

/** Late backers (an up-front campaign keeps taking pledges): their fulfilment row and invitation. */
export async function inviteLateBackers(db: Db, now = new Date()) {
  let invited = 0;
  for (const survey of await surveysWithUninvited(db, now)) {
    invited += await inTransaction(db, async (trx) => {
      await ensureFulfilments(trx, survey.campaign_id);
      return inviteOwedBackers(trx, { surveyId: survey.id, lockAt: survey.lock_at! });
    });
  }
  return invited;
}

/** The 3- and 7-day reminders due now, each at most once per pledge. */
export async function sendDueSurveyReminders(db: Db, now = new Date()) {
  return inTransaction(db, async (trx) => {
    const candidates = await claimReminderCandidates(trx, { now });
    let sent = 0;
    for (const c of candidates) {
      const number = dueReminder({ sentAt: c.sentAt!, lockAt: c.lockAt!, remindersSent: c.remindersSent }, now);
      if (!number) continue;
      await recordReminder(trx, { pledgeId: c.pledgeId, number, now });
      const locale = recipientLocale(c.locale);
      sent += await queueEmails(trx, [
        {
          kind: "survey_reminder",
          toEmail: c.email,
          toUserId: c.backerId,
          ...writeEmail(surveyReminderEmail, locale, {
            backerName: c.name,
            campaignTitle: c.campaignTitle,
            lockAt: c.lockAt!,
            surveyUrl: surveyUrl(c.pledgeId),
            number,
          }),
          dedupeKey: `survey-reminder:${c.surveyId}:${c.pledgeId}:${number}`,
        },
      ]);
    }
    return sent;
  });
}

/** The background pass's part: late invitations, then reminders. */
export async function surveyBackgroundPass(db: Db, now = new Date()) {
  await inviteLateBackers(db, now);
  await sendDueSurveyReminders(db, now);
}
