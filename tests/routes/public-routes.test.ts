import { loader as homeLoader } from "~/routes/_index";
import { loader as discoverLoader } from "~/routes/discover";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/projects.$slug_.pledge";
import { loader as rootLoader } from "~/root";
import { createUser } from "~/models/user.server";
import { seedDemoCampaigns } from "../../scripts/demo/campaigns";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";

const database = useTestDatabase({ APP_URL: "https://colecta.example" });

async function sessionFor(email: string) {
  const { db } = database();
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return sessionCookie(user.id);
}

beforeAll(async () => {
  const { db } = database();
  await createUser(db, { email: "backer@example.com", name: "Bea Backer", passwordHash: "x" });
  await createUser(db, { email: "creator@example.com", name: "Carlos Creator", passwordHash: "x" });
  await seedDemoCampaigns(db, { passwordHash: "x", covers: false });
  // A few more public campaigns, so discover has a second page.
  const creator = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", "creator@example.com")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("campaigns")
    .values(
      [1, 2, 3, 4, 5].map((i) => ({
        creator_id: creator.id,
        slug: `extra-project-${i}`,
        title: `Extra project ${i}`,
        category: "design",
        goal_amount: 100_000,
        currency: "usd" as const,
        state: "live" as const,
        launched_at: new Date(Date.now() - i * 86_400_000),
        deadline: new Date(Date.now() + i * 86_400_000),
      })),
    )
    .execute();
}, 120_000);

describe("home", () => {
  it("answers with the four sections as cards", async () => {
    const res = await call(homeLoader, get("/"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.featured.length).toBeGreaterThan(0);
    expect(body.trending.length).toBeGreaterThan(0);
    expect(body.endingSoon).toHaveLength(3);
    expect(body.recentlyFunded.length).toBeGreaterThan(0);
    expect(body.featured[0]).toMatchObject({
      slug: expect.any(String),
      creatorName: expect.any(String),
      currency: expect.any(String),
    });
  });
});

describe("discover", () => {
  it.each(
    [
      "/discover?sort=cheapest",
      "/discover?state=secret&category=..%2F..%2Fetc",
      "/discover?cursor=garbage",
      "/discover?cursor=" + "A".repeat(5000),
      `/discover?cursor=${Buffer.from('["newest","2026-01-01T00:00:00.000000Z","not-a-uuid"]').toString("base64url")}`,
      `/discover?q=${"lantern ".repeat(2000)}`,
      "/discover?q=%27%29%3B%20drop%20table%20campaigns%3B%20--",
      "/discover?q=%00%01%02",
      "/discover?q=a%20%26%20%7C%20!%20(%20)%20%3A*",
      "/discover?q=lantern&q=second&sort=funded&sort=newest",
      "/discover?sort=relevance",
    ].map((path) => [path.length > 80 ? `${path.slice(0, 60)}… (${path.length} chars)` : path, path]),
  )("never fails on %s", async (_label, path) => {
    const res = await call(discoverLoader, get(path));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Array.isArray(body.campaigns)).toBe(true);
    expect(body.params.q.length).toBeLessThanOrEqual(100);
  });

  it("finds a project by a word from its story, and pages with the next link", async () => {
    const search = await (await call(discoverLoader, get("/discover?q=monsoon&state=all"))).json();
    expect(search.campaigns.map((c: { slug: string }) => c.slug)).toEqual(["lumen-solar-lantern"]);

    const first = await (await call(discoverLoader, get("/discover?state=all&sort=newest"))).json();
    expect(first.campaigns).toHaveLength(12);
    expect(first.nextHref).toMatch(/^\/discover\?state=all&sort=newest&cursor=/);
    const second = await (await call(discoverLoader, get(first.nextHref))).json();
    expect(second.firstHref).toBe("/discover?state=all&sort=newest");
    const seen = [...first.campaigns, ...second.campaigns].map((c: { id: string }) => c.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(first.total);
  });
});

describe("project page", () => {
  it.each(["no-such-project", "loom-desktop-weaving-machine", "UPPER-case", "a".repeat(300), "<script>", ""])(
    "answers 404 for %#",
    async (slug) => {
      const res = await call(projectLoader, get(`/projects/${encodeURIComponent(slug)}`), { slug });
      expect(res.status).toBe(404);
    },
  );

  it("shows a draft to its creator only, as a preview", async () => {
    const creator = await sessionFor("creator@example.com");
    const res = await call(projectLoader, get("/projects/loom-desktop-weaving-machine", creator), {
      slug: "loom-desktop-weaving-machine",
    });
    expect(res.status).toBe(200);
    expect((await res.json()).campaign.state).toBe("draft");
    const backer = await sessionFor("backer@example.com");
    expect(
      (
        await call(projectLoader, get("/projects/loom-desktop-weaving-machine", backer), {
          slug: "loom-desktop-weaving-machine",
        })
      ).status,
    ).toBe(404);
  });

  it("sends the campaign, tiers, sharing data and updates (backers-only ones locked unless you back it)", async () => {
    const slug = "lumen-solar-lantern";
    const anonymous = await (await call(projectLoader, get(`/projects/${slug}`), { slug })).json();
    expect(anonymous.campaign).toMatchObject({
      title: expect.stringContaining("Lumen"),
      currency: "usd",
      state: "live",
      fundingModel: "all_or_nothing",
    });
    expect(anonymous.campaign.storyHtml).toContain("<h2>");
    expect(anonymous.tiers.length).toBe(4);
    expect(anonymous.tiers[0]).toMatchObject({
      title: "Early bird lantern",
      shipping: [
        { destination: "US", amount: 1000 },
        { destination: "ROW", amount: 2500 },
      ],
    });
    expect(anonymous.share.url).toBe(`https://colecta.example/projects/${slug}`);
    const locked = anonymous.updates.filter((u: { locked: boolean }) => u.locked);
    expect(locked).toHaveLength(1);
    expect(locked[0].html).toBe("");

    const backer = await sessionFor("backer@example.com");
    const backed = await (await call(projectLoader, get(`/projects/${slug}`, backer), { slug })).json();
    expect(backed.viewer.isBacker).toBe(true);
    expect(backed.updates.every((u: { locked: boolean }) => !u.locked)).toBe(true);
    expect(backed.updates.find((u: { title: string }) => u.title.startsWith("Rain chamber")).html).toContain(
      "200 hours",
    );
  });
});

describe("in each language", () => {
  const withHeaders = (request: Request, headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  };

  it("links every public page to its English and Spanish addresses, keeping the query", async () => {
    const home = await (await call(homeLoader, get("/?lang=es"))).json();
    expect(home.alternates).toEqual([
      { hrefLang: "en", href: "https://colecta.example/?lang=en" },
      { hrefLang: "es", href: "https://colecta.example/?lang=es" },
      { hrefLang: "x-default", href: "https://colecta.example/" },
    ]);
    const discover = await (await call(discoverLoader, get("/discover?q=solar&sort=newest&lang=fr"))).json();
    expect(discover.alternates).toEqual([
      { hrefLang: "en", href: "https://colecta.example/discover?q=solar&sort=newest&lang=en" },
      { hrefLang: "es", href: "https://colecta.example/discover?q=solar&sort=newest&lang=es" },
      { hrefLang: "x-default", href: "https://colecta.example/discover?q=solar&sort=newest" },
    ]);
    const slug = "lumen-solar-lantern";
    const project = await (await call(projectLoader, get(`/projects/${slug}?lang=es`), { slug })).json();
    expect(project.alternates.map((a: { href: string }) => a.href)).toEqual([
      `https://colecta.example/projects/${slug}?lang=en`,
      `https://colecta.example/projects/${slug}?lang=es`,
      `https://colecta.example/projects/${slug}`,
    ]);
    // The Spanish address is its own canonical; the plain one stays plain (see above).
    expect(project.share.url).toBe(`https://colecta.example/projects/${slug}?lang=es`);
  });

  it("renders each alternate in its language: ?lang= wins over the cookie, a bad one is ignored", async () => {
    const locale = async (path: string, headers: Record<string, string> = {}) =>
      (await (await call(rootLoader, withHeaders(get(path), headers))).json()).locale;
    expect(await locale("/discover?lang=es", { Cookie: "colecta_lang=en", "Accept-Language": "en" })).toBe("es");
    expect(await locale("/?lang=en", { Cookie: "colecta_lang=es" })).toBe("en");
    expect(await locale("/?lang=klingon", { Cookie: "colecta_lang=es" })).toBe("es");
    expect(await locale("/?lang=", { "Accept-Language": "es" })).toBe("es");
    const { db } = database();
    const user = await makeUser(db, "Inés");
    await db.updateTable("users").set({ locale: "es" }).where("id", "=", user.id).execute();
    expect(await locale("/?lang=en", { Cookie: await sessionCookie(user.id) })).toBe("en");
  });

  it("answers a missing project in the reader's language", async () => {
    for (const slug of ["no-such-project", "<script>"]) {
      const res = await call(projectLoader, withHeaders(get(`/projects/x`), { Cookie: "colecta_lang=es" }), { slug });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("No hay ningún proyecto en esa dirección.");
    }
    const pledge = await call(pledgeLoader, get("/projects/nope/pledge?lang=es"), { slug: "nope" });
    expect(await pledge.text()).toBe("Ese proyecto no existe.");
    const english = await call(projectLoader, get("/projects/nope"), { slug: "nope" });
    expect(await english.text()).toBe("No project has that address.");
  });

  it("reads a Spanish pledge amount and words the pledge form's refusals in Spanish", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creadora");
    const campaign = await makeLiveCampaign(db, {
      creatorId: creator.id,
      currency: "eur",
      tiers: [{ title: "Farol", minimum: 2_500, shipping: { EU: 500 } }],
    });
    const tier = campaign.tiers[0]!;
    const backer = await sessionCookie((await makeUser(db, "Pablo")).id);
    const pledge = async (fields: Record<string, string>, language = "colecta_lang=es") => {
      const res = await call(
        pledgeAction,
        post(`/projects/${campaign.slug}/pledge`, fields, `${backer}; ${language}`),
        { slug: campaign.slug },
      );
      return { status: res.status, body: await res.json() };
    };

    const missing = await pledge({ tier: tier.id, amount: "", destination: "EU" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.amount).toEqual(["Introduce el importe de tu aportación."]);
    expect((await pledge({ tier: "", amount: "30" })).body.error.tier).toEqual(["Elige una recompensa o ninguna."]);

    const tooLittle = await pledge({ tier: tier.id, amount: "24,99", destination: "EU" });
    expect(tooLittle.body.error.amount).toEqual(["«Farol» necesita una aportación de al menos 25,00\u00a0€."]);
    // "25,50" is twenty-five and a half to a Spanish reader: the amount passes, the destination is next.
    const noDestination = await pledge({ tier: tier.id, amount: "25,50" });
    expect(noDestination.body.error).toEqual({ destination: ["Elige adónde enviar la recompensa."] });
    expect((await pledge({ tier: tier.id, amount: "12,5,0" })).body.error.amount).toEqual([
      "Escribe el importe como un número, por ejemplo 25 o 25,50.",
    ]);
    const own = await call(
      pledgeAction,
      post(
        `/projects/${campaign.slug}/pledge`,
        { tier: tier.id, amount: "30", destination: "EU" },
        `${await sessionCookie(creator.id)}; colecta_lang=es`,
      ),
      { slug: campaign.slug },
    );
    expect((await own.json()).error[""]).toEqual(["No puedes apoyar tu propio proyecto."]);

    // English readers keep their words, and their comma still groups thousands.
    const english = await pledge({ tier: tier.id, amount: "24.99", destination: "EU" }, "colecta_lang=en");
    expect(english.body.error.amount).toEqual(['"Farol" needs a pledge of at least €25.00.']);
    expect((await pledge({ tier: tier.id, amount: "" }, "colecta_lang=en")).body.error.amount).toEqual([
      "Enter your pledge amount.",
    ]);
  });
});
