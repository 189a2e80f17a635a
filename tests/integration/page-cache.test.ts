import crypto from "node:crypto";
import { useTestDatabase } from "../support/database";
import { useHttpApp } from "../support/http-app";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { pledgeThroughCheckout } from "../support/pledges";
import { sessionCookie } from "../support/routes";
import { useTestEmulator } from "../support/stripe";

// What a browser or a shared cache (a CDN, a proxy) may keep: public pages for anonymous
// visitors, validated by ETag; never a page made for someone signed in.

const database = useTestDatabase();
const { stripe } = await useTestEmulator();
const app = useHttpApp();

async function liveCampaign(creatorName = "Casey Creator") {
  const db = database().db;
  const creator = await makeUser(db, creatorName);
  return { creator, campaign: await makeLiveCampaign(db, { creatorId: creator.id, goal: 100_000 }) };
}

const page = (pathname: string, headers: Record<string, string> = {}) => fetch(`${app()}${pathname}`, { headers });
/** The fresh window (PAGE_FRESH_SECONDS, 1 s by default) has passed since the last answer. */
const pastFreshWindow = () => new Promise((r) => setTimeout(r, 1_100));

describe("HTTP caching of the public pages", () => {
  it("lets anyone cache a project page seen anonymously, named by a strong ETag, and answers a current copy with 304", async () => {
    const { campaign } = await liveCampaign();
    const first = await page(`/projects/${campaign.slug}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=10, stale-while-revalidate=60");
    expect(first.headers.get("vary")).toMatch(/Cookie/);
    expect(first.headers.get("vary")).toMatch(/Accept-Language/);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    const body = await first.text();
    expect(body).toContain(campaign.slug);

    const again = await page(`/projects/${campaign.slug}`);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe(body);

    const revalidated = await page(`/projects/${campaign.slug}`, { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    expect(revalidated.headers.get("etag")).toBe(etag);
  });

  it("changes the ETag when a new pledge changes the total, and serves the new total", async () => {
    const { campaign } = await liveCampaign();
    const before = await page(`/projects/${campaign.slug}`);
    const etag = before.headers.get("etag")!;
    expect(await before.text()).toContain("$0");

    const backer = await makeUser(database().db, "Bea Backer");
    await pledgeThroughCheckout(database().db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "432" },
      appUrl: app(),
    });

    await pastFreshWindow();
    const after = await page(`/projects/${campaign.slug}`, { "If-None-Match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.text()).toContain("$432");
  });

  it("answers the same anonymous request again within the fresh window without asking the database, then fresh", async () => {
    const { campaign } = await liveCampaign();
    const first = await page(`/projects/${campaign.slug}`);
    expect(await first.text()).toContain("$0");
    await database()
      .db.updateTable("campaigns")
      .set({ pledged_amount: 77_700 })
      .where("id", "=", campaign.id)
      .execute();
    const within = await page(`/projects/${campaign.slug}`);
    expect(within.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await within.text()).not.toContain("$777");
    await pastFreshWindow();
    const after = await page(`/projects/${campaign.slug}`);
    expect(after.headers.get("etag")).not.toBe(first.headers.get("etag"));
    expect(await after.text()).toContain("$777");
  });

  it("keeps one copy per language: the Spanish page has its own ETag", async () => {
    const { campaign } = await liveCampaign();
    const en = await page(`/projects/${campaign.slug}`, { "Accept-Language": "en" });
    const es = await page(`/projects/${campaign.slug}`, { "Accept-Language": "es" });
    expect(await es.text()).toContain('lang="es"');
    expect(es.headers.get("etag")).not.toBe(en.headers.get("etag"));
  });

  it("never caches a page made for someone signed in, and never hands them the anonymous copy", async () => {
    const { creator, campaign } = await liveCampaign("Quinn Quintero");
    const anonymous = await page(`/projects/${campaign.slug}`);
    const anonymousEtag = anonymous.headers.get("etag")!;
    expect(await anonymous.text()).not.toContain("Sign out");

    const cookie = await sessionCookie(creator.id);
    // Even a browser offering the anonymous copy's ETag gets the page made for it.
    const signedIn = await page(`/projects/${campaign.slug}`, { Cookie: cookie, "If-None-Match": anonymousEtag });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.headers.get("etag")).toBeNull();
    const html = await signedIn.text();
    expect(html).toContain(creator.email);

    // And the page made for them is not served to the next anonymous visitor.
    const next = await page(`/projects/${campaign.slug}`);
    expect(next.headers.get("etag")).toBe(anonymousEtag);
    expect(await next.text()).not.toContain(creator.email);
  });

  it("marks private every page with a form or a person's data: sign-in, settings, a pledge, the creator's desk", async () => {
    const user = await makeUser(database().db);
    const cookie = await sessionCookie(user.id);
    for (const [pathname, headers] of [
      ["/login", {}],
      ["/signup", {}],
      ["/forgot-password", {}],
      ["/settings", { Cookie: cookie }],
      ["/me/pledges", { Cookie: cookie }],
      ["/creator", { Cookie: cookie }],
      ["/", { Cookie: cookie }],
      ["/discover", { Cookie: cookie }],
    ] as const) {
      const res = await page(pathname, headers);
      expect(res.status, pathname).toBe(200);
      expect(res.headers.get("cache-control"), pathname).toBe("private, no-store");
      expect(res.headers.get("etag"), pathname).toBeNull();
    }
  });

  it("does not cache a missing project", async () => {
    const res = await page("/projects/no-such-project");
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("allows a cached page's inline scripts by their hashes and carries no nonce to replay", async () => {
    const res = await page("/discover");
    expect(res.headers.get("cache-control")).toMatch(/^public/);
    const policy = res.headers.get("content-security-policy")!;
    const html = await res.text();
    expect(policy).not.toContain("nonce-");
    expect(html).not.toMatch(/nonce="/);
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/src=/.test(m[1]!));
    expect(inline.length).toBeGreaterThan(0);
    for (const [, , content] of inline) {
      const hash = crypto.createHash("sha256").update(content!).digest("base64");
      expect(policy).toContain(`'sha256-${hash}'`);
    }
    // A page rendered for one request keeps its one-time nonce.
    const login = await page("/login");
    expect(login.headers.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
  });
});
