import { sql } from "kysely";
import type { Db, Role } from "../../db/schema.js";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** The language the user chose, as stored; null until they choose. */
  locale: string | null;
  /** Whether the user has proven they read mail at `email` (a verification link). */
  emailVerified: boolean;
  /** Suspended by a moderator: may read and sign in to see their pledges, but not post, pledge or message. */
  suspended: boolean;
}

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists.");
  }
}

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

/** Creates an account; the caller hashes the password (services/accounts/password.server.ts). */
export async function createUser(
  db: Db,
  {
    email,
    name,
    passwordHash,
    locale = null,
    emailVerifiedAt = null,
  }: {
    email: string;
    name: string;
    passwordHash: string;
    locale?: string | null;
    /** Set only where the address is known good already (demo data, fixtures); sign-up proves it by link. */
    emailVerifiedAt?: Date | null;
  },
) {
  const inserted = await db
    .insertInto("users")
    .values({
      email: normalizeEmail(email),
      name: name.trim(),
      password_hash: passwordHash,
      locale,
      email_verified_at: emailVerifiedAt,
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning(["id", "email", "name"])
    .executeTakeFirst();
  if (!inserted) throw new EmailTakenError();
  return inserted;
}

export async function getUserById(db: Db, id: string): Promise<SessionUser | undefined> {
  const row = await sessionUserQuery(db).where("users.id", "=", id).executeTakeFirst();
  return row && toSessionUser(row);
}

/** The user a live session (by its stored hash) belongs to, roles included, in one query. */
export async function getUserBySessionHash(db: Db, idHash: string, now = new Date()): Promise<SessionUser | undefined> {
  const row = await sessionUserQuery(db)
    .innerJoin("sessions", "sessions.user_id", "users.id")
    .where("sessions.id_hash", "=", idHash)
    .where("sessions.expires_at", ">", now)
    .executeTakeFirst();
  return row && toSessionUser(row);
}

function sessionUserQuery(db: Db) {
  return db
    .selectFrom("users")
    .select([
      "users.id",
      "users.email",
      "users.name",
      "users.locale",
      "users.email_verified_at",
      "users.suspended_at",
      sql<string[]>`array(select r.role::text from user_roles r where r.user_id = users.id order by r.role)`.as(
        "roles",
      ),
    ])
    .where("users.deleted_at", "is", null);
}

function toSessionUser({
  email_verified_at,
  suspended_at,
  roles,
  ...rest
}: {
  id: string;
  email: string;
  name: string;
  locale: string | null;
  email_verified_at: Date | null;
  suspended_at: Date | null;
  roles: string[];
}): SessionUser {
  return {
    ...rest,
    emailVerified: email_verified_at !== null,
    suspended: suspended_at !== null,
    roles: roles as Role[],
  };
}

/** Remembers the language the user chose, for every device they sign in on. */
export async function setUserLocale(db: Db, { userId, locale }: { userId: string; locale: string }) {
  await db.updateTable("users").set({ locale, updated_at: new Date() }).where("id", "=", userId).execute();
}

/** The account's id and stored password hash, for the sign-in check. */
export async function getLoginCredentials(db: Db, { email }: { email: string }) {
  return db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", normalizeEmail(email))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function grantRole(db: Db, { email, role }: { email: string; role: Role }) {
  const user = await db.selectFrom("users").select("id").where("email", "=", normalizeEmail(email)).executeTakeFirst();
  if (!user) return undefined;
  await db
    .insertInto("user_roles")
    .values({ user_id: user.id, role })
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
  return user;
}

export async function revokeRole(db: Db, { email, role }: { email: string; role: Role }) {
  const user = await db.selectFrom("users").select("id").where("email", "=", normalizeEmail(email)).executeTakeFirst();
  if (!user) return undefined;
  await db.deleteFrom("user_roles").where("user_id", "=", user.id).where("role", "=", role).execute();
  return user;
}

export async function countUsers(db: Db) {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A live account by its address (for a password reset), or undefined. */
export async function findUserByEmail(db: Db, { email }: { email: string }) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "locale"])
    .where("email", "=", normalizeEmail(email))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Whether an address belongs to an account (a deleted one's address was replaced, so it is free). */
export async function emailInUse(db: Db, { email }: { email: string }) {
  const row = await db.selectFrom("users").select("id").where("email", "=", normalizeEmail(email)).executeTakeFirst();
  return row !== undefined;
}

/** What the settings pages and their checks need about an account, with its password hash. */
export async function getAccount(db: Db, { userId }: { userId: string }) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "locale", "password_hash", "email_verified_at"])
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/**
 * Marks the address verified, only while it is still the one the link was sent to (an earlier
 * verification's time is kept). False when the address has changed since.
 */
export async function markEmailVerified(
  db: Db,
  { userId, email, now = new Date() }: { userId: string; email: string; now?: Date },
) {
  const row = await db
    .updateTable("users")
    .set({ email_verified_at: sql`coalesce(email_verified_at, ${now})`, updated_at: now })
    .where("id", "=", userId)
    .where("email", "=", email)
    .where("deleted_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Moves the account to a new, proven address (verified by the click that brought it here).
 * Throws EmailTakenError when another account holds it by now.
 */
export async function changeUserEmail(
  db: Db,
  { userId, email, now = new Date() }: { userId: string; email: string; now?: Date },
) {
  try {
    await db
      .updateTable("users")
      .set({ email: normalizeEmail(email), email_verified_at: now, updated_at: now })
      .where("id", "=", userId)
      .execute();
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new EmailTakenError();
    throw error;
  }
}

export async function setUserPassword(db: Db, { userId, passwordHash }: { userId: string; passwordHash: string }) {
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

export async function updateProfile(
  db: Db,
  { userId, name, locale }: { userId: string; name: string; locale: string | null },
) {
  await db
    .updateTable("users")
    .set({ name: name.trim(), locale, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/**
 * Replaces an account's personal data (address, name, password, language) and marks it deleted.
 * The row stays: pledges, payouts and the journal point at it.
 */
export async function anonymiseUser(db: Db, { userId, now = new Date() }: { userId: string; now?: Date }) {
  await db
    .updateTable("users")
    .set({
      email: `deleted-${userId}@deleted.invalid`,
      name: "Deleted user",
      // Not a scrypt hash: no password ever matches it.
      password_hash: "!deleted",
      locale: null,
      email_verified_at: null,
      stripe_customer_id: null,
      deleted_at: now,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("user_roles").where("user_id", "=", userId).execute();
}

/** Whether the account has proven its address (launching and payouts need it). */
export async function isEmailVerified(db: Db, { userId }: { userId: string }) {
  const row = await db.selectFrom("users").select("email_verified_at").where("id", "=", userId).executeTakeFirst();
  return Boolean(row?.email_verified_at);
}
