import type { Db } from "../../db/schema.js";

// The two-factor tables (migration 0015): a user's authenticator, their recovery codes, and the
// session's mark that it passed the second factor. Secrets arrive here already encrypted and
// recovery codes already hashed; these functions only store and compare.

export async function getTwoFactor(db: Db, { userId }: { userId: string }) {
  return db.selectFrom("user_two_factor").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

/** Whether the user has a confirmed authenticator. */
export async function hasConfirmedTwoFactor(db: Db, { userId }: { userId: string }) {
  const row = await db
    .selectFrom("user_two_factor")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("confirmed_at", "is not", null)
    .executeTakeFirst();
  return Boolean(row);
}

/** Starts (or restarts) an enrolment with a new secret; a confirmed authenticator is never replaced. */
export async function savePendingSecret(
  db: Db,
  { userId, secretEncrypted }: { userId: string; secretEncrypted: string },
) {
  await db
    .insertInto("user_two_factor")
    .values({ user_id: userId, secret_encrypted: secretEncrypted })
    .onConflict((oc) =>
      oc
        .column("user_id")
        .doUpdateSet({ secret_encrypted: secretEncrypted, created_at: new Date(), last_used_step: null })
        .where("user_two_factor.confirmed_at", "is", null),
    )
    .execute();
}

/**
 * Records that a code of `step` was accepted, only if no code of that step or a later one was:
 * one statement, so two requests racing with the same code cannot both win. Returns whether
 * this request won. `confirm` also marks a pending enrolment as confirmed.
 */
export async function claimTimeStep(
  db: Db,
  { userId, step, confirm = false }: { userId: string; step: number; confirm?: boolean },
) {
  const result = await db
    .updateTable("user_two_factor")
    .set(confirm ? { last_used_step: step, confirmed_at: new Date() } : { last_used_step: step })
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", step)]))
    .where("confirmed_at", confirm ? "is" : "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTwoFactor(db: Db, { userId }: { userId: string }) {
  await db.deleteFrom("two_factor_recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("user_two_factor").where("user_id", "=", userId).execute();
}

/** Replaces every recovery code of the user (the old ones stop working). */
export async function replaceRecoveryCodes(db: Db, { userId, hashes }: { userId: string; hashes: string[] }) {
  await db.deleteFrom("two_factor_recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("two_factor_recovery_codes")
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Uses up one recovery code; false when it is not the user's or was used already. */
export async function consumeRecoveryCode(db: Db, { userId, hash }: { userId: string; hash: string }) {
  const result = await db
    .updateTable("two_factor_recovery_codes")
    .set({ used_at: new Date() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db, { userId }: { userId: string }) {
  const row = await db
    .selectFrom("two_factor_recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
