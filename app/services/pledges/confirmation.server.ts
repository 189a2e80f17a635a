import type Stripe from "stripe";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { pledgeConfirmedEmail, recipientLocale } from "../../domain/emails";
import { toLocale } from "../../domain/locale";
import { queueEmails } from "../../models/outbox.server";
import { writeEmail } from "../emails.server";

/**
 * Queues a pledge's confirmation, once per pledge, in the caller's transaction: in the backer's
 * saved language, else the one they pledged in (the Checkout Session keeps it). `timing` says
 * what the email promises: charged at the deadline, paid now, or paid now after funding (late).
 */
export function queuePledgeConfirmed(
  trx: Db,
  {
    pledgeId,
    session,
    backer,
    pledge,
    timing,
  }: {
    pledgeId: string;
    session: Stripe.Checkout.Session;
    backer: { id: string; email: string; name: string; locale: string | null };
    pledge: { campaignTitle: string; amount: number; currency: CurrencyCode };
    timing: "at_deadline" | "immediate" | "late";
  },
) {
  return queueEmails(trx, [
    {
      kind: "pledge_confirmed",
      toEmail: backer.email,
      toUserId: backer.id,
      dedupeKey: `pledge-confirmed-${pledgeId}`,
      ...writeEmail(pledgeConfirmedEmail, recipientLocale(backer.locale, toLocale(session.locale)), {
        backerName: backer.name,
        campaignTitle: pledge.campaignTitle,
        amount: pledge.amount,
        currency: pledge.currency,
        atDeadline: timing === "at_deadline",
        late: timing === "late",
        manageUrl: `/me/pledges/${pledgeId}`,
      }),
    },
  ]);
}
