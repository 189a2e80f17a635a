import { sql } from "kysely";
import { getSessionUserId, createSession, deleteSession } from "~/models/session.server";
import { getUserById, grantRole } from "~/models/user.server";
import { attemptLogin, LOGIN_LIMITS, signUp } from "~/services/accounts/accounts.server";
import { hashPassword, verifyPassword } from "~/services/accounts/password.server";
import { seedDemoData } from "../../scripts/demo/seed";
import { useTestDatabase } from "../support/database";

const database = useTestDatabase();

// One answer for an unknown email and a wrong password alike.
const WRONG_PASSWORD = {
  ok: false,
  status: 400,
  fieldErrors: {},
  formError: "That email and password don't match an account.",
};

describe("accounts", () => {
  it("signs up a user with a hashed password and logs the sign-up in the audit log", async () => {
    const { db } = database();
    const outcome = await signUp(db, {
      email: "Ada@Example.com",
      name: "Ada",
      password: "correct horse battery",
      ip: "10.0.0.1",
    });
    expect(outcome.ok).toBe(true);
    const row = await db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", "ada@example.com")
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(row.password_hash).not.toContain("correct horse");
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "user.signup").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: row.id, ip: "10.0.0.1" });
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const { db } = database();
    await signUp(db, { email: "dup@example.com", name: "One", password: "0123456789", ip: "10.0.0.2" });
    const again = await signUp(db, { email: "DUP@example.com", name: "Two", password: "0123456789", ip: "10.0.0.2" });
    expect(again).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { email: expect.stringMatching(/already exists/) },
    });
  });

  it("signs in with the right password only", async () => {
    const { db } = database();
    await signUp(db, { email: "grace@example.com", name: "Grace", password: "a long passphrase", ip: "10.0.0.3" });
    expect(
      await attemptLogin(db, { email: "grace@example.com", password: "wrong passphrase", ip: "10.0.0.3" }),
    ).toEqual(WRONG_PASSWORD);
    expect(
      await attemptLogin(db, { email: "nobody@example.com", password: "a long passphrase", ip: "10.0.0.3" }),
    ).toEqual(WRONG_PASSWORD);
    const ok = await attemptLogin(db, { email: "GRACE@example.com", password: "a long passphrase", ip: "10.0.0.3" });
    expect(ok.ok).toBe(true);
  });

  it("locks an account after repeated wrong passwords, even against the right one", async () => {
    const { db } = database();
    await signUp(db, { email: "target@example.com", name: "T", password: "the real password", ip: "10.0.1.1" });
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) {
      // Each guess from a different address: the per-account limit is what stops this.
      const r = await attemptLogin(db, { email: "target@example.com", password: `guess ${i}`, ip: `10.0.2.${i}` });
      expect(r).toEqual(WRONG_PASSWORD);
    }
    const blocked = await attemptLogin(db, {
      email: "target@example.com",
      password: "the real password",
      ip: "10.0.3.1",
    });
    expect(blocked).toMatchObject({
      ok: false,
      status: 429,
      formError: expect.stringMatching(/Too many sign-in attempts/),
    });
    expect((blocked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("limits sign-in attempts per IP address across many accounts", async () => {
    const { db } = database();
    const ip = "10.9.9.9";
    const limits = { ...LOGIN_LIMITS, perIp: { limit: 4, windowMs: 60_000 } };
    let last;
    for (let i = 0; i <= limits.perIp.limit; i++) {
      last = await attemptLogin(db, { email: `spray${i}@example.com`, password: "whatever", ip }, limits);
    }
    expect(last).toMatchObject({ ok: false, status: 429 });
    // Another address is unaffected.
    expect(
      await attemptLogin(db, { email: "spray0@example.com", password: "whatever", ip: "10.9.9.10" }, limits),
    ).toEqual(WRONG_PASSWORD);
  });

  it("sessions are revocable and expire", async () => {
    const { db } = database();
    const user = await signUp(db, { email: "sess@example.com", name: "S", password: "0123456789", ip: "1.1.1.1" });
    if (!user.ok) throw new Error("sign-up failed");
    const { token } = await createSession(db, { userId: user.userId, ip: null, userAgent: null });
    expect(await getSessionUserId(db, token)).toBe(user.userId);
    expect(await getSessionUserId(db, token + "x")).toBeUndefined();
    await deleteSession(db, token);
    expect(await getSessionUserId(db, token)).toBeUndefined();

    const other = await createSession(db, { userId: user.userId, ip: null, userAgent: null });
    await db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.userId)
      .execute();
    expect(await getSessionUserId(db, other.token)).toBeUndefined();
  });

  it("grants the finance role", async () => {
    const { db } = database();
    const user = await signUp(db, { email: "fin@example.com", name: "F", password: "0123456789", ip: "1.1.1.2" });
    if (!user.ok) throw new Error("sign-up failed");
    expect((await getUserById(db, user.userId))?.roles).toEqual([]);
    await grantRole(db, { email: "fin@example.com", role: "finance" });
    await grantRole(db, { email: "fin@example.com", role: "finance" });
    expect((await getUserById(db, user.userId))?.roles).toEqual(["finance"]);
  });

  it("the audit log cannot be edited or deleted, even with direct SQL", async () => {
    const { db } = database();
    await expect(sql`update audit_log set action = 'forged'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it("seeds demo users only into an empty database", async () => {
    const { db } = database();
    // This file's database already has users, so nothing is seeded.
    expect(await seedDemoData(db)).toBe(false);
    expect(
      await db.selectFrom("users").select("id").where("email", "=", "backer@example.com").executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe("password hashing", () => {
  it("verifies the right password and rejects others", async () => {
    const hash = await hashPassword("s3cret passphrase", { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword("s3cret passphrase", hash)).toBe(true);
    expect(await verifyPassword("s3cret passphrasE", hash)).toBe(false);
    expect(await verifyPassword("s3cret passphrase", "garbage")).toBe(false);
  });
});
