import { Migrator, sql, type Kysely } from "kysely";
import type { CampaignLanguage, Database } from "../../db/schema";
import { migrations } from "../../db/migrations/index";
import { createUser } from "~/models/user.server";
import { discoverCampaigns, searchTerms } from "~/models/campaign-query.server";
import { createTestDatabase, useTestDatabase } from "../support/database";

// A campaign's language and the search that reads it: Spanish campaigns are stemmed as Spanish
// with accents folded, English ones as before. Runs on PGlite, and on PostgreSQL with
// TEST_DATABASE_URL.

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;
const now = new Date("2026-12-01T12:00:00.000Z");
const DAY = 86_400_000;

let creatorId = "";

async function addCampaign(
  slug: string,
  words: { title: string; blurb?: string; story?: string },
  language?: CampaignLanguage,
) {
  await db()
    .insertInto("campaigns")
    .values({
      creator_id: creatorId,
      slug,
      title: words.title,
      blurb: words.blurb ?? "",
      story_md: words.story ?? "",
      category: "design",
      goal_amount: 100_000,
      currency: "eur",
      state: "live",
      launched_at: new Date(now.getTime() - DAY),
      deadline: new Date(now.getTime() + 10 * DAY),
      ...(language ? { language } : {}),
    })
    .execute();
}

const found = async (q: string) =>
  (await discoverCampaigns(db(), { q, now, state: "all" })).campaigns.map((c) => c.slug);

beforeAll(async () => {
  const user = await createUser(db(), { email: "lang@example.com", name: "Lucía", passwordHash: "x" });
  creatorId = user.id;
  await addCampaign(
    "lampara-ceramica",
    {
      title: "Lámpara de cerámica hecha a mano",
      blurb: "Una lámpara de mesa torneada en Sevilla",
      story: "Cada pieza sale del torno de nuestro taller. El pingüino de la base lo pinta un niño del barrio.",
    },
    "es",
  );
  await addCampaign(
    "libretas-cosidas",
    {
      title: "Libretas cosidas a mano",
      blurb: "Papel reciclado y tapas de lino",
      story: "Encuadernación japonesa, con ilustraciones de la casa.",
    },
    "es",
  );
  await addCampaign("desk-lamps", {
    title: "Walnut desk lamps",
    blurb: "A lamp that dims itself at night",
    story: "Running on a single battery, our lamps light a desk for a week.",
  });
  await addCampaign(
    "cafe-tables",
    { title: "Café tables for small flats", blurb: "Fold-away tables", story: "Tables for two." },
    "en",
  );
});

describe("a campaign's language", () => {
  it("defaults to English and accepts only the site's languages", async () => {
    const rows = await db().selectFrom("campaigns").select(["slug", "language"]).orderBy("slug").execute();
    expect(Object.fromEntries(rows.map((r) => [r.slug, r.language]))).toEqual({
      "cafe-tables": "en",
      "libretas-cosidas": "es",
      "desk-lamps": "en",
      "lampara-ceramica": "es",
    });
    await expect(sql`update campaigns set language = 'fr' where slug = 'desk-lamps'`.execute(db())).rejects.toThrow(
      /check constraint/,
    );
  });

  it("comes back on the public card rows", async () => {
    const { campaigns } = await discoverCampaigns(db(), { now, state: "all", sort: "newest" });
    expect(campaigns.find((c) => c.slug === "lampara-ceramica")?.language).toBe("es");
    expect(campaigns.find((c) => c.slug === "desk-lamps")?.language).toBe("en");
  });
});

describe("searching Spanish campaigns", () => {
  it("stems Spanish: a plural finds the singular, and the other way", async () => {
    expect(await found("lámparas")).toEqual(["lampara-ceramica"]);
    expect(await found("libreta")).toEqual(["libretas-cosidas"]);
    expect(await found("cosida")).toEqual(["libretas-cosidas"]);
    expect(await found("ilustración")).toEqual(["libretas-cosidas"]);
  });

  it("ignores accents and case, ñ and ü included", async () => {
    expect(await found("lampara")).toEqual(["lampara-ceramica"]);
    expect(await found("LAMPARAS CERAMICA")).toEqual(["lampara-ceramica"]);
    expect(await found("encuadernacion")).toEqual(["libretas-cosidas"]);
    expect(await found("encuadernaciones")).toEqual(["libretas-cosidas"]);
    expect(await found("nino")).toEqual(["lampara-ceramica"]);
    expect(await found("pinguino")).toEqual(["lampara-ceramica"]);
  });

  it("keeps web-search syntax: phrases and exclusions", async () => {
    expect(await found('"hecha a mano"')).toEqual(["lampara-ceramica"]);
    expect((await found("mano")).sort()).toEqual(["lampara-ceramica", "libretas-cosidas"]);
    expect(await found("mano -lámpara")).toEqual(["libretas-cosidas"]);
  });

  it("ranks title matches first, as for English", async () => {
    await addCampaign("torno-taller", { title: "Un torno para el taller", story: "Sin lámparas." }, "es");
    expect(await found("lámpara")).toEqual(["lampara-ceramica", "torno-taller"]);
    await db().deleteFrom("campaigns").where("slug", "=", "torno-taller").execute();
  });
});

describe("searching English campaigns", () => {
  it("stems English as before, and a Spanish search word finds no English campaign", async () => {
    expect(await found("walnut lamps")).toEqual(["desk-lamps"]);
    expect(await found("dimming")).toEqual(["desk-lamps"]);
    expect(await found('"single battery"')).toEqual(["desk-lamps"]);
    expect(await found("lamps -walnut")).toEqual([]);
    expect(await found("battery -lámpara")).toEqual(["desk-lamps"]);
    expect(await found("café")).toEqual(["cafe-tables"]);
  });

  it("answers stop words and odd input with no results rather than an error", async () => {
    expect(await found("the")).toEqual([]);
    expect(await found("de la")).toEqual([]);
    expect(await found("!!! & | ()")).toEqual([]);
  });
});

describe("the search index", () => {
  it("answers both languages' searches from the one GIN index", async () => {
    const plan = await db()
      .transaction()
      .execute(async (trx) => {
        // The table is tiny, so the planner would rather read it all: show that it can use the index.
        await sql`set local enable_seqscan = off`.execute(trx);
        const { rows } = await sql<{ "QUERY PLAN": string }>`
          explain select c.id from campaigns c where ${searchTerms("lámparas").matches}`.execute(trx);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    expect(plan).toMatch(/Bitmap Index Scan on campaigns_search_idx/);
    expect(plan.match(/campaigns_search_idx/g)).toHaveLength(2);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});

describe("the migration", () => {
  it("marks existing campaigns English and keeps them searchable", async () => {
    const { db: fresh, close } = await createTestDatabase();
    try {
      const migrator = new Migrator({ db: fresh, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo("2026_11_22_0010_user_locale")).error).toBeUndefined();
      // The columns as they were before: no language.
      const user = await fresh
        .insertInto("users")
        .values({ email: "old@example.com", name: "Old", password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await fresh
        .insertInto("campaigns")
        .values({
          creator_id: user.id,
          slug: "old-lamps",
          title: "Old lamps",
          category: "design",
          goal_amount: 1,
          currency: "usd",
        })
        .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const { rows } = await sql<{ language: string; hit: boolean }>`
        select language, search @@ websearch_to_tsquery('english', 'lamp') as hit from campaigns`.execute(fresh);
      expect(rows).toEqual([{ language: "en", hit: true }]);
    } finally {
      await close();
    }
  });
});
