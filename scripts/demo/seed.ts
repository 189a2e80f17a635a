import type Stripe from "stripe";
import type { Db } from "../../db/schema.js";
import type { Config } from "../../app/config.server";
import { countUsers, createUser, grantRole } from "../../app/models/user.server";
import { DEMO_SPANISH_BACKER, seedDemoCampaigns } from "./campaigns";
import { seedDemoPayments } from "./payments";
import { hashPassword } from "../../app/services/accounts/password.server";
import { enrolWithKnownSecret } from "../../app/services/security/two-factor.server";
import { getConfig } from "../../app/config.server";

export const DEMO_PASSWORD = "demo-password";
/**
 * The demo staff's authenticator secret. Staff must sign in with a second factor, so in demo mode
 * Fiona (finance) and Mo (moderator) are enrolled with this published secret: `npm run demo:code`
 * prints the current code (or add the secret to any authenticator app). Never seeded outside demo mode.
 */
export const DEMO_TOTP_SECRET = "COLECTADEMOFIONAFINANCETWOFACTOR";
export const DEMO_FINANCE_EMAIL = "finance@example.com";
export const DEMO_MODERATOR_EMAIL = "moderator@example.com";
/** The demo's sign-ins. `locale`: the language saved as their preference (null: none chosen). */
export const DEMO_USERS = [
  { email: "backer@example.com", name: "Bea Backer", role: null, locale: null },
  { email: "creator@example.com", name: "Carlos Creator", role: null, locale: null },
  { email: DEMO_FINANCE_EMAIL, name: "Fiona Finance", role: "finance", locale: null },
  { email: DEMO_MODERATOR_EMAIL, name: "Mo Moderator", role: "moderator", locale: null },
  { email: DEMO_SPANISH_BACKER, name: "Lucía Navarro", role: null, locale: "es" },
] as const;

/**
 * Seeds the demo data set, only into an empty database. Returns whether it seeded. With a Stripe
 * client, demo pledges get real saved cards and the historical campaigns are really settled.
 */
export async function seedDemoData(db: Db, payments?: { stripe: Stripe; config: Config }): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    for (const user of DEMO_USERS) {
      // Demo addresses are ours and verified, so the demo creators can launch and be paid.
      const created = await createUser(trx, {
        email: user.email,
        name: user.name,
        passwordHash,
        emailVerifiedAt: new Date(),
      });
      if (user.role) await grantRole(trx, { email: user.email, role: user.role });
      if (user.role && getConfig().demoMode)
        await enrolWithKnownSecret(trx, { userId: created.id, secret: DEMO_TOTP_SECRET });
      if (user.locale)
        await trx.updateTable("users").set({ locale: user.locale }).where("email", "=", user.email).execute();
    }
  });
  await seedDemoCampaigns(db, { passwordHash, settledBySettlement: Boolean(payments) });
  if (payments) await seedDemoPayments({ db, ...payments });
  return true;
}
