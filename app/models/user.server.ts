import type { Db, Role } from "../../db/schema.js";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** The language the user chose, as stored; null until they choose. */
  locale: string | null;
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
  }: { email: string; name: string; passwordHash: string; locale?: string | null },
) {
  const inserted = await db
    .insertInto("users")
    .values({ email: normalizeEmail(email), name: name.trim(), password_hash: passwordHash, locale })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning(["id", "email", "name"])
    .executeTakeFirst();
  if (!inserted) throw new EmailTakenError();
  return inserted;
}

export async function getUserById(db: Db, id: string): Promise<SessionUser | undefined> {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "locale"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom("user_roles").select("role").where("user_id", "=", id).execute();
  return { ...user, roles: roles.map((r) => r.role) };
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
