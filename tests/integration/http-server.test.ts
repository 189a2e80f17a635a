import { getNotificationPreferences } from "~/models/notification-preferences.server";
import { unsubscribeToken } from "~/services/email/unsubscribe.server";
import { useTestDatabase } from "../support/database";
import { useHttpApp } from "../support/http-app";
import { makeUser } from "../support/fixtures";

const database = useTestDatabase();
const app = useHttpApp();

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("the HTTP server", () => {
  it("refuses a cross-site form post before it reaches the route", async () => {
    const res = await fetch(`${app()}/signup`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ name: "Eve", email: "eve@example.com", password: "long enough pw" }),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(await database().db.selectFrom("users").select("id").execute()).toHaveLength(0);
  });

  it("accepts the same form from the site itself", async () => {
    const res = await fetch(`${app()}/signup`, {
      method: "POST",
      headers: { Origin: app(), "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ name: "Sam", email: "sam@example.com", password: "long enough pw" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
  });

  it("lets a mail provider's one-click unsubscribe POST through without Origin or cookies, and nothing else", async () => {
    const user = await makeUser(database().db);
    const token = unsubscribeToken(user.id, "updates");
    const oneClick = await fetch(`${app()}/unsubscribe/${token}/one-click`, {
      method: "POST",
      headers: { Origin: "https://mail.provider.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect((await getNotificationPreferences(database().db, user.id)).updates).toBe(false);
    const elsewhere = await fetch(`${app()}/unsubscribe/${token}`, {
      method: "POST",
      headers: { Origin: "https://mail.provider.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(elsewhere.status).toBe(403);
  });

  it("answers an unknown page with the 404 page", async () => {
    const res = await fetch(`${app()}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("We couldn&#x27;t find that page");
  });

  it("renders the sign-in page in Spanish for a Spanish browser, <html lang> included", async () => {
    const res = await fetch(`${app()}/login`, { headers: { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<html lang="es"/);
    for (const text of ["<title>Entrar · Colecta</title>", "Saltar al contenido", "Correo electrónico", "Contraseña"])
      expect(html).toContain(text);
    expect(html).not.toContain("Skip to content");
  });

  it("switches language with a plain form post, no JavaScript needed", async () => {
    const res = await fetch(`${app()}/locale`, {
      method: "POST",
      headers: { Origin: app(), "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ locale: "es", redirectTo: "/no/such/page" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/no/such/page");
    const cookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
    const page = await fetch(`${app()}/no/such/page`, { headers: { Cookie: cookie, "Accept-Language": "en" } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toMatch(/<html lang="es"/);
    expect(html).toContain("No hemos encontrado esa página");
  });

  it("refuses an oversized body with 413", async () => {
    const res = await fetch(`${app()}/login`, {
      method: "POST",
      headers: { Origin: app(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=" + "a".repeat(13 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
  });

  it("serves fingerprinted assets with a long cache lifetime and pages with security headers", async () => {
    const page = await fetch(`${app()}/login`);
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    const asset = (await page.text()).match(/\/build\/[^"]+\.js/)![0];
    const res = await fetch(`${app()}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toContain("immutable");
  });

  it("lets a page rendered for one request run only the scripts it wrote: each carries the header's nonce, new on every page", async () => {
    // (A public page served to many names its scripts by hash instead: tests/integration/page-cache.test.ts.)
    const policies: string[] = [];
    for (const path of ["/login", "/signup", "/no/such/page"]) {
      const res = await fetch(`${app()}${path}`);
      const policy = res.headers.get("Content-Security-Policy")!;
      const nonce = policy.match(/'nonce-([^']+)'/)![1]!;
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const scripts = (await res.text()).match(/<script\b[^>]*>/g)!;
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      policies.push(nonce);
    }
    expect(new Set(policies).size).toBe(policies.length);
    // Served over plain http here: no HSTS, or a local site would lock itself out of the browser.
    expect((await fetch(`${app()}/login`)).headers.get("Strict-Transport-Security")).toBeNull();
  });

  it("health check answers 200, then 503 when the database is down", async () => {
    const up = await fetch(`${app()}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, db: database().kind });
    await database().close();
    const down = await fetch(`${app()}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false });
  });
});
