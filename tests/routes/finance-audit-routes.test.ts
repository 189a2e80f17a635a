import { randomUUID } from "node:crypto";
import { recordAudit } from "~/models/audit.server";
import { loader as auditLoader } from "~/routes/finance.audit";
import { loader as csvLoader } from "~/routes/finance.audit[.]csv";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { call, get, sessionCookie } from "../support/routes";

const database = useTestDatabase();
const db = () => database().db;

let fiona: { id: string; name: string; email: string };
let sam: { id: string; name: string; email: string };
let backer: { id: string; name: string; email: string };
let cookie: string;
const pledgeId = randomUUID();
const campaignId = randomUUID();

type Row = {
  id: number;
  at: string;
  action: string;
  actionLabel: string;
  actor: { kind: string; id?: string; name?: string; email?: string };
  subject: { type: string; id: string | null; href: string | null } | null;
  reason: string | null;
  detail: [string, string][];
  ip: string | null;
};

async function page(query = "", c = cookie) {
  const res = await call(auditLoader, get(`/finance/audit${query}`, c));
  return { status: res.status, body: await res.json() };
}
async function csv(query = "", c = cookie) {
  const res = await call(csvLoader, get(`/finance/audit.csv${query}`, c));
  return { status: res.status, res, text: await res.text() };
}
const ids = (rows: Row[]) => rows.map((r) => r.id);
const csvIds = (text: string) =>
  text
    .trimEnd()
    .split("\r\n")
    .slice(1)
    .map((line) => Number(line.split(",")[0]));

beforeAll(async () => {
  fiona = await makeFinanceUser(db(), { name: "Fiona Finance", email: "fiona@finance.test" });
  sam = await makeFinanceUser(db(), { name: "Sam Second", email: "sam@finance.test" });
  backer = await makeUser(db(), "Bea Backer");
  cookie = await sessionCookie(fiona.id);
  const at = (iso: string) => new Date(iso);
  // Rows as the site writes them, dated by hand (the log only ever appends).
  const rows = [
    {
      at: at("2026-10-31T23:59:00Z"),
      actor_id: backer.id,
      action: "user.login",
      subject_type: "user",
      subject_id: backer.id,
      ip: "198.51.100.1",
    },
    {
      at: at("2026-11-01T00:00:00Z"),
      actor_id: null,
      action: "user.login_failed",
      subject_type: "email",
      subject_id: backer.email,
      ip: "198.51.100.2",
    },
    {
      at: at("2026-11-15T10:00:00Z"),
      actor_id: fiona.id,
      action: "pledge.refunded",
      subject_type: "pledge",
      subject_id: pledgeId,
      reason: `=HYPERLINK("x") asked by ${backer.email}`,
      detail: JSON.stringify({
        refund_id: "r1",
        amount: 500,
        currency: "usd",
        backerEmail: backer.email,
        shipping: { address: "1 Main St", city: "Springfield" },
        note: `write to ${backer.email}`,
      }),
      ip: "203.0.113.9",
    },
    {
      at: at("2026-11-30T23:59:59Z"),
      actor_id: sam.id,
      action: "payout.approved",
      subject_type: "campaign",
      subject_id: campaignId,
      reason: "Checked",
      detail: JSON.stringify({ payout_id: "p1", amount: 9000 }),
    },
    {
      at: at("2026-12-01T00:00:00Z"),
      actor_id: null,
      action: "role.granted",
      subject_type: "user",
      subject_id: sam.id,
      detail: JSON.stringify({ role: "finance", via: "cli" }),
    },
    {
      at: at("2026-12-02T08:00:00Z"),
      actor_id: backer.id,
      action: "some.future_action",
      subject_type: "widget",
      subject_id: "w1",
    },
  ];
  for (const r of rows) await db().insertInto("audit_log").values(r).execute();
  await recordAudit(db(), {
    actorId: backer.id,
    action: "user.profile_updated",
    subjectType: "user",
    subjectId: backer.id,
    ip: "198.51.100.1",
  });
});

describe("the audit log page", () => {
  it("answers 404 to a backer and sends a visitor to sign in", async () => {
    const backerCookie = await sessionCookie(backer.id);
    expect((await call(auditLoader, get("/finance/audit", backerCookie))).status).toBe(404);
    expect((await call(csvLoader, get("/finance/audit.csv", backerCookie))).status).toBe(404);
    const anonymous = await call(auditLoader, get("/finance/audit"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("shows every row newest first: staff by name and email, others by account, words for known actions", async () => {
    const { status, body } = await page();
    expect(status).toBe(200);
    const rows = body.rows as Row[];
    const all = await db().selectFrom("audit_log").select("id").orderBy("id", "desc").execute();
    expect(ids(rows)).toEqual(all.map((r) => Number(r.id)));
    const refund = rows.find((r) => r.action === "pledge.refunded")!;
    expect(refund).toMatchObject({
      actionLabel: "Pledge refunded",
      actor: { kind: "staff", name: "Fiona Finance", email: "fiona@finance.test" },
      subject: { type: "pledge", id: pledgeId, href: `/finance/pledges/${pledgeId}` },
      ip: "203.0.113.9",
    });
    expect(refund.detail).toEqual(
      expect.arrayContaining([
        ["refund_id", "r1"],
        ["amount", "500"],
        ["backerEmail", "[hidden]"],
        ["shipping.address", "[hidden]"],
        ["shipping.city", "[hidden]"],
        ["note", "write to [hidden]"],
      ]),
    );
    expect(refund.reason).toBe('=HYPERLINK("x") asked by [hidden]');
    expect(rows.find((r) => r.action === "payout.approved")!.subject).toMatchObject({
      href: `/finance/campaigns/${campaignId}`,
    });
    expect(rows.find((r) => r.action === "user.login")!.actor).toEqual({ kind: "account", id: backer.id });
    expect(rows.find((r) => r.action === "role.granted")!.actor).toEqual({ kind: "system" });
    // An action the desk has no words for shows as written.
    expect(rows.find((r) => r.action === "some.future_action")!.actionLabel).toBe("some.future_action");
    expect(body.choices.actions).toContainEqual({ value: "some.future_action", label: "some.future_action" });
    expect(body.choices.actions).toContainEqual({ value: "payout.approved", label: "Payout approved" });
  });

  it("never shows a backer's email, name or address, on the page or in the CSV", async () => {
    const { body } = await page();
    const { text } = await csv();
    for (const shown of [JSON.stringify(body), text]) {
      expect(shown).not.toContain(backer.email);
      expect(shown).not.toContain("Bea Backer");
      expect(shown).not.toContain("1 Main St");
      expect(shown).not.toContain("Springfield");
    }
    // A failed sign-in's subject is the address typed: hidden too.
    expect((body.rows as Row[]).find((r) => r.action === "user.login_failed")!.subject).toMatchObject({
      type: "email",
      id: "[hidden]",
      href: null,
    });
  });

  it("narrows by person: a staff name, any account's full email or id, or the system", async () => {
    const bySam = (await page("?person=sam")).body.rows as Row[];
    expect(bySam.map((r) => r.action)).toEqual(["payout.approved"]);
    const byFionaEmail = (await page("?person=FIONA@finance.test")).body.rows as Row[];
    expect(byFionaEmail.every((r) => r.actor.id === fiona.id)).toBe(true);
    expect(byFionaEmail.map((r) => r.action)).toContain("pledge.refunded");
    const byBackerEmail = (await page(`?person=${encodeURIComponent(backer.email)}`)).body.rows as Row[];
    expect(byBackerEmail.map((r) => r.action).sort()).toEqual([
      "some.future_action",
      "user.login",
      "user.profile_updated",
    ]);
    const byBackerId = (await page(`?person=${backer.id}`)).body.rows as Row[];
    expect(ids(byBackerId)).toEqual(ids(byBackerEmail));
    // Part of a backer's name finds nothing: only staff are searched by letters.
    expect((await page("?person=Bea")).body.rows).toEqual([]);
    const system = (await page("?person=system")).body.rows as Row[];
    expect(system.map((r) => r.action).sort()).toEqual(["role.granted", "user.login_failed"]);
  });

  it("narrows by action, by object and by UTC days (both ends inclusive)", async () => {
    expect(((await page("?action=payout.approved")).body.rows as Row[]).map((r) => r.actor.id)).toEqual([sam.id]);
    const byPledge = (await page(`?type=pledge&id=${pledgeId}`)).body.rows as Row[];
    expect(byPledge.map((r) => r.action)).toEqual(["pledge.refunded"]);
    const byType = (await page("?type=campaign")).body.rows as Row[];
    expect(byType.map((r) => r.action)).toEqual(["payout.approved"]);
    const november = (await page("?from=2026-11-01&to=2026-11-30")).body.rows as Row[];
    expect(november.map((r) => r.action)).toEqual(["payout.approved", "pledge.refunded", "user.login_failed"]);
    const oneDay = (await page("?from=2026-12-01&to=2026-12-01")).body.rows as Row[];
    expect(oneDay.map((r) => r.action)).toEqual(["role.granted"]);
    const combined = (await page("?person=fiona&action=pledge.refunded&from=2026-11-15&to=2026-11-15")).body
      .rows as Row[];
    expect(combined).toHaveLength(1);
  });

  it("exports the same filtered rows as CSV, formula-safe, with ISO timestamps", async () => {
    for (const query of ["", "?from=2026-11-01&to=2026-11-30", "?person=system", `?type=pledge&id=${pledgeId}`]) {
      const shown = ids((await page(query)).body.rows as Row[]);
      const { status, text } = await csv(query);
      expect(status, query).toBe(200);
      expect(csvIds(text), query).toEqual(shown);
    }
    const { res, text } = await csv("?action=pledge.refunded");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="audit-log.csv"');
    const [header, row] = text.split("\r\n");
    expect(header).toBe(
      "id,at_utc,actor_id,actor_name,actor_email,action,action_label,object_type,object_id,reason,detail,ip",
    );
    expect(row).toContain(",2026-11-15T10:00:00.000Z,");
    expect(row).toContain(
      `${fiona.id},Fiona Finance,fiona@finance.test,pledge.refunded,Pledge refunded,pledge,${pledgeId},`,
    );
    // The reason starts with "=": written as text, never as a formula.
    expect(row).toContain(`"'=HYPERLINK(""x"") asked by [hidden]"`);
    expect(row).toContain("backerEmail: [hidden]");
  });

  it("pages by id: newest first, older and newer pages, nothing lost or repeated", async () => {
    const subject = randomUUID();
    for (let i = 0; i < 57; i++) {
      await recordAudit(db(), {
        actorId: sam.id,
        action: "email.retry",
        subjectType: "email_outbox",
        subjectId: subject,
        detail: { i },
      });
    }
    const first = (await page("?action=email.retry")).body;
    expect(first.rows).toHaveLength(50);
    expect(first.newer).toBeNull();
    expect(first.older).toMatch(/^\?action=email\.retry&before=\d+$/);
    const second = (await page(first.older)).body;
    expect(second.rows).toHaveLength(7);
    expect(second.older).toBeNull();
    expect(second.newer).toMatch(/after=\d+/);
    const all = [...ids(first.rows), ...ids(second.rows)];
    expect(new Set(all).size).toBe(57);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const back = (await page(second.newer)).body;
    expect(ids(back.rows)).toEqual(ids(first.rows));
    expect(back.newer).toBeNull();
    // The CSV carries every page.
    expect(csvIds((await csv("?action=email.retry")).text)).toEqual(all);
  });

  it.each([
    ["?from=2026-02-30", "from", "Enter a day as YYYY-MM-DD (for example 2026-11-30)."],
    ["?to=yesterday", "to", "Enter a day as YYYY-MM-DD (for example 2026-11-30)."],
    ["?from=2026-12-02&to=2026-12-01", "to", "The end day must be on or after the start day."],
    ["?action=pledge.exploded", "action", "Choose an action from the list."],
    ["?type=spaceship", "type", "Choose an object type from the list."],
    ["?id=abc", "type", "Choose the object's type for an id."],
    ["?before=-4", "before", "That page link is not valid; start from the newest entries."],
  ])("refuses %s with 400 and a message at the %s field, page and CSV alike", async (query, field, message) => {
    const { status, body } = await page(query);
    expect(status).toBe(400);
    expect(body.reply.error[field]).toEqual([message]);
    expect(body.rows).toEqual([]);
    const file = await csv(query);
    expect(file.status).toBe(400);
    expect(file.text).toContain(message);
  });

  it("words the log in Spanish", async () => {
    const { body } = await page("?action=payout.approved", `${cookie}; colecta_lang=es`);
    expect(body.rows[0].actionLabel).toBe("Pago aprobado");
    const bad = await page("?from=2026-02-30", `${cookie}; colecta_lang=es`);
    expect(bad.body.reply.error.from).toEqual(["Escribe el día como AAAA-MM-DD (por ejemplo 2026-11-30)."]);
  });
});
