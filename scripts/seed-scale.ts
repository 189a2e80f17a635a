// A large, realistic data set for benchmarks: N campaigns with about 100 pledges each, in every
// public state, inserted in multi-row batches with counters computed in bulk afterwards.
import crypto from "node:crypto";
import { sql } from "kysely";
import type { Insertable } from "kysely";
import type { CampaignsTable, CampaignState, CurrencyCode, Db, PledgeState } from "../db/schema.js";
import { CATEGORIES } from "../app/domain/catalog";
import { storyColumns } from "../app/domain/markdown";
import { COUNTED_STATES, SLOT_HOLDING_STATES } from "../app/domain/pledge-states";
import { seededRandom } from "./demo/random";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BATCH = 1000;
const CHUNK = 100; // campaigns per round of inserts and counter updates

const ADJECTIVES = [
  "Modular",
  "Open",
  "Pocket",
  "Solar",
  "Quiet",
  "Smart",
  "Tiny",
  "Folding",
  "Wooden",
  "Recycled",
  "Wireless",
  "Analog",
  "Portable",
  "Handmade",
  "Electric",
  "Urban",
  "Wild",
  "Gentle",
  "Bold",
  "Clever",
];
const NOUNS = [
  "lantern",
  "synth",
  "backpack",
  "garden",
  "keyboard",
  "bicycle",
  "camera",
  "notebook",
  "kettle",
  "speaker",
  "telescope",
  "loom",
  "drone",
  "atlas",
  "cookbook",
  "board game",
  "robot",
  "planter",
  "clock",
  "headphones",
  "microscope",
  "kayak",
  "printer",
  "journal",
];
const PURPOSES = [
  "for small apartments",
  "for curious kids",
  "for off-grid living",
  "for musicians",
  "that lasts a lifetime",
  "for the classroom",
  "for city cyclists",
  "you can repair yourself",
  "for slow mornings",
  "made from ocean plastic",
  "for field scientists",
  "for makers",
];
const VOCABULARY: Record<string, string[]> = {
  hardware: ["aluminium", "battery", "firmware", "enclosure", "prototype", "injection", "tooling", "sensor"],
  design: ["oak", "linen", "ceramic", "minimal", "craft", "studio", "texture", "colour"],
  technology: ["open-source", "app", "wireless", "data", "cloud", "protocol", "chip", "software"],
  games: ["cards", "dice", "cooperative", "campaign", "miniatures", "expansion", "players", "strategy"],
  food: ["fermented", "recipe", "harvest", "kitchen", "flavour", "organic", "bakery", "spice"],
  sustainability: ["solar", "compost", "recycled", "water", "carbon", "energy", "repair", "upcycled"],
  health: ["sleep", "posture", "clinic", "wellbeing", "therapy", "breathing", "fitness", "accessible"],
  education: ["classroom", "curriculum", "teachers", "science", "reading", "students", "workshop", "bilingual"],
  music: ["analog", "vinyl", "album", "studio", "synthesizer", "tour", "recording", "amplifier"],
  publishing: ["illustrated", "hardback", "anthology", "comic", "poetry", "magazine", "chapters", "print"],
};
const CURRENCIES: CurrencyCode[] = ["usd", "usd", "usd", "eur", "gbp", "jpy"];

export interface ScaleProgress {
  campaigns: number;
  pledges: number;
  total: number;
}

/**
 * Adds `campaigns` campaigns (10% drafts, 35% live, 35% funded, 15% unfunded, 5% cancelled) with
 * about 100 pledges each on average, their tiers, history rows and exact counters. Adds to
 * whatever is there: its users, slugs and ids are new for every run.
 */
export async function seedScale(
  db: Db,
  {
    campaigns: total,
    seed = 42,
    now = new Date(),
    onProgress,
  }: { campaigns: number; seed?: number; now?: Date; onProgress?: (p: ScaleProgress) => void },
) {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const run = crypto.randomBytes(3).toString("hex");
  // Stories are stored rendered; one made of the same words again reuses its rendering.
  const rendered = new Map<string, ReturnType<typeof storyColumns>>();
  const storyOf = (md: string) => {
    let columns = rendered.get(md);
    if (!columns) rendered.set(md, (columns = storyColumns(md)));
    return columns;
  };

  // Users: backers enough for the largest campaign (one pledge per backer per campaign).
  const backerCount = 3000;
  const creatorCount = Math.max(20, Math.ceil(total / 8));
  const passwordHash = "scrypt$disabled$scale-seed"; // never matches: scale users cannot sign in
  const backerIds: string[] = [];
  const creatorIds: string[] = [];
  const users = [
    ...Array.from({ length: creatorCount }, (_, i) => ({
      id: crypto.randomUUID(),
      email: `creator-${run}-${i}@scale.example`,
      name: `${pick(["Studio", "Lab", "Works", "Collective"])} ${i}`,
      kind: "creator",
    })),
    ...Array.from({ length: backerCount }, (_, i) => ({
      id: crypto.randomUUID(),
      email: `backer-${run}-${i}@scale.example`,
      name: `Backer ${i}`,
      kind: "backer",
    })),
  ];
  for (let i = 0; i < users.length; i += BATCH) {
    const rows = users.slice(i, i + BATCH);
    await db
      .insertInto("users")
      .values(rows.map(({ id, email, name }) => ({ id, email, name, password_hash: passwordHash })))
      .execute();
  }
  for (const u of users) (u.kind === "creator" ? creatorIds : backerIds).push(u.id);

  let pledgeTotal = 0;
  for (let start = 0; start < total; start += CHUNK) {
    const size = Math.min(CHUNK, total - start);
    const campaigns: Insertable<CampaignsTable>[] = [];
    const tiers: {
      id: string;
      campaign_id: string;
      title: string;
      description: string;
      minimum_amount: number;
      quantity_limit: number | null;
      estimated_delivery: Date | null;
      ships: boolean;
      position: number;
    }[] = [];
    const rates: { tier_id: string; destination: string; amount: number }[] = [];
    const pledges: {
      campaign_id: string;
      backer_id: string;
      tier_id: string;
      currency: CurrencyCode;
      base_amount: number;
      shipping_amount: number;
      amount: number;
      shipping_destination: string | null;
      state: PledgeState;
      created_at: Date;
      updated_at: Date;
      activated_at: Date;
    }[] = [];
    const transitions: { campaign_id: string; from_state: CampaignState | null; to_state: CampaignState; at: Date }[] =
      [];
    const ids: string[] = [];

    for (let k = 0; k < size; k++) {
      const index = start + k;
      const id = crypto.randomUUID();
      ids.push(id);
      const category = pick(CATEGORIES).slug;
      const words = VOCABULARY[category]!;
      const noun = pick(NOUNS);
      const title = `${pick(ADJECTIVES)} ${noun} ${pick(PURPOSES)}`;
      const r = rand();
      const state: CampaignState =
        r < 0.1 ? "draft" : r < 0.45 ? "live" : r < 0.8 ? "funded" : r < 0.95 ? "unfunded" : "cancelled";
      const currency = pick(CURRENCIES);
      const unit = currency === "jpy" ? 1 : 100;
      const duration = 15 + Math.floor(rand() * 46);
      let deadline: Date | null = null;
      let launched: Date | null = null;
      let ended: Date | null = null;
      if (state === "live") {
        // Mostly open, a few past their deadline awaiting settlement.
        const remaining = rand() < 0.03 ? -rand() * 6 * HOUR : rand() * (duration - 1) * DAY + HOUR;
        deadline = new Date(now.getTime() + remaining);
        launched = new Date(deadline.getTime() - duration * DAY);
      } else if (state !== "draft") {
        deadline = new Date(now.getTime() - (1 + rand() * 700) * DAY);
        launched = new Date(deadline.getTime() - duration * DAY);
        ended =
          state === "cancelled"
            ? new Date(launched.getTime() + rand() * duration * DAY)
            : new Date(deadline.getTime() + 2 * HOUR);
        if (state === "cancelled") deadline = new Date(Math.max(deadline.getTime(), ended.getTime()));
      }
      const prices = [5 + Math.floor(rand() * 20), 30 + Math.floor(rand() * 120), 150 + Math.floor(rand() * 400)].map(
        (p) => p * (currency === "jpy" ? 150 : 1) * unit,
      );
      const tierIds = prices.map(() => crypto.randomUUID());
      prices.forEach((price, position) => {
        tiers.push({
          id: tierIds[position]!,
          campaign_id: id,
          title: [`Supporter`, `The ${noun}`, `Deluxe ${noun}`][position]!,
          description: `${pick(words)} ${pick(words)} reward`,
          minimum_amount: price,
          quantity_limit: position === 2 ? 500 : null,
          estimated_delivery: deadline
            ? new Date(Date.UTC(deadline.getUTCFullYear(), deadline.getUTCMonth() + 4, 1))
            : null,
          ships: position > 0,
          position,
        });
      });
      rates.push(
        { tier_id: tierIds[1]!, destination: "US", amount: 10 * unit },
        { tier_id: tierIds[1]!, destination: "ROW", amount: 25 * unit },
      );

      // Pledge count: skewed, about 100 on average (most campaigns modest, a few huge).
      const count = state === "draft" ? 0 : Math.min(backerCount, Math.floor(-Math.log(1 - rand() * 0.9999) * 111));
      const pledgeState: PledgeState = state === "funded" ? "collected" : state === "live" ? "active" : "released";
      const until = Math.min(now.getTime(), (ended ?? deadline ?? now).getTime());
      const first = Math.floor(rand() * backerCount);
      const stride = 1 + Math.floor(rand() * 50);
      let expected = 0;
      const seen = new Set<number>();
      for (let p = 0; p < count; p++) {
        let b = (first + p * stride) % backerCount;
        while (seen.has(b)) b = (b + 1) % backerCount;
        seen.add(b);
        const t = rand() < 0.5 ? 1 : rand() < 0.7 ? 0 : 2;
        const base = prices[t]! + (rand() < 0.2 ? Math.floor(prices[t]! * rand() * 0.5) : 0);
        const ships = t === 1 ? (rand() < 0.7 ? "US" : "ROW") : null;
        const shipping = ships === "US" ? 10 * unit : ships === "ROW" ? 25 * unit : 0;
        const at = new Date(launched!.getTime() + rand() * Math.max(HOUR, until - launched!.getTime()));
        const st: PledgeState = state === "live" && rand() < 0.05 ? "cancelled" : pledgeState;
        if (st !== "cancelled") expected += base + shipping;
        pledges.push({
          campaign_id: id,
          backer_id: backerIds[b]!,
          tier_id: tierIds[t]!,
          currency,
          base_amount: base,
          shipping_amount: shipping,
          amount: base + shipping,
          shipping_destination: ships,
          state: st,
          created_at: new Date(at.getTime() - 60_000),
          updated_at: at,
          activated_at: at,
        });
      }
      const targetPercent =
        state === "funded"
          ? 100 + rand() * 150
          : state === "unfunded"
            ? 10 + rand() * 80
            : state === "cancelled"
              ? 5 + rand() * 40
              : 10 + rand() * 180;
      const goal = Math.max(
        100 * unit,
        Math.round(((expected || 1000 * unit) * 100) / targetPercent / unit / 100) * 100 * unit,
      );
      const blurb = `A ${pick(words)} ${noun} ${pick(PURPOSES)}, built with ${pick(words)} and ${pick(words)}.`;
      const storyText = [
        `## Why we made it\n\nWe wanted a ${noun} that is ${pick(words)}, ${pick(words)} and honest. After ${2 + Math.floor(rand() * 8)} prototypes, this is it.`,
        `## What you get\n\n- ${pick(words)} ${pick(words)}\n- ${pick(words)} ${noun}\n- a ${pick(words)} guide`,
        `## The plan\n\nThe goal pays for ${pick(words)} and ${pick(words)}. We ship ${pick(["in spring", "in autumn", "next year", "within six months"])}.`,
      ].join("\n\n");
      campaigns.push({
        id,
        creator_id: pick(creatorIds),
        slug: `${title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "")
          .slice(0, 50)}-${run}-${index}`,
        title: title[0]!.toUpperCase() + title.slice(1),
        blurb,
        ...storyOf(storyText),
        category,
        cover_alt: `Cover for the ${noun} project`,
        goal_amount: goal,
        currency,
        duration_days: duration,
        deadline,
        launched_at: launched,
        ended_at: ended,
        state,
        featured: state === "live" && rand() < 0.01,
        created_at: new Date((launched ?? now).getTime() - 7 * DAY),
      });
      if (state !== "draft") {
        transitions.push({ campaign_id: id, from_state: "draft", to_state: "live", at: launched! });
        if (state === "cancelled")
          transitions.push({ campaign_id: id, from_state: "live", to_state: "cancelled", at: ended! });
        else if (state === "funded" || state === "unfunded") {
          transitions.push(
            { campaign_id: id, from_state: "live", to_state: "settling", at: deadline! },
            { campaign_id: id, from_state: "settling", to_state: state, at: ended! },
          );
        }
      }
    }

    await db.transaction().execute(async (trx) => {
      await trx.insertInto("campaigns").values(campaigns).execute();
      for (let i = 0; i < tiers.length; i += BATCH)
        await trx
          .insertInto("tiers")
          .values(tiers.slice(i, i + BATCH))
          .execute();
      for (let i = 0; i < rates.length; i += BATCH)
        await trx
          .insertInto("tier_shipping_rates")
          .values(rates.slice(i, i + BATCH))
          .execute();
      if (transitions.length) await trx.insertInto("campaign_transitions").values(transitions).execute();
      for (let i = 0; i < pledges.length; i += BATCH)
        await trx
          .insertInto("pledges")
          .values(pledges.slice(i, i + BATCH))
          .execute();
      // History, then the counters in bulk, from the pledges themselves.
      await sql`
        insert into pledge_transitions (pledge_id, from_state, to_state, at)
        select id, null, state, activated_at from pledges where campaign_id = any(${ids}::uuid[])`.execute(trx);
      await sql`
        update campaigns c set pledged_amount = s.total, backer_count = s.n
        from (select campaign_id, sum(amount) as total, count(*) as n from pledges
              where campaign_id = any(${ids}::uuid[]) and state in (${sql.join(COUNTED_STATES)})
              group by campaign_id) s
        where c.id = s.campaign_id`.execute(trx);
      await sql`
        update tiers t set claimed_count = s.n
        from (select tier_id, count(*) as n from pledges
              where campaign_id = any(${ids}::uuid[]) and state in (${sql.join(SLOT_HOLDING_STATES)})
              group by tier_id) s
        where t.id = s.tier_id`.execute(trx);
    });
    pledgeTotal += pledges.length;
    onProgress?.({ campaigns: start + size, pledges: pledgeTotal, total });
  }
  await sql`analyze`.execute(db);
  return { campaigns: total, pledges: pledgeTotal, users: users.length };
}
