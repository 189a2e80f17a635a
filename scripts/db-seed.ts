// npm run db:seed — seeds demo data into an empty database (never into one that has data).
import { closeDatabase } from "../app/db.server";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "../app/services/demo-seed.server";
import { loadConfigOrExit, openMigratedDatabase, runCli } from "./boot";

runCli(async () => {
  loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  const seeded = await seedDemoData(handle.db);
  await closeDatabase();
  if (!seeded) {
    console.log("The database already has data; demo data is only seeded into an empty database.");
    return 1;
  }
  console.log(`Seeded demo data. Sign in as ${DEMO_USERS.map((u) => u.email).join(", ")} with password "${DEMO_PASSWORD}".`);
});
