import type { Db } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { LatePledgeSettings } from "../domain/late-pledges";
import type { Translate } from "../domain/locale";
import { translatorFor } from "../i18n";
import { auditCampaign, campaignNotFoundIn, lockCampaign, refused, type CreatorActor } from "./campaign.server";

// The creator's late-pledge settings: the closing date and each tier's late price and limit,
// written under the campaign's lock while it is funded. What a late pledge holds is counted on
// the tier (late_claimed_count) by the pledge's state changes (pledge-state.server.ts).

const english: Translate = translatorFor("en");

/** A campaign's late-pledge settings with its tiers (hidden ones are never offered late). */
export async function latePledgeSettingsOf(db: Db, { campaignId }: { campaignId: string }) {
  const [campaign, tiers, taken] = await Promise.all([
    db
      .selectFrom("campaigns")
      .select(["id", "state", "currency", "late_pledges_until", "deadline"])
      .where("id", "=", campaignId)
      .executeTakeFirst(),
    db
      .selectFrom("tiers")
      .select([
        "id",
        "title",
        "minimum_amount",
        "quantity_limit",
        "claimed_count",
        "late_price",
        "late_limit",
        "late_claimed_count",
        "ships",
      ])
      .where("campaign_id", "=", campaignId)
      .where("hidden", "=", false)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    db
      .selectFrom("pledges")
      .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.sum<string>("amount").as("amount")])
      .where("campaign_id", "=", campaignId)
      .where("late", "=", true)
      .where("state", "in", ["collected", "partially_refunded", "disputed"])
      .executeTakeFirstOrThrow(),
  ]);
  if (!campaign) return undefined;
  return {
    campaign,
    tiers: tiers.map((t) => ({ ...t, late_price: t.late_price === null ? null : Number(t.late_price) })),
    taken: { count: Number(taken.n), amount: Number(taken.amount ?? 0) },
  };
}

/** Opens (or changes) late pledges: the closing date and the tiers offered, in one write. */
export async function saveLatePledges(
  db: Db,
  {
    campaignId,
    actor,
    settings,
    t = english,
  }: { campaignId: string; actor: CreatorActor; settings: LatePledgeSettings; t?: Translate },
) {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    if (campaign.state !== "funded") return refused(t("creator:late.refusal.notFunded"));
    const offered = new Map(settings.tiers.map((s) => [s.tierId, s]));
    const tiers = await trx
      .selectFrom("tiers")
      .select(["id", "minimum_amount", "late_claimed_count"])
      .where("campaign_id", "=", campaignId)
      .where("hidden", "=", false)
      .orderBy("id")
      .forNoKeyUpdate()
      .execute();
    if (settings.tiers.some((s) => !tiers.some((tier) => tier.id === s.tierId)))
      return refused(t("creator:late.refusal.tierGone"));
    for (const tier of tiers) {
      const s = offered.get(tier.id);
      // The database refuses a price under the minimum or a limit under what was taken.
      if (s && (s.latePrice < tier.minimum_amount || (s.lateLimit !== null && s.lateLimit < tier.late_claimed_count)))
        return refused(t("creator:late.refusal.stale"));
      await trx
        .updateTable("tiers")
        .set({ late_price: s?.latePrice ?? null, late_limit: s?.lateLimit ?? null, updated_at: new Date() })
        .where("id", "=", tier.id)
        .execute();
    }
    await trx
      .updateTable("campaigns")
      .set({ late_pledges_until: settings.until, updated_at: new Date() })
      .where("id", "=", campaignId)
      .execute();
    await auditCampaign(trx, actor, campaignId, "late_pledges.open", {
      detail: { until: settings.until.toISOString(), tiers: settings.tiers },
    });
    return { ok: true as const };
  });
}

/** Closes late pledges now (checkouts already started may still be paid, as Stripe allows). */
export async function closeLatePledges(
  db: Db,
  { campaignId, actor, t = english }: { campaignId: string; actor: CreatorActor; t?: Translate },
) {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    await trx
      .updateTable("campaigns")
      .set({ late_pledges_until: null, updated_at: new Date() })
      .where("id", "=", campaignId)
      .execute();
    await auditCampaign(trx, actor, campaignId, "late_pledges.close");
    return { ok: true as const };
  });
}
