// npm run user:role -- EMAIL ROLE [--revoke] — grants (or revokes) a staff role.
import { closeDatabase } from "../app/db.server";
import { recordAudit } from "../app/models/audit.server";
import { grantRole, revokeRole } from "../app/models/user.server";
import type { Role } from "../db/schema";
import { loadConfigOrExit, openMigratedDatabase, runCli } from "./boot";

const ROLES: Role[] = ["finance", "admin", "moderator"];
const USAGE = "Usage: npm run user:role -- EMAIL ROLE [--revoke]   (ROLE: finance, admin or moderator)";

runCli(async () => {
  const args = process.argv.slice(2);
  const revoke = args.includes("--revoke");
  const [email, role] = args.filter((a) => a !== "--revoke");
  if (!email || !role) {
    console.log(USAGE);
    return 2;
  }
  if (!ROLES.includes(role as Role)) {
    console.log(`Unknown role "${role}". ${USAGE}`);
    return 2;
  }
  loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  const user = revoke
    ? await revokeRole(handle.db, { email, role: role as Role })
    : await grantRole(handle.db, { email, role: role as Role });
  if (!user) {
    await closeDatabase();
    console.log(`No user with email ${email}.`);
    return 1;
  }
  await recordAudit(handle.db, {
    actorId: null,
    action: revoke ? "role.revoked" : "role.granted",
    subjectType: "user",
    subjectId: user.id,
    detail: { role, via: "cli", osUser: process.env.USER ?? null },
  });
  await closeDatabase();
  console.log(revoke ? `Revoked ${role} from ${email}.` : `Granted ${role} to ${email}.`);
});
