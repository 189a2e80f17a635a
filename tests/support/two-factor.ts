import { generate } from "otplib";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { enrolWithKnownSecret } from "~/services/security/two-factor.server";

// Two-factor for tests: enrol a user with a known secret, and compute the code their app would
// show, with otplib as an authenticator app does.

/** A fixed base32 secret: tests compute its codes (never used outside tests and the demo). */
export const TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PERIOD = 30;

/** Enrols the user (confirmed) with `secret`, as if they had scanned the QR code and confirmed. */
export async function enrolTwoFactor(db: Kysely<Database>, userId: string, secret = TEST_TOTP_SECRET) {
  await db.deleteFrom("user_two_factor").where("user_id", "=", userId).execute();
  await enrolWithKnownSecret(db, { userId, secret });
}

/** The code the app shows at `at` (default now). */
export function codeAt(at: number = Date.now(), secret = TEST_TOTP_SECRET) {
  return generate({ secret, epoch: Math.floor(at / 1000) });
}

/**
 * A code the server will accept now, for a user who may have used one a moment ago (tests sign
 * in and approve several times within 30 s): the next step's code when this step's was used
 * (the server allows one step of clock drift), else this step's.
 */
export async function nextCode(db: Kysely<Database>, userId: string, secret = TEST_TOTP_SECRET) {
  const row = await db
    .selectFrom("user_two_factor")
    .select("last_used_step")
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const step = Math.floor(now / 1000 / PERIOD);
  if (row.last_used_step === null || row.last_used_step < step) return codeAt(now, secret);
  if (row.last_used_step === step) return codeAt(now + PERIOD * 1000, secret);
  // Both steps in the window are spent: forget them, as if the test had waited a minute.
  await db.updateTable("user_two_factor").set({ last_used_step: null }).where("user_id", "=", userId).execute();
  return codeAt(now, secret);
}
