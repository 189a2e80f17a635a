import { loader as unsubscribeLoader, action as unsubscribeAction } from "~/routes/unsubscribe.$token";
import { action as oneClickAction } from "~/routes/unsubscribe.$token.one-click";
import { loader as notificationsLoader, action as notificationsAction } from "~/routes/settings.notifications";
import { loader as mailboxLoader } from "~/routes/mailbox";
import { loader as mailHtmlLoader } from "~/routes/mailbox.$id.html";
import { loader as staffLoader, action as staffAction } from "~/routes/staff.emails";
import { storeCaughtEmails } from "~/models/caught-email.server";
import { getNotificationPreferences } from "~/models/notification-preferences.server";
import { queueEmails } from "~/models/outbox.server";
import { unsubscribeToken } from "~/services/email/unsubscribe.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { enrolTwoFactor } from "../support/two-factor";
import { call, get, post, sessionCookie } from "../support/routes";

const database = useTestDatabase();

describe("the unsubscribe link", () => {
  it("asks before turning a category off, and refuses a forged or malformed token with 404", async () => {
    const user = await makeUser(database().db);
    const token = unsubscribeToken(user.id, "updates");
    const res = await call(unsubscribeLoader, get(`/unsubscribe/${token}`), { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ category: "updates" });
    for (const bad of [
      `${user.id}.comments.${token.split(".")[2]}`,
      `${user.id}.transactional.${token.split(".")[2]}`,
      "nonsense",
      `${token}x`,
    ]) {
      expect((await call(unsubscribeLoader, get(`/unsubscribe/${bad}`), { token: bad })).status).toBe(404);
      expect((await call(unsubscribeAction, post(`/unsubscribe/${bad}`, {}), { token: bad })).status).toBe(404);
    }
    expect((await getNotificationPreferences(database().db, user.id)).comments).toBe(true);
  });

  it("mutes the category with a one-click POST that has no cookie (RFC 8058)", async () => {
    const user = await makeUser(database().db);
    const token = unsubscribeToken(user.id, "updates");
    const res = await call(
      oneClickAction,
      post(`/unsubscribe/${token}/one-click`, { "List-Unsubscribe": "One-Click" }),
      { token },
      { clientIp: "198.51.100.9" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/text\/plain/);
    expect(await getNotificationPreferences(database().db, user.id)).toEqual({
      updates: false,
      comments: true,
      messages: true,
      reminders: true,
    });
  });

  it("is rate limited per network address, with Retry-After", async () => {
    const user = await makeUser(database().db);
    const token = unsubscribeToken(user.id, "reminders");
    let last: Response | undefined;
    for (let i = 0; i < 61; i++) {
      last = await call(unsubscribeAction, post(`/unsubscribe/${token}`, {}), { token }, { clientIp: "198.51.100.77" });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("notification preferences", () => {
  it("needs a signed-in user", async () => {
    const res = await call(notificationsLoader, get("/settings/notifications"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });

  it("saves the ticked categories and turns the unticked ones off", async () => {
    const user = await makeUser(database().db);
    const cookie = await sessionCookie(user.id);
    const before = await (await call(notificationsLoader, get("/settings/notifications", cookie))).json();
    expect(before.preferences).toEqual({ updates: true, comments: true, messages: true, reminders: true });
    const res = await call(notificationsAction, post("/settings/notifications", { comments: "on" }, cookie));
    expect(res.status).toBe(200);
    expect((await res.json()).saved).toBe(true);
    const after = await (await call(notificationsLoader, get("/settings/notifications", cookie))).json();
    expect(after.preferences).toEqual({ updates: false, comments: true, messages: false, reminders: false });
  });

  it("answers a malformed submission with 400, not 500", async () => {
    const user = await makeUser(database().db);
    const cookie = await sessionCookie(user.id);
    const res = await call(notificationsAction, post("/settings/notifications", { updates: "maybe" }, cookie));
    expect(res.status).toBe(400);
  });
});

describe("the demo mailbox", () => {
  it("shows what the catcher received for the signed-in user only, newest first, and its HTML under a strict policy", async () => {
    const bea = await makeUser(database().db, "Bea");
    const cy = await makeUser(database().db, "Cy");
    const caught = (to: string, subject: string) => ({
      toEmail: to,
      mailFrom: "Colecta <no-reply@localhost>",
      messageId: `<${subject}@test>`,
      subject,
      bodyText: `${subject} text`,
      bodyHtml: `<p>${subject} html</p><script>alert(1)</script>`,
      headers: {},
    });
    await storeCaughtEmails(database().db, [caught(bea.email.toUpperCase(), "first"), caught(cy.email, "other")]);
    await storeCaughtEmails(database().db, [caught(bea.email, "second")]);
    const cookie = await sessionCookie(bea.id);
    const body = await (await call(mailboxLoader, get("/mailbox", cookie))).json();
    expect(body.emails.map((e: { subject: string }) => e.subject)).toEqual(["second", "first"]);

    const id = String(body.emails[0].id);
    const html = await call(mailHtmlLoader, get(`/mailbox/${id}/html`, cookie), { id });
    expect(html.status).toBe(200);
    expect(html.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(await html.text()).toContain("second html");

    const others = await database()
      .db.selectFrom("caught_emails")
      .select("id")
      .where("subject", "=", "other")
      .execute();
    const otherId = String(others[0]!.id);
    expect((await call(mailHtmlLoader, get(`/mailbox/${otherId}/html`, cookie), { id: otherId })).status).toBe(404);
    expect((await call(mailHtmlLoader, get(`/mailbox/x/html`, cookie), { id: "x" })).status).toBe(404);
  });
});

describe("the staff view of failed and stuck emails", () => {
  it("is hidden from non-staff, lists failures with the server's reply, and retries them (audited)", async () => {
    const backer = await makeUser(database().db);
    const staff = await makeUser(database().db, "Fin");
    await database().db.insertInto("user_roles").values({ user_id: staff.id, role: "finance" }).execute();
    // Staff pages need a second factor (and a session that passed it: sessionCookie's default).
    await enrolTwoFactor(database().db, staff.id);
    await queueEmails(database().db, [
      { kind: "funded", toEmail: backer.email, subject: "S", bodyText: "T", locale: "en", dedupeKey: "staff-test" },
    ]);
    const row = await database()
      .db.updateTable("email_outbox")
      .set({ status: "failed", failed_at: new Date(), last_error: "550 5.1.1 mailbox unavailable", attempts: 1 })
      .where("dedupe_key", "=", "staff-test")
      .returning("id")
      .executeTakeFirstOrThrow();

    expect((await call(staffLoader, get("/staff/emails", await sessionCookie(backer.id)))).status).toBe(404);
    const cookie = await sessionCookie(staff.id);
    const list = await (await call(staffLoader, get("/staff/emails", cookie))).json();
    expect(list.emails).toEqual([
      expect.objectContaining({ id: row.id, to: backer.email, failed: true, reply: "550 5.1.1 mailbox unavailable" }),
    ]);

    const res = await call(staffAction, post("/staff/emails", { id: String(row.id) }, cookie));
    expect(res.status).toBe(200);
    const after = await database()
      .db.selectFrom("email_outbox")
      .selectAll()
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: "pending", failed_at: null });
    const audit = await database().db.selectFrom("audit_log").selectAll().where("action", "=", "email.retry").execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: staff.id, subject_id: String(row.id) })]);
    expect((await call(staffAction, post("/staff/emails", { id: "nope" }, cookie))).status).toBe(400);
  });
});
