import { sql } from "kysely";
import type { Db, FulfilmentStatus } from "../../db/schema.js";
import { assertFulfilmentTransition } from "../domain/fulfilment";

/**
 * Whether pledge `p` (joined with its tier `t`) must answer a required question of its
 * campaign's sent survey before its reward can go: a question for its tier, or the shipping
 * address when the tier ships.
 */
const awaitsAnswers = sql`exists (
  select 1 from surveys s join survey_questions q on q.survey_id = s.id
  where s.campaign_id = p.campaign_id and s.state = 'sent' and q.required
    and (q.kind <> 'address' or coalesce(t.ships, false))
    and (q.all_tiers or exists (select 1 from survey_question_tiers qt where qt.question_id = q.id and qt.tier_id = p.tier_id))
)`;

/**
 * Gives every pledge of the campaign that owes a reward (a tier's, not a pledge without reward)
 * its fulfilment row (idempotent: run it on sending the survey, on opening the fulfilment table,
 * and from the background pass). A pledge that must answer the sent survey first starts
 * `awaiting_survey`; the others `ready`. Returns how many rows it added.
 */
export async function ensureFulfilments(db: Db, campaignId: string): Promise<number> {
  const result = await sql`
    insert into fulfilments (pledge_id, campaign_id, status)
    select p.id, p.campaign_id, case when ${awaitsAnswers} then 'awaiting_survey' else 'ready' end
    from pledges p
    join campaigns c on c.id = p.campaign_id
    left join tiers t on t.id = p.tier_id
    where p.campaign_id = ${campaignId}
      and p.tier_id is not null
      and (p.state in ('collected', 'partially_refunded') or (c.collection = 'immediate' and p.state = 'active'))
    on conflict (pledge_id) do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * When the survey goes out: rewards that were `ready` (nothing to ask until now) but whose
 * backers must answer it and have not, wait for their answers again. Run in the sending
 * transaction, after `ensureFulfilments`. Returns how many moved.
 */
export async function awaitSurveyAnswers(
  trx: Db,
  { campaignId, actorId }: { campaignId: string; actorId: string | null },
) {
  const waiting = await sql<{ pledge_id: string }>`
    select f.pledge_id from fulfilments f
    join pledges p on p.id = f.pledge_id
    left join tiers t on t.id = p.tier_id
    where f.campaign_id = ${campaignId} and f.status = 'ready' and ${awaitsAnswers}
      and not exists (select 1 from survey_responses r where r.pledge_id = p.id and r.submitted_at is not null)
    order by f.pledge_id`.execute(trx);
  for (const row of waiting.rows)
    await transitionFulfilment(trx, { pledgeId: row.pledge_id, to: "awaiting_survey", actorId, note: "Survey sent" });
  return waiting.rows.length;
}

/**
 * The only way a fulfilment changes status: locks the row, checks the move against the table in
 * `domain/fulfilment.ts`, writes the history row. Run it inside the caller's transaction with the
 * other columns the move sets (tracking, received_at...), passed as `set`.
 */
export async function transitionFulfilment(
  trx: Db,
  {
    pledgeId,
    to,
    actorId,
    note,
    set = {},
  }: {
    pledgeId: string;
    to: FulfilmentStatus;
    actorId: string | null;
    note?: string | null;
    set?: Partial<{
      carrier: string | null;
      tracking_number: string | null;
      tracking_url: string | null;
      shipped_at: Date | null;
      delivered_at: Date | null;
      received_at: Date | null;
      digital_kind: "link" | "key" | null;
      digital_value: string | null;
      problem_kind: "not_received" | "damaged" | "other" | null;
      problem_note: string | null;
      problem_reported_at: Date | null;
      problem_answer: string | null;
      problem_answered_at: Date | null;
      problem_resolved_at: Date | null;
    }>;
  },
) {
  const row = await trx
    .selectFrom("fulfilments")
    .select(["pledge_id", "status"])
    .where("pledge_id", "=", pledgeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  assertFulfilmentTransition(row.status, to);
  await trx
    .updateTable("fulfilments")
    .set({ ...set, status: to, updated_at: new Date() })
    .where("pledge_id", "=", pledgeId)
    .execute();
  const event = await trx
    .insertInto("fulfilment_events")
    .values({ pledge_id: pledgeId, from_status: row.status, to_status: to, actor_id: actorId, note: note ?? null })
    .returning("id")
    .executeTakeFirstOrThrow();
  // The event id names the move, so an email about it can carry a dedupe key of its own.
  return { from: row.status, to, eventId: event.id };
}
