import { createCookie } from "@remix-run/node";
import { generate } from "otplib";
import { getConfig, resolveSessionSecret } from "~/config.server";
import { createUser } from "~/models/user.server";
import { action as statementAction } from "~/routes/finance.campaigns.$id._index/route";
import { loader as financeLoader } from "~/routes/finance._index";
import { action as loginAction } from "~/routes/login";
import { action as secondStepAction, loader as secondStepLoader } from "~/routes/login_.two-factor";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings.two-factor";
import { preparePayout } from "~/services/finance/payouts.server";
import { refundPledge } from "~/services/finance/refunds.server";
import { hashPassword } from "~/services/accounts/password.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { call, cookieOf, get, post, sessionCookie } from "../support/routes";
import { useTestEmulator } from "../support/stripe";
import { codeAt, enrolTwoFactor, nextCode, TEST_TOTP_SECRET } from "../support/two-factor";

const database = useTestDatabase();
const { stripe } = await useTestEmulator({ asAppClient: true });
const db = () => database().db;
const PASSWORD = "correct horse battery";
let passwordHash: string;
let seq = 0;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});
// Each test starts with no attempts counted (they all come from the same test address).
beforeEach(async () => {
  await db().deleteFrom("rate_limits").execute();
});

async function makeUser({ enrolled = false } = {}) {
  const user = await createUser(db(), {
    email: `user-${seq++}-${Date.now()}@example.com`,
    name: "Tess Two",
    passwordHash,
  });
  if (enrolled) await enrolTwoFactor(db(), user.id);
  return user;
}

/** A six-digit code that is not the right one now, nor one step either side. */
async function wrongCode(secret = TEST_TOTP_SECRET) {
  const near = await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(Date.now() + d, secret)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!near.includes(candidate)) return candidate;
  }
}

/** Signs in with the password; returns the second step's cookie. */
async function passwordStep(email: string, redirectTo = "/me/pledges") {
  const res = await call(loginAction, post("/login", { email, password: PASSWORD, redirectTo }));
  expect(res.status).toBe(302);
  expect(res.headers.get("Location")).toBe("/login/two-factor");
  const pending = cookieOf(res);
  expect(pending).toMatch(/^__colecta_2fa=/);
  return pending;
}

async function verifiedAt(cookie: string) {
  const rows = await db().selectFrom("sessions").select(["two_factor_verified_at", "user_id"]).execute();
  return { rows, cookie };
}

describe("enrolment at /settings/two-factor", () => {
  it("shows a QR code and the secret, confirms with the app's code, and shows ten recovery codes once", async () => {
    const user = await makeUser();
    const cookie = await sessionCookie(user.id);
    const page = await (await call(settingsLoader, get("/settings/two-factor", cookie))).json();
    expect(page.enrolled).toBe(false);
    expect(page.enrolment.qrSvg).toMatch(/^<svg/);
    expect(page.enrolment.secret).toMatch(/^[A-Z2-7]{16,}$/);
    // A reload shows the same secret: what the app scanned still matches.
    expect((await (await call(settingsLoader, get("/settings/two-factor", cookie))).json()).enrolment.secret).toBe(
      page.enrolment.secret,
    );
    const stored = await db()
      .selectFrom("user_two_factor")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_encrypted).not.toContain(page.enrolment.secret);
    expect(stored.confirmed_at).toBeNull();

    const code = await generate({ secret: page.enrolment.secret });
    const res = await call(settingsAction, post("/settings/two-factor", { intent: "confirm", code }, cookie));
    expect(res.status).toBe(200);
    const { recoveryCodes } = await res.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const hashes = await db()
      .selectFrom("two_factor_recovery_codes")
      .select("code_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.code_hash)).not.toContain(recoveryCodes[0]);

    const after = await (await call(settingsLoader, get("/settings/two-factor", cookie))).json();
    expect(after).toMatchObject({ enrolled: true, recoveryCodesLeft: 10, enrolment: null });
    expect(JSON.stringify(after)).not.toContain(recoveryCodes[0]);
  });

  it("refuses a wrong code, a code from an expired step and a malformed one at the field, enrolling nothing", async () => {
    const user = await makeUser();
    const cookie = await sessionCookie(user.id);
    const { enrolment } = await (await call(settingsLoader, get("/settings/two-factor", cookie))).json();
    const expired = await codeAt(Date.now() - 5 * 60_000, enrolment.secret);
    for (const code of [await wrongCode(enrolment.secret), expired, "12345", "abcdef", ""]) {
      const res = await call(settingsAction, post("/settings/two-factor", { intent: "confirm", code }, cookie));
      expect(res.status, code).toBe(400);
      expect((await res.json()).error.code[0]).toMatch(/not right|six digits|Enter the six-digit/);
    }
    expect((await (await call(settingsLoader, get("/settings/two-factor", cookie))).json()).enrolled).toBe(false);
    const unknown = await call(
      settingsAction,
      post("/settings/two-factor", { intent: "explode", code: "123456" }, cookie),
    );
    expect(unknown.status).toBe(400);
  });

  it("makes new recovery codes for a current code, voiding the old ones", async () => {
    const user = await makeUser({ enrolled: true });
    const cookie = await sessionCookie(user.id);
    const first = await (
      await call(
        settingsAction,
        post("/settings/two-factor", { intent: "regenerate", code: await nextCode(db(), user.id) }, cookie),
      )
    ).json();
    const second = await (
      await call(
        settingsAction,
        post("/settings/two-factor", { intent: "regenerate", code: await nextCode(db(), user.id) }, cookie),
      )
    ).json();
    expect(second.recoveryCodes).toHaveLength(10);
    const pending = await passwordStep(user.email);
    const old = await call(secondStepAction, post("/login/two-factor", { code: first.recoveryCodes[0] }, pending));
    expect(old.status).toBe(400);
    const fresh = await call(secondStepAction, post("/login/two-factor", { code: second.recoveryCodes[0] }, pending));
    expect(fresh.status).toBe(302);
  });

  it("turns off only with a current code, and never for staff", async () => {
    const user = await makeUser({ enrolled: true });
    const cookie = await sessionCookie(user.id);
    const wrong = await call(
      settingsAction,
      post("/settings/two-factor", { intent: "disable", code: await wrongCode() }, cookie),
    );
    expect(wrong.status).toBe(400);
    const ok = await call(
      settingsAction,
      post("/settings/two-factor", { intent: "disable", code: await nextCode(db(), user.id) }, cookie),
    );
    expect(ok.status).toBe(200);
    expect(await db().selectFrom("user_two_factor").select("user_id").where("user_id", "=", user.id).execute()).toEqual(
      [],
    );

    const staff = await makeFinanceUser(db());
    const staffCookie = await sessionCookie(staff.id);
    const refused = await call(
      settingsAction,
      post("/settings/two-factor", { intent: "disable", code: await nextCode(db(), staff.id) }, staffCookie),
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).error[""][0]).toMatch(/must keep two-factor/);
    expect(
      await db().selectFrom("user_two_factor").select("user_id").where("user_id", "=", staff.id).execute(),
    ).toHaveLength(1);
  });
});

describe("signing in with a second factor", () => {
  it("opens no session after the password alone; the right code opens one marked as verified", async () => {
    const user = await makeUser({ enrolled: true });
    const pending = await passwordStep(user.email);
    expect(await db().selectFrom("sessions").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await (await call(secondStepLoader, get("/login/two-factor", pending))).json()).toEqual({ mode: "sign-in" });

    const res = await call(
      secondStepAction,
      post("/login/two-factor", { code: await nextCode(db(), user.id) }, pending),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/me/pledges");
    expect(cookieOf(res)).toMatch(/^__colecta_session=/);
    const { rows } = await verifiedAt(cookieOf(res));
    expect(rows.filter((r) => r.user_id === user.id)).toEqual([
      { user_id: user.id, two_factor_verified_at: expect.any(Date) },
    ]);
    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "detail"])
      .where("actor_id", "=", user.id)
      .execute();
    expect(audit).toContainEqual({ action: "two_factor.passed", detail: { method: "totp" } });
  });

  it("refuses a wrong code and a code already used, at the field, opening no session", async () => {
    const user = await makeUser({ enrolled: true });
    const code = await nextCode(db(), user.id);
    const first = await call(secondStepAction, post("/login/two-factor", { code }, await passwordStep(user.email)));
    expect(first.status).toBe(302);

    const pending = await passwordStep(user.email);
    for (const typed of [code, await wrongCode(), "not a code"]) {
      const res = await call(secondStepAction, post("/login/two-factor", { code: typed }, pending));
      expect(res.status, typed).toBe(400);
      const body = await res.json();
      expect(body.error.code[0]).toMatch(/not right|already|six-digit code, or a recovery code/);
      expect(JSON.stringify(body.initialValue ?? {})).not.toContain(typed);
    }
    expect(await db().selectFrom("sessions").select("user_id").where("user_id", "=", user.id).execute()).toHaveLength(
      1,
    );
  });

  it("stops after five wrong codes with 429 and Retry-After, even for the right code", async () => {
    const user = await makeUser({ enrolled: true });
    const pending = await passwordStep(user.email);
    const wrong = await wrongCode();
    for (let i = 0; i < 5; i++)
      expect((await call(secondStepAction, post("/login/two-factor", { code: wrong }, pending))).status).toBe(400);
    const limited = await call(
      secondStepAction,
      post("/login/two-factor", { code: await nextCode(db(), user.id) }, pending),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await limited.json()).error[""][0]).toMatch(/Too many codes/);
    const failed = await db()
      .selectFrom("audit_log")
      .select("action")
      .where("actor_id", "=", user.id)
      .where("action", "=", "two_factor.failed")
      .execute();
    expect(failed).toHaveLength(6);
  });

  it("limits one address trying codes for many accounts", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => makeUser({ enrolled: true })));
    const wrong = await wrongCode();
    const opts = { clientIp: "198.51.100.23" };
    let last: Response | undefined;
    for (const user of users) {
      const pending = await passwordStep(user.email);
      for (let i = 0; i < 4; i++)
        last = await call(secondStepAction, post("/login/two-factor", { code: wrong }, pending), {}, opts);
    }
    expect(last!.status).toBe(400);
    const pending = await passwordStep(users[0]!.email);
    const res = await call(secondStepAction, post("/login/two-factor", { code: wrong }, pending), {}, opts);
    expect(res.status).toBe(429);
  });

  it("accepts each recovery code once", async () => {
    const user = await makeUser();
    const cookie = await sessionCookie(user.id);
    const { enrolment } = await (await call(settingsLoader, get("/settings/two-factor", cookie))).json();
    const { recoveryCodes } = await (
      await call(
        settingsAction,
        post("/settings/two-factor", { intent: "confirm", code: await generate({ secret: enrolment.secret }) }, cookie),
      )
    ).json();
    const used = await call(
      secondStepAction,
      post("/login/two-factor", { code: ` ${recoveryCodes[3].toUpperCase()} ` }, await passwordStep(user.email)),
    );
    expect(used.status).toBe(302);
    const again = await call(
      secondStepAction,
      post("/login/two-factor", { code: recoveryCodes[3] }, await passwordStep(user.email)),
    );
    expect(again.status).toBe(400);
    expect((await (await call(settingsLoader, get("/settings/two-factor", cookie))).json()).recoveryCodesLeft).toBe(9);
  });

  it("refuses a forged, tampered or expired second-step state, opening no session", async () => {
    const user = await makeUser({ enrolled: true });
    const secret = resolveSessionSecret(getConfig());
    const forge = (secrets: string[], value: unknown) =>
      createCookie("__colecta_2fa", { secrets })
        .serialize(value)
        .then((c) => c.split(";")[0]!);
    const genuine = await passwordStep(user.email);
    const [name, value] = genuine.split("=");
    const tampered = `${name}=${value!.slice(0, -4)}AAAA`;
    const forged = [
      await forge(["not-the-secret-not-the-secret-0000"], { u: user.id, r: "/", e: Date.now() + 60_000 }),
      await forge([secret], { u: user.id, r: "/", e: Date.now() - 1 }),
      await forge([secret], { u: user.id, r: "/" }),
      `__colecta_2fa=${Buffer.from(JSON.stringify({ u: user.id, r: "/", e: Date.now() + 60_000 })).toString("base64")}`,
      tampered,
    ];
    for (const cookie of forged) {
      expect(await (await call(secondStepLoader, get("/login/two-factor", cookie))).json()).toEqual({
        mode: "expired",
      });
      const res = await call(
        secondStepAction,
        post("/login/two-factor", { code: await nextCode(db(), user.id) }, cookie),
      );
      expect(res.status).toBe(400);
      expect((await res.json()).error[""][0]).toMatch(/waited too long/);
    }
    expect(await db().selectFrom("sessions").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("signs a user without two-factor straight in, as before", async () => {
    const user = await makeUser();
    const res = await call(loginAction, post("/login", { email: user.email, password: PASSWORD, redirectTo: "/" }));
    expect(res.status).toBe(302);
    expect(cookieOf(res)).toMatch(/^__colecta_session=/);
  });
});

describe("staff and money", () => {
  it("sends staff without a second factor to enrolment, with the reason, and back afterwards", async () => {
    const staff = await makeFinanceUser(db(), { twoFactor: false });
    const cookie = await sessionCookie(staff.id, { twoFactor: false });
    const res = await call(financeLoader, get("/finance?tab=settling", cookie));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(
      `/settings/two-factor?required=1&redirectTo=${encodeURIComponent("/finance?tab=settling")}`,
    );

    // Enrolling marks this session as verified: the desk opens.
    const { enrolment } = await (await call(settingsLoader, get("/settings/two-factor", cookie))).json();
    const confirmed = await call(
      settingsAction,
      post("/settings/two-factor", { intent: "confirm", code: await generate({ secret: enrolment.secret }) }, cookie),
    );
    expect(confirmed.status).toBe(200);
    expect((await call(financeLoader, get("/finance", cookie))).status).toBe(200);
  });

  it("sends a staff session that did not pass the second factor back through it", async () => {
    const staff = await makeFinanceUser(db());
    const cookie = await sessionCookie(staff.id, { twoFactor: false });
    const res = await call(financeLoader, get("/finance", cookie));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login/two-factor?redirectTo=%2Ffinance");
    expect(await (await call(secondStepLoader, get("/login/two-factor", cookie))).json()).toEqual({ mode: "step-up" });
    const wrong = await call(
      secondStepAction,
      post("/login/two-factor", { code: await wrongCode(), redirectTo: "/finance" }, cookie),
    );
    expect(wrong.status).toBe(400);
    expect((await call(financeLoader, get("/finance", cookie))).status).toBe(302);
    const passed = await call(
      secondStepAction,
      post("/login/two-factor", { code: await nextCode(db(), staff.id), redirectTo: "/finance" }, cookie),
    );
    expect(passed.status).toBe(302);
    expect(passed.headers.get("Location")).toBe("/finance");
    expect((await call(financeLoader, get("/finance", cookie))).status).toBe(200);
  });

  it("refuses money actions to staff without a second factor, even called directly", async () => {
    const staff = await makeFinanceUser(db(), { twoFactor: false });
    const c = await makeSettledCampaign(db(), stripe, { amounts: [3_000] });
    const refund = await refundPledge(db(), stripe, {
      pledgeId: c.pledges[0]!.id,
      actorId: staff.id,
      amount: 1_000,
      reason: "Test",
      requestKey: crypto.randomUUID(),
    });
    expect(refund).toMatchObject({ ok: false, status: 403 });
    const prepared = await preparePayout(db(), {
      campaignId: c.campaignId,
      actorId: staff.id,
      reason: "Ready",
      platformFeeBps: 500,
    });
    expect(prepared).toMatchObject({ ok: false, status: 403 });
    expect(await db().selectFrom("refunds").select("id").execute()).toEqual([]);
    expect(await db().selectFrom("payouts").select("id").where("campaign_id", "=", c.campaignId).execute()).toEqual([]);
  });

  it("approves a payout only with a fresh code: wrong, reused or missing codes approve nothing", async () => {
    const preparer = await makeFinanceUser(db());
    const approver = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [4_000] });
    const prep = await call(
      statementAction,
      post(
        `/finance/campaigns/${c.campaignId}`,
        { intent: "prepare-payout", reason: "Ready" },
        await sessionCookie(preparer.id),
      ),
      { id: c.campaignId },
    );
    expect(prep.status).toBe(200);
    const cookie = await sessionCookie(approver.id);
    // The approver signed in a moment ago with this code: it cannot approve anything now.
    const used = await nextCode(db(), approver.id);
    const pending = await passwordStepFor(approver.id);
    expect((await call(secondStepAction, post("/login/two-factor", { code: used }, pending))).status).toBe(302);
    const approve = (code: string | undefined) =>
      call(
        statementAction,
        post(
          `/finance/campaigns/${c.campaignId}`,
          { intent: "approve-payout", reason: "Checked", ...(code === undefined ? {} : { code }) },
          cookie,
        ),
        { id: c.campaignId },
      );
    for (const code of [await wrongCode(), used, undefined, "12 34"]) {
      const res = await approve(code);
      expect(res.status, String(code)).toBe(400);
      const body = await res.json();
      expect(body.error.code[0]).toMatch(/not right|six digits|Enter the six-digit/);
      expect(body.initialValue.reason).toBe("Checked");
    }
    const payout = await db()
      .selectFrom("payouts")
      .select(["status", "approved_by"])
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    expect(payout).toEqual({ status: "prepared", approved_by: null });
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(0);

    const fresh = await approve(await nextCode(db(), approver.id));
    expect(fresh.status).toBe(200);
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(1);
  });
});

/** The password step for a user made by makeFinanceUser (its password hash is a placeholder). */
async function passwordStepFor(userId: string) {
  await db().updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
  const { email } = await db().selectFrom("users").select("email").where("id", "=", userId).executeTakeFirstOrThrow();
  return passwordStep(email, "/finance");
}
