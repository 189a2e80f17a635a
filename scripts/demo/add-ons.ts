import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { seededRandom } from "./random";

// Add-ons in the demo: Ana's Lumen lantern (live, in dollars) offers a spare lantern (limited),
// a solar panel and a carry strap; the Kintsugi kit (funded, in yen) sold extra gold powder and a
// practice bowl; the Triana lamps (live, in euros, Spanish) offer a spare shade. A share of each
// campaign's active pledges carry some, written as a checkout would have left them (lines at the
// price of the day, surcharges for the pledge's destination, units claimed, totals updated)
// before the demo's payments and settlement run, so charges, ledger and statements include them.

interface DemoAddOn {
  title: string;
  description: string;
  /** Major units of the campaign's currency. */
  price: number;
  limit?: number;
  perBackerMax?: number;
  /** Surcharge per unit by destination, major units; set, it ships (and only with shipped tiers). */
  shipping?: Record<string, number>;
}

export const DEMO_ADD_ONS: { slug: string; share: number; addOns: DemoAddOn[] }[] = [
  {
    slug: "lumen-solar-lantern",
    share: 0.45,
    addOns: [
      {
        title: "Spare Lumen lantern",
        description: "A second lantern at the backer price, in the same box.",
        price: 45,
        limit: 40,
        perBackerMax: 3,
        shipping: { US: 4, ROW: 9 },
      },
      {
        title: "Fold-out solar panel",
        description: "A 10 W panel that charges the lantern in three hours of sun.",
        price: 29,
        shipping: { US: 2, ROW: 5 },
      },
      {
        title: "Braided carry strap",
        description: "Hang it from a tent pole or a branch.",
        price: 8,
      },
    ],
  },
  {
    slug: "kintsugi-repair-kit",
    share: 0.5,
    addOns: [
      { title: "Extra gold powder", description: "Enough for three more repairs.", price: 1500 },
      {
        title: "Practice bowl",
        description: "A pre-broken bowl to practise on.",
        price: 2200,
        limit: 30,
        perBackerMax: 2,
        shipping: { JP: 300, ROW: 900 },
      },
    ],
  },
  {
    slug: "lamparas-ceramica-triana",
    share: 0.35,
    addOns: [
      {
        title: "Pantalla de lino de repuesto",
        description: "Una segunda pantalla, en lino crudo o teñido con índigo.",
        price: 24,
        perBackerMax: 2,
        shipping: { ES: 2, EU: 4, ROW: 7 },
      },
      {
        title: "Bombilla de filamento cálida",
        description: "2200 K, regulable, la que usamos en el taller.",
        price: 9,
      },
    ],
  },
];

export async function seedDemoAddOns(db: Db) {
  for (const [index, spec] of DEMO_ADD_ONS.entries()) await seedCampaignAddOns(db, spec, index);
}

async function seedCampaignAddOns(db: Db, spec: (typeof DEMO_ADD_ONS)[number], index: number) {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "currency"])
    .where("slug", "=", spec.slug)
    .executeTakeFirst();
  if (!campaign) return;
  const unit = campaign.currency === "jpy" ? 1 : 100;
  const rand = seededRandom(4242 + index * 131);
  await db.transaction().execute(async (trx) => {
    const tiers = await trx
      .selectFrom("tiers")
      .select(["id", "ships"])
      .where("campaign_id", "=", campaign.id)
      .where("hidden", "=", false)
      .execute();
    const addOns = [];
    for (const [position, a] of spec.addOns.entries()) {
      const offeredWith = tiers.filter((t) => t.ships || !a.shipping);
      const row = await trx
        .insertInto("add_ons")
        .values({
          campaign_id: campaign.id,
          title: a.title,
          description: a.description,
          price: a.price * unit,
          quantity_limit: a.limit ?? null,
          per_backer_max: a.perBackerMax ?? null,
          ships: Boolean(a.shipping),
          position,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (offeredWith.length)
        await trx
          .insertInto("add_on_tiers")
          .values(offeredWith.map((t) => ({ add_on_id: row.id, tier_id: t.id })))
          .execute();
      const rates = Object.entries(a.shipping ?? {});
      if (rates.length)
        await trx
          .insertInto("add_on_shipping_rates")
          .values(rates.map(([destination, amount]) => ({ add_on_id: row.id, destination, amount: amount * unit })))
          .execute();
      addOns.push({ ...a, id: row.id, tierIds: new Set(offeredWith.map((t) => t.id)), claimed: 0 });
    }

    // Pledges still active (live campaigns, and the funded ones the demo settles for real).
    const pledges = await trx
      .selectFrom("pledges")
      .select(["id", "tier_id", "shipping_destination"])
      .where("campaign_id", "=", campaign.id)
      .where("state", "=", "active")
      .orderBy("created_at")
      .execute();
    let added = 0;
    for (const pledge of pledges) {
      if (!pledge.tier_id || rand() >= spec.share) continue;
      const lines = [];
      for (const a of addOns) {
        if (!a.tierIds.has(pledge.tier_id) || rand() < 0.45) continue;
        const rate = a.shipping ? a.shipping[pledge.shipping_destination ?? ""] : 0;
        if (rate === undefined) continue;
        const cap = Math.min(a.perBackerMax ?? 2, 2, a.limit === undefined ? 2 : a.limit - a.claimed);
        if (cap <= 0) continue;
        const quantity = 1 + Math.floor(rand() * cap);
        a.claimed += quantity;
        lines.push({
          pledge_id: pledge.id,
          add_on_id: a.id,
          quantity,
          unit_price: a.price * unit,
          amount: a.price * unit * quantity,
          shipping_amount: rate * unit * quantity,
        });
      }
      if (lines.length === 0) continue;
      await trx.insertInto("pledge_add_ons").values(lines).execute();
      const items = lines.reduce((n, l) => n + l.amount, 0);
      const shipping = lines.reduce((n, l) => n + l.shipping_amount, 0);
      await trx
        .updateTable("pledges")
        .set({
          add_ons_amount: items,
          shipping_amount: sql`shipping_amount + ${shipping}`,
          amount: sql`amount + ${items + shipping}`,
        })
        .where("id", "=", pledge.id)
        .execute();
      added += items + shipping;
    }
    for (const a of addOns)
      if (a.claimed)
        await trx.updateTable("add_ons").set({ claimed_count: a.claimed }).where("id", "=", a.id).execute();
    if (added)
      await trx
        .updateTable("campaigns")
        .set({ pledged_amount: sql`pledged_amount + ${added}` })
        .where("id", "=", campaign.id)
        .execute();
  });
}
