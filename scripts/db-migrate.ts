// npm run db:migrate — applies pending migrations to the configured database.
import { closeDatabase } from "../app/db.server";
import { loadConfigOrExit, openMigratedDatabase, runCli, startMarkdownBackfill } from "./boot";

runCli(async () => {
  const config = loadConfigOrExit();
  const { handle, applied } = await openMigratedDatabase();
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to the ${config.dbKind} database: ${applied.join(", ")}`
      : `The ${config.dbKind} database is up to date.`,
  );
  await startMarkdownBackfill(handle.db, (line) => console.log(line)).done;
  await closeDatabase();
});
