import { getSessionUserId, createSession, listUserSessions, hashSessionToken } from "~/models/session.server";
import { hashAccountToken } from "~/models/account-token.server";
import { getUserById } from "~/models/user.server";
import { attemptLogin, signUp } from "~/services/accounts/accounts.server";
import { deleteAccount } from "~/services/accounts/deletion.server";
import { requestPasswordReset, resetPassword, RESET_LIMITS } from "~/services/accounts/recovery.server";
import {
  changePassword,
  confirmEmailChange,
  requestEmailChange,
  signOutOtherSessions,
  signOutSession,
} from "~/services/accounts/settings.server";
import { resendVerification, RESEND_LIMIT, verifyEmail } from "~/services/accounts/verification.server";
import { launchCampaign } from "~/models/campaign-lifecycle.server";
import type { Db } from "../../db/schema";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";

const database = useTestDatabase({ APP_URL: "https://colecta.test" });
const db = () => database().db as Db;

let n = 0;
async function newAccount(password = "the old password") {
  const email = `acct-${Date.now()}-${n++}@example.com`;
  const outcome = await signUp(db(), { email, name: "Alex", password, ip: `10.9.${n}.1` });
  if (!outcome.ok) throw new Error("sign-up failed");
  return { userId: outcome.userId, email };
}

/** The token in the newest email of a kind to an address (what the recipient clicks). */
async function tokenFrom(toEmail: string, kind: string) {
  const row = await db()
    .selectFrom("email_outbox")
    .select(["body_text", "subject"])
    .where("to_email", "=", toEmail)
    .where("kind", "=", kind)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const match = row.body_text.match(/https:\/\/colecta\.test\/[\w-]+\?token=([\w-]+)/);
  if (!match) throw new Error(`no link in ${kind} email`);
  return match[1]!;
}

async function audits(action: string) {
  return db().selectFrom("audit_log").selectAll().where("action", "=", action).execute();
}

async function expire(token: string) {
  await db()
    .updateTable("account_tokens")
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where("token_hash", "=", hashAccountToken(token))
    .execute();
}

describe("password reset", () => {
  it("emails a one-hour link that sets the password, revokes every session and is single use", async () => {
    const { userId, email } = await newAccount();
    const other = await createSession(db(), { userId, ip: "1.1.1.1", userAgent: "Firefox" });
    expect(await requestPasswordReset(db(), { email: email.toUpperCase(), ip: "10.1.0.1", floorMs: 0 })).toEqual({
      ok: true,
    });
    const token = await tokenFrom(email, "account.reset_password");
    expect(token).toHaveLength(43); // 32 random bytes, base64url
    const stored = await db()
      .selectFrom("account_tokens")
      .selectAll()
      .where("purpose", "=", "reset_password")
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashAccountToken(token));
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeCloseTo(3600_000, -4);

    expect(await resetPassword(db(), { token, password: "a brand new password", ip: "10.1.0.1" })).toEqual({
      ok: true,
      userId,
    });
    expect(await getSessionUserId(db(), other.token)).toBeUndefined();
    expect((await attemptLogin(db(), { email, password: "a brand new password", ip: "10.1.0.2" })).ok).toBe(true);
    expect((await attemptLogin(db(), { email, password: "the old password", ip: "10.1.0.3" })).ok).toBe(false);
    // The click proved the address too.
    expect((await getUserById(db(), userId))!.emailVerified).toBe(true);

    expect(await resetPassword(db(), { token, password: "yet another password", ip: "10.1.0.1" })).toEqual({
      ok: false,
      problem: "used",
    });
    expect((await audits("user.password_reset")).filter((a) => a.actor_id === userId)).toHaveLength(1);
    expect((await audits("account_token.refused")).some((a) => a.reason === "used")).toBe(true);
  });

  it("answers an unknown address exactly as a known one, and emails nobody", async () => {
    const { email } = await newAccount();
    const before = await db().selectFrom("email_outbox").select("id").execute();
    const known = await requestPasswordReset(db(), { email, ip: "10.2.0.1", floorMs: 0 });
    const unknown = await requestPasswordReset(db(), { email: "nobody-here@example.com", ip: "10.2.0.1", floorMs: 0 });
    expect(unknown).toEqual(known);
    const after = await db().selectFrom("email_outbox").select(["id", "to_email"]).execute();
    expect(after.length - before.length).toBe(1);
    expect(after.some((e) => e.to_email === "nobody-here@example.com")).toBe(false);
  });

  it("takes at least the same floor of time either way", async () => {
    const started = Date.now();
    await requestPasswordReset(db(), { email: "nobody-timed@example.com", ip: "10.2.1.1", floorMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("refuses expired and forged links", async () => {
    const { email } = await newAccount();
    await requestPasswordReset(db(), { email, ip: "10.3.0.1", floorMs: 0 });
    const token = await tokenFrom(email, "account.reset_password");
    await expire(token);
    expect(await resetPassword(db(), { token, password: "a brand new password", ip: "10.3.0.1" })).toEqual({
      ok: false,
      problem: "expired",
    });
    expect(
      await resetPassword(db(), { token: "forged".repeat(7), password: "a brand new password", ip: "10.3.0.1" }),
    ).toEqual({ ok: false, problem: "invalid" });
    expect(await resetPassword(db(), { token: "", password: "a brand new password", ip: "10.3.0.1" })).toEqual({
      ok: false,
      problem: "invalid",
    });
  });

  it("an older link dies when a newer one is sent", async () => {
    const { email } = await newAccount();
    await requestPasswordReset(db(), { email, ip: "10.3.1.1", floorMs: 0 });
    const first = await tokenFrom(email, "account.reset_password");
    await requestPasswordReset(db(), { email, ip: "10.3.1.1", floorMs: 0 });
    expect(await resetPassword(db(), { token: first, password: "a brand new password", ip: "10.3.1.1" })).toMatchObject(
      { ok: false },
    );
  });

  it("limits requests per address, known or not, with a wait", async () => {
    for (let i = 0; i < RESET_LIMITS.perAddress.limit; i++)
      expect((await requestPasswordReset(db(), { email: "flood@example.com", ip: `10.4.0.${i}`, floorMs: 0 })).ok).toBe(
        true,
      );
    const limited = await requestPasswordReset(db(), { email: "flood@example.com", ip: "10.4.1.1", floorMs: 0 });
    expect(limited).toMatchObject({ ok: false, status: 429, retryAfterSeconds: expect.any(Number) });
  });

  it("limits requests per IP across addresses", async () => {
    for (let i = 0; i < RESET_LIMITS.perIp.limit; i++)
      await requestPasswordReset(db(), { email: `spray-${i}@example.com`, ip: "10.5.0.1", floorMs: 0 });
    expect(
      await requestPasswordReset(db(), { email: "spray-x@example.com", ip: "10.5.0.1", floorMs: 0 }),
    ).toMatchObject({ status: 429 });
  });
});

describe("email verification", () => {
  it("sign-up sends a link; the click verifies the address once", async () => {
    const { userId, email } = await newAccount();
    expect((await getUserById(db(), userId))!.emailVerified).toBe(false);
    const token = await tokenFrom(email, "account.verify_email");
    expect(await verifyEmail(db(), { token, ip: "10.6.0.1" })).toEqual({ ok: true, userId });
    expect((await getUserById(db(), userId))!.emailVerified).toBe(true);
    expect(await verifyEmail(db(), { token, ip: "10.6.0.1" })).toEqual({ ok: false, problem: "used" });
    expect(await verifyEmail(db(), { token: "x".repeat(43), ip: "10.6.0.1" })).toEqual({
      ok: false,
      problem: "invalid",
    });
  });

  it("refuses an expired link; a resend gives a working one, a few times an hour", async () => {
    const { userId, email } = await newAccount();
    const token = await tokenFrom(email, "account.verify_email");
    await expire(token);
    expect(await verifyEmail(db(), { token, ip: "10.6.1.1" })).toEqual({ ok: false, problem: "expired" });
    for (let i = 0; i < RESEND_LIMIT.limit; i++)
      expect(await resendVerification(db(), { userId, ip: "10.6.1.1" })).toEqual({ ok: true, alreadyVerified: false });
    expect(await resendVerification(db(), { userId, ip: "10.6.1.1" })).toMatchObject({ ok: false, status: 429 });
    const fresh = await tokenFrom(email, "account.verify_email");
    expect(await verifyEmail(db(), { token: fresh, ip: "10.6.1.1" })).toEqual({ ok: true, userId });
  });

  it("an unverified creator cannot launch, and the checklist says why", async () => {
    const creator = await makeUser(db(), "Una Verified", { verified: false });
    const draft = await makeLiveCampaign(db(), { creatorId: creator.id, state: "draft" });
    await db()
      .updateTable("campaigns")
      .set({ duration_days: 30, cover_image_id: null })
      .where("id", "=", draft.id)
      .execute();
    const refused = await launchCampaign(db(), { campaignId: draft.id, actor: { userId: creator.id, staff: false } });
    expect(refused).toMatchObject({ ok: false, status: 400 });
    const items = (refused as { checklist: { key: string; done: boolean }[] }).checklist;
    expect(items.find((i) => i.key === "emailVerified")).toMatchObject({ done: false });
  });
});

describe("email change", () => {
  it("needs the current password, sends the link to the new address and tells the old one", async () => {
    const { userId, email } = await newAccount();
    const newEmail = `moved-${n++}@example.com`;
    expect(
      await requestEmailChange(db(), { userId, newEmail, currentPassword: "not it at all", ip: "10.7.0.1" }),
    ).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { currentPassword: expect.stringMatching(/current password/) },
    });
    expect(
      await requestEmailChange(db(), { userId, newEmail, currentPassword: "the old password", ip: "10.7.0.1" }),
    ).toEqual({ ok: true });
    expect((await getUserById(db(), userId))!.email).toBe(email); // nothing changes before the click
    const token = await tokenFrom(newEmail, "account.change_email");
    expect(await confirmEmailChange(db(), { token, ip: "10.7.0.1" })).toEqual({ ok: true, userId, email: newEmail });
    const user = (await getUserById(db(), userId))!;
    expect(user).toMatchObject({ email: newEmail, emailVerified: true });
    const notice = await db()
      .selectFrom("email_outbox")
      .selectAll()
      .where("kind", "=", "account.email_changed")
      .where("to_email", "=", email)
      .executeTakeFirstOrThrow();
    expect(notice.body_text).toContain(newEmail);
    expect(notice.body_text).toContain("https://colecta.test/forgot-password");
    expect(await confirmEmailChange(db(), { token, ip: "10.7.0.1" })).toEqual({ ok: false, problem: "used" });
  });

  it("refuses an address that belongs to an account, and again at the click when taken meanwhile", async () => {
    const a = await newAccount();
    const b = await newAccount();
    expect(
      await requestEmailChange(db(), {
        userId: a.userId,
        newEmail: b.email,
        currentPassword: "the old password",
        ip: "10.7.1.1",
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { newEmail: expect.stringMatching(/Another account/) },
    });
    const wanted = `wanted-${n++}@example.com`;
    await requestEmailChange(db(), {
      userId: a.userId,
      newEmail: wanted,
      currentPassword: "the old password",
      ip: "10.7.1.1",
    });
    const token = await tokenFrom(wanted, "account.change_email");
    // Someone signs up with the address before the link is clicked.
    await signUp(db(), { email: wanted, name: "Quick", password: "a long passphrase", ip: "10.7.1.2" });
    expect(await confirmEmailChange(db(), { token, ip: "10.7.1.1" })).toEqual({ ok: false, problem: "taken" });
    expect((await getUserById(db(), a.userId))!.email).toBe(a.email);
  });

  it("refuses the link of an address the user changed their mind about", async () => {
    const { userId } = await newAccount();
    const first = `first-${n++}@example.com`;
    const second = `second-${n++}@example.com`;
    await requestEmailChange(db(), { userId, newEmail: first, currentPassword: "the old password", ip: "10.7.2.1" });
    const firstToken = await tokenFrom(first, "account.change_email");
    await requestEmailChange(db(), { userId, newEmail: second, currentPassword: "the old password", ip: "10.7.2.1" });
    expect(await confirmEmailChange(db(), { token: firstToken, ip: "10.7.2.1" })).toEqual({
      ok: false,
      problem: "used",
    });
    expect(
      (await confirmEmailChange(db(), { token: await tokenFrom(second, "account.change_email"), ip: "10.7.2.1" })).ok,
    ).toBe(true);
  });
});

describe("password change and sessions", () => {
  it("refuses a wrong current password; a change keeps this session and revokes the others", async () => {
    const { userId } = await newAccount();
    const here = await createSession(db(), { userId, ip: "1.1.1.1", userAgent: "Chrome" });
    const there = await createSession(db(), { userId, ip: "2.2.2.2", userAgent: "Safari" });
    const keep = hashSessionToken(here.token);
    expect(
      await changePassword(db(), {
        userId,
        currentPassword: "wrong",
        newPassword: "a brand new password",
        keepSessionIdHash: keep,
        ip: "1.1.1.1",
      }),
    ).toMatchObject({ ok: false, fieldErrors: { currentPassword: expect.any(String) } });
    expect(
      await changePassword(db(), {
        userId,
        currentPassword: "the old password",
        newPassword: "a brand new password",
        keepSessionIdHash: keep,
        ip: "1.1.1.1",
      }),
    ).toEqual({ ok: true });
    expect(await getSessionUserId(db(), here.token)).toBe(userId);
    expect(await getSessionUserId(db(), there.token)).toBeUndefined();
    expect(await audits("user.password_changed")).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor_id: userId })]),
    );
  });

  it("signs out one device (only one's own), or every other", async () => {
    const { userId } = await newAccount();
    const stranger = await newAccount();
    const here = await createSession(db(), { userId, ip: "1.1.1.1", userAgent: "Chrome" });
    const a = await createSession(db(), { userId, ip: "2.2.2.2", userAgent: "Safari" });
    const b = await createSession(db(), { userId, ip: "3.3.3.3", userAgent: "Firefox" });
    expect(
      await signOutSession(db(), { userId: stranger.userId, idHash: hashSessionToken(a.token), ip: "9.9.9.9" }),
    ).toMatchObject({ ok: false, status: 404 });
    expect(await signOutSession(db(), { userId, idHash: hashSessionToken(a.token), ip: "1.1.1.1" })).toEqual({
      ok: true,
    });
    expect(await getSessionUserId(db(), a.token)).toBeUndefined();
    expect(await getSessionUserId(db(), b.token)).toBe(userId);
    expect(
      await signOutOtherSessions(db(), { userId, keepSessionIdHash: hashSessionToken(here.token), ip: "1.1.1.1" }),
    ).toBe(1);
    expect((await listUserSessions(db(), { userId })).map((s) => s.idHash)).toEqual([hashSessionToken(here.token)]);
  });
});

describe("account deletion", () => {
  it("is refused while a pledge is still open, with the reason", async () => {
    const { userId } = await newAccount();
    const creator = await makeUser(db());
    const campaign = await makeLiveCampaign(db(), { creatorId: creator.id });
    await db()
      .insertInto("pledges")
      .values({
        campaign_id: campaign.id,
        backer_id: userId,
        tier_id: null,
        currency: "usd",
        base_amount: 2500,
        amount: 2500,
        state: "active",
      })
      .execute();
    const refused = await deleteAccount(db(), { userId, password: "the old password", ip: "10.8.0.1" });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringMatching(/pledge of yours is still open/),
    });
    expect((await getUserById(db(), userId))!.name).toBe("Alex");
  });

  it("is refused for a creator with a live campaign", async () => {
    const { userId } = await newAccount();
    await makeLiveCampaign(db(), { creatorId: userId });
    expect(await deleteAccount(db(), { userId, password: "the old password", ip: "10.8.1.1" })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/campaign of yours is still live/),
    });
  });

  it("needs the password; then anonymises the account, ends its sessions, and it can no longer sign in", async () => {
    const { userId, email } = await newAccount();
    const session = await createSession(db(), { userId, ip: "1.1.1.1", userAgent: "Chrome" });
    expect(await deleteAccount(db(), { userId, password: "nope", ip: "10.8.2.1" })).toMatchObject({
      ok: false,
      fieldErrors: { password: expect.any(String) },
    });
    expect(await deleteAccount(db(), { userId, password: "the old password", ip: "10.8.2.1" })).toEqual({ ok: true });
    const row = await db().selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Deleted user", locale: null, email: `deleted-${userId}@deleted.invalid` });
    expect(row.deleted_at).not.toBeNull();
    expect(row.password_hash).not.toMatch(/^scrypt/);
    expect(await getSessionUserId(db(), session.token)).toBeUndefined();
    expect(
      await db().selectFrom("account_tokens").select("token_hash").where("user_id", "=", userId).execute(),
    ).toHaveLength(0);
    expect((await attemptLogin(db(), { email, password: "the old password", ip: "10.8.2.2" })).ok).toBe(false);
    expect(await audits("user.deleted")).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor_id: userId })]),
    );
    // The address is free again.
    expect((await signUp(db(), { email, name: "New Alex", password: "a long passphrase", ip: "10.8.2.3" })).ok).toBe(
      true,
    );
  });
});
