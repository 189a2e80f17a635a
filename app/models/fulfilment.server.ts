import { sql, type Expression, type SqlBool } from "kysely";
import type { Db, FulfilmentStatus } from "../../db/schema.js";
import { SENT_STATUSES } from "../domain/fulfilment";
import type { FulfilmentFilters } from "../domain/fulfilment-forms";
import { addOnSummary } from "./pledge-add-ons.server";

// What the fulfilment pages read: the creator's table of rewards to send, the export for a
// shipping house (addresses and answers: the campaign's creator and finance staff only, checked
// in every query), the backer's view of their own reward, the dashboard's figures, and the
// address retention pass. Status changes are not here: models/fulfilment-state.server.ts.

export const FULFILMENT_PAGE_SIZE = 50;

/** Pledges that owe a reward (as domain/fulfilment.ts `owesReward` says), with a reward tier. */
const owedPledge = (collection: Expression<string>, state: Expression<string>): Expression<SqlBool> =>
  sql<SqlBool>`(${state} in ('collected', 'partially_refunded') or (${collection} = 'immediate' and ${state} = 'active'))`;

/** The campaign, when the viewer may see its backers' addresses: its creator, or finance staff. */
export function addressViewerCampaign(db: Db, { campaignId, viewerId }: { campaignId: string; viewerId: string }) {
  return db
    .selectFrom("campaigns")
    .select("campaigns.id")
    .where("campaigns.id", "=", campaignId)
    .where("campaigns.state", "!=", "deleted")
    .where((eb) =>
      eb.or([
        eb("campaigns.creator_id", "=", viewerId),
        eb.exists(
          eb
            .selectFrom("user_roles")
            .select("user_roles.user_id")
            .where("user_roles.user_id", "=", viewerId)
            .where("user_roles.role", "=", "finance"),
        ),
      ]),
    );
}

/** The creator's fulfilment table: one page of rewards, filtered, with the filters' choices. */
export async function listFulfilments(
  db: Db,
  { campaignId, filters }: { campaignId: string; filters: FulfilmentFilters },
) {
  let query = db
    .selectFrom("fulfilments as f")
    .innerJoin("pledges as p", "p.id", "f.pledge_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .where("f.campaign_id", "=", campaignId);
  if (filters.status) query = query.where("f.status", "=", filters.status);
  if (filters.tierId) query = query.where("p.tier_id", "=", filters.tierId);
  if (filters.country) query = query.where("p.shipping_destination", "=", filters.country);
  const [rows, total, tiers, countries, counts] = await Promise.all([
    query
      .select([
        "f.pledge_id",
        "f.status",
        "f.carrier",
        "f.tracking_number",
        "f.tracking_url",
        "f.shipped_at",
        "f.delivered_at",
        "f.received_at",
        "f.digital_kind",
        "f.digital_value",
        "f.problem_kind",
        "f.problem_note",
        "f.problem_reported_at",
        "f.problem_answer",
        "f.updated_at",
        "u.name as backer_name",
        "t.title as tier_title",
        "t.ships",
        "p.shipping_destination",
        addOnSummary("p.id").as("add_ons"),
      ])
      // Problems first (they wait for an answer), then the order pledges came in.
      .orderBy(sql`f.status = 'problem'`, "desc")
      .orderBy("p.created_at")
      .orderBy("p.id")
      .limit(FULFILMENT_PAGE_SIZE)
      .offset((filters.page - 1) * FULFILMENT_PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("tiers").select(["id", "title"]).where("campaign_id", "=", campaignId).orderBy("position").execute(),
    db
      .selectFrom("fulfilments as f")
      .innerJoin("pledges as p", "p.id", "f.pledge_id")
      .select("p.shipping_destination")
      .distinct()
      .where("f.campaign_id", "=", campaignId)
      .where("p.shipping_destination", "is not", null)
      .execute(),
    db
      .selectFrom("fulfilments")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("campaign_id", "=", campaignId)
      .groupBy("status")
      .execute(),
  ]);
  return {
    rows,
    total: Number(total.n),
    tiers,
    countries: countries.map((c) => c.shipping_destination!).sort(),
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Partial<Record<FulfilmentStatus, number>>,
  };
}

/** One fulfilment of the campaign, locked for a change (undefined when it is not this campaign's). */
export async function lockCampaignFulfilment(
  trx: Db,
  { campaignId, pledgeId }: { campaignId: string; pledgeId: string },
) {
  return trx
    .selectFrom("fulfilments as f")
    .innerJoin("pledges as p", "p.id", "f.pledge_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .innerJoin("campaigns as c", "c.id", "f.campaign_id")
    .select([
      "f.pledge_id",
      "f.status",
      "f.updated_at",
      "u.id as backer_id",
      "u.name as backer_name",
      "u.email as backer_email",
      "u.locale as backer_locale",
      "u.deleted_at as backer_deleted_at",
      "c.title as campaign_title",
      "c.language as campaign_language",
      "c.slug as campaign_slug",
    ])
    .where("f.pledge_id", "=", pledgeId)
    .where("f.campaign_id", "=", campaignId)
    .forUpdate("f")
    .executeTakeFirst();
}

/** The backer's own reward: status, shipment, digital reward and problem thread. */
export async function getBackerFulfilment(db: Db, { pledgeId, backerId }: { pledgeId: string; backerId: string }) {
  return db
    .selectFrom("fulfilments as f")
    .innerJoin("pledges as p", "p.id", "f.pledge_id")
    .select([
      "f.pledge_id",
      "f.status",
      "f.carrier",
      "f.tracking_number",
      "f.tracking_url",
      "f.shipped_at",
      "f.delivered_at",
      "f.received_at",
      "f.digital_kind",
      "f.digital_value",
      "f.problem_kind",
      "f.problem_note",
      "f.problem_reported_at",
      "f.problem_answer",
      "f.problem_answered_at",
      "f.problem_resolved_at",
      "f.updated_at",
    ])
    .where("f.pledge_id", "=", pledgeId)
    .where("p.backer_id", "=", backerId)
    .executeTakeFirst();
}

/** The backer's fulfilment, locked, with the campaign's creator to tell about a problem. */
export async function lockBackerFulfilment(trx: Db, { pledgeId, backerId }: { pledgeId: string; backerId: string }) {
  return trx
    .selectFrom("fulfilments as f")
    .innerJoin("pledges as p", "p.id", "f.pledge_id")
    .innerJoin("campaigns as c", "c.id", "f.campaign_id")
    .innerJoin("users as cr", "cr.id", "c.creator_id")
    .innerJoin("users as b", "b.id", "p.backer_id")
    .select([
      "f.pledge_id",
      "f.status",
      "c.id as campaign_id",
      "c.title as campaign_title",
      "c.language as campaign_language",
      "cr.id as creator_id",
      "cr.name as creator_name",
      "cr.email as creator_email",
      "cr.locale as creator_locale",
      "cr.deleted_at as creator_deleted_at",
      "b.name as backer_name",
    ])
    .where("f.pledge_id", "=", pledgeId)
    .where("p.backer_id", "=", backerId)
    .forUpdate("f")
    .executeTakeFirst();
}

// --- The export for a shipping house --------------------------------------------------------

export interface ExportQuestion {
  id: string;
  prompt: string;
  kind: "single" | "multiple" | "text";
}

/** The survey's questions that become columns (the address has its own columns). */
export async function exportQuestions(db: Db, { campaignId, viewerId }: { campaignId: string; viewerId: string }) {
  return (await db
    .selectFrom("survey_questions as q")
    .innerJoin("surveys as s", "s.id", "q.survey_id")
    .select(["q.id", "q.prompt", "q.kind"])
    .where("s.campaign_id", "in", addressViewerCampaign(db, { campaignId, viewerId }))
    .where("q.kind", "!=", "address")
    .orderBy("q.position")
    .orderBy("q.created_at")
    .execute()) as ExportQuestion[];
}

/**
 * One page of the export (keyset on the pledge's creation, microseconds kept as text): each
 * pledge owed a reward with its backer, tier, address, answers (as text) and fulfilment. Empty
 * for anyone but the campaign's creator and finance staff.
 */
export async function exportPage(
  db: Db,
  {
    campaignId,
    viewerId,
    after,
    limit = 1000,
  }: { campaignId: string; viewerId: string; after?: { cursor: string; id: string }; limit?: number },
) {
  let query = db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .innerJoin("tiers as t", "t.id", "p.tier_id")
    .leftJoin("fulfilments as f", "f.pledge_id", "p.id")
    .leftJoin("shipping_addresses as a", "a.pledge_id", "p.id")
    .select([
      "p.id",
      "p.amount",
      "p.currency",
      "p.shipping_destination",
      "u.name",
      "u.email",
      "t.title as tier_title",
      "a.full_name",
      "a.line1",
      "a.line2",
      "a.city",
      "a.region",
      "a.postal_code",
      "a.country",
      "a.phone",
      "f.status",
      "f.carrier",
      "f.tracking_number",
      "f.tracking_url",
      "f.shipped_at",
      addOnSummary("p.id").as("add_ons"),
    ])
    .select(sql<string>`p.created_at::text`.as("cursor"))
    .where("p.campaign_id", "in", addressViewerCampaign(db, { campaignId, viewerId }))
    .where(({ ref }) => owedPledge(ref("c.collection"), ref("p.state")))
    .orderBy("p.created_at")
    .orderBy("p.id")
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("p.created_at", ">", sql<Date>`${after.cursor}::timestamptz`),
        eb.and([eb("p.created_at", "=", sql<Date>`${after.cursor}::timestamptz`), eb("p.id", ">", after.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const ids = rows.map((r) => r.id);
  const answers = new Map<string, string>();
  if (ids.length > 0) {
    const [texts, choices] = await Promise.all([
      db
        .selectFrom("survey_answers")
        .select(["pledge_id", "question_id", "text_value"])
        .where("pledge_id", "in", ids)
        .execute(),
      db
        .selectFrom("survey_answer_choices as ch")
        .innerJoin("survey_options as o", "o.id", "ch.option_id")
        .select(["ch.pledge_id", "ch.question_id", "o.label"])
        .where("ch.pledge_id", "in", ids)
        .orderBy("o.position")
        .execute(),
    ]);
    for (const a of texts) if (a.text_value) answers.set(`${a.pledge_id}:${a.question_id}`, a.text_value);
    for (const c of choices) {
      const key = `${c.pledge_id}:${c.question_id}`;
      const before = answers.get(key);
      answers.set(key, before ? `${before}; ${c.label}` : c.label);
    }
  }
  return rows.map((r) => ({
    ...r,
    amount: Number(r.amount),
    answerTo: (q: string) => answers.get(`${r.id}:${q}`) ?? "",
  }));
}

// --- The creator's dashboard ----------------------------------------------------------------

/**
 * The fulfilment figures of the dashboard: survey answers, shipped, received, open problems, and
 * per tier whether delivery is late (its estimated month has ended and some rewards are not sent).
 * Pledges owed a reward without a fulfilment row yet count as not sent.
 */
export async function fulfilmentDashboard(
  db: Db,
  { campaignId, now = new Date() }: { campaignId: string; now?: Date },
) {
  const sent = sql.join(SENT_STATUSES.map((s) => sql.lit(s)));
  const rows = await db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("tiers as t", "t.id", "p.tier_id")
    .leftJoin("fulfilments as f", "f.pledge_id", "p.id")
    .leftJoin("survey_responses as r", "r.pledge_id", "p.id")
    .select([
      "t.id as tier_id",
      "t.title",
      "t.estimated_delivery",
      "t.position",
      (eb) => eb.fn.countAll<string>().as("owed"),
      sql<string>`count(*) filter (where f.status in (${sent}))`.as("sent"),
      sql<string>`count(*) filter (where f.status = 'received')`.as("received"),
      sql<string>`count(*) filter (where f.status = 'problem')`.as("problems"),
      sql<string>`count(*) filter (where r.submitted_at is not null)`.as("answered"),
      sql<string>`count(*) filter (where r.submitted_at is not null or f.status = 'awaiting_survey')`.as("asked"),
    ])
    .where("p.campaign_id", "=", campaignId)
    .where(({ ref }) => owedPledge(ref("c.collection"), ref("p.state")))
    .groupBy(["t.id", "t.title", "t.estimated_delivery", "t.position"])
    .orderBy("t.position")
    .execute();
  const sum = (k: "owed" | "sent" | "received" | "problems" | "answered" | "asked") =>
    rows.reduce((n, r) => n + Number(r[k]), 0);
  const pct = (part: number, whole: number) => (whole === 0 ? null : Math.floor((part * 100) / whole));
  const owed = sum("owed");
  return {
    owed,
    surveyAnsweredPercent: pct(sum("answered"), sum("asked")),
    shippedPercent: pct(sum("sent"), owed),
    receivedPercent: pct(sum("received"), owed),
    problemsOpen: sum("problems"),
    tiers: rows.map((r) => {
      const month = r.estimated_delivery ? new Date(r.estimated_delivery) : null;
      const monthEnd = month ? new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)) : null;
      const unsent = Number(r.owed) - Number(r.sent);
      return {
        tierId: r.tier_id,
        title: r.title,
        estimatedDelivery: month ? month.toISOString() : null,
        owed: Number(r.owed),
        sent: Number(r.sent),
        late: monthEnd !== null && monthEnd <= now && unsent > 0,
      };
    }),
  };
}

// --- Address retention ----------------------------------------------------------------------

const BLANK_ADDRESS = { full_name: "", line1: "", line2: "", city: "", region: "", postal_code: "", phone: "" };

/**
 * Blanks the addresses (keeping the country) whose reward was confirmed received more than
 * `retentionDays` ago. Returns how many it anonymised.
 */
export async function anonymiseExpiredAddresses(
  db: Db,
  { retentionDays, now = new Date() }: { retentionDays: number; now?: Date },
) {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const result = await db
    .updateTable("shipping_addresses")
    .set({ ...BLANK_ADDRESS, anonymised_at: now, updated_at: now })
    .where("anonymised_at", "is", null)
    .where("pledge_id", "in", (eb) =>
      eb
        .selectFrom("fulfilments")
        .select("pledge_id")
        .where("received_at", "is not", null)
        .where("received_at", "<=", cutoff),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Blanks every address of a backer's pledges (their account is being deleted). */
export async function anonymiseAddressesOfBacker(db: Db, { userId, now = new Date() }: { userId: string; now?: Date }) {
  await db
    .updateTable("shipping_addresses")
    .set({ ...BLANK_ADDRESS, anonymised_at: now, updated_at: now })
    .where("anonymised_at", "is", null)
    .where("pledge_id", "in", (eb) => eb.selectFrom("pledges").select("id").where("backer_id", "=", userId))
    .execute();
}

/** One fulfilment of the campaign for the creator's action panel (no address: the export has it). */
export async function getCampaignFulfilment(
  db: Db,
  { campaignId, pledgeId }: { campaignId: string; pledgeId: string },
) {
  return db
    .selectFrom("fulfilments as f")
    .innerJoin("pledges as p", "p.id", "f.pledge_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .select([
      "f.pledge_id",
      "f.status",
      "f.carrier",
      "f.tracking_number",
      "f.tracking_url",
      "f.shipped_at",
      "f.digital_kind",
      "f.digital_value",
      "f.problem_kind",
      "f.problem_note",
      "f.problem_reported_at",
      "f.problem_answer",
      "f.problem_answered_at",
      "u.name as backer_name",
      "t.title as tier_title",
      "t.ships",
    ])
    .where("f.pledge_id", "=", pledgeId)
    .where("f.campaign_id", "=", campaignId)
    .executeTakeFirst();
}
