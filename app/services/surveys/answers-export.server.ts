import type { Db, Role } from "../../../db/schema.js";
import type { Address } from "../../domain/address";
import { allAnswersOfCampaign } from "../../models/survey.server";

// The survey's answers for the people allowed to see them: the campaign's creator and finance
// staff. The fulfilment table and its CSV export read them from here; addresses never leave
// through any other path.

export interface PledgeAnswers {
  pledgeId: string;
  /** In the survey's question order; the address question is not repeated here. */
  answers: Array<{ questionId: string; label: string; value: string }>;
  address: Address | null;
}

/**
 * Every pledge's answers (as label/value text: a choice is its option's label, several joined
 * with "; ") and shipping address. Null when the viewer is neither the campaign's creator nor
 * finance staff (the caller answers 404).
 */
export async function surveyAnswersFor(
  db: Db,
  { campaignId, viewer }: { campaignId: string; viewer: { userId: string; roles: readonly Role[] } },
): Promise<Map<string, PledgeAnswers> | null> {
  const finance = viewer.roles.includes("finance");
  const campaign = await db
    .selectFrom("campaigns")
    .select("id")
    .where("id", "=", campaignId)
    .$if(!finance, (q) => q.where("creator_id", "=", viewer.userId))
    .executeTakeFirst();
  if (!campaign) return null;
  const { questions, answers, choices, addresses } = await allAnswersOfCampaign(db, campaignId);
  const result = new Map<string, PledgeAnswers>();
  const entry = (pledgeId: string) => {
    let e = result.get(pledgeId);
    if (!e) result.set(pledgeId, (e = { pledgeId, answers: [], address: null }));
    return e;
  };
  const optionLabel = new Map(questions.flatMap((q) => q.options.map((o) => [o.id, o.label] as const)));
  const optionOrder = new Map(questions.flatMap((q) => q.options.map((o, i) => [o.id, i] as const)));
  const picked = new Map<string, string[]>();
  for (const c of choices) {
    const key = `${c.pledge_id}:${c.question_id}`;
    picked.set(key, [...(picked.get(key) ?? []), c.option_id]);
  }
  const byQuestion = new Map<string, typeof answers>();
  for (const a of answers) byQuestion.set(a.question_id, [...(byQuestion.get(a.question_id) ?? []), a]);
  for (const q of questions) {
    if (q.kind === "address") continue;
    for (const a of byQuestion.get(q.id) ?? []) {
      const value =
        q.kind === "text"
          ? (a.text_value ?? "")
          : (picked.get(`${a.pledge_id}:${q.id}`) ?? [])
              .sort((x, y) => (optionOrder.get(x) ?? 0) - (optionOrder.get(y) ?? 0))
              .map((id) => optionLabel.get(id) ?? "")
              .join("; ");
      entry(a.pledge_id).answers.push({ questionId: q.id, label: q.prompt, value });
    }
  }
  for (const a of addresses) {
    if (a.anonymised_at) continue;
    entry(a.pledge_id).address = {
      fullName: a.full_name,
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      region: a.region,
      postalCode: a.postal_code,
      country: a.country,
      phone: a.phone,
    };
  }
  return result;
}
