import { ConfigError, getConfig, type Config } from "../app/config.server";
import { getDatabase } from "../app/db.server";
import { migrateToLatest } from "../db/migrate";

/** Reads the configuration; a bad value ends the process with one line naming the variable. */
export function loadConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.log(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase() {
  const handle = await getDatabase();
  const applied = await migrateToLatest(handle.db);
  return { handle, applied };
}

/** Runs a CLI's main function: one clear error line and exit code 1 on failure. */
export function runCli(main: () => Promise<number | void>) {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.log(`Error: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG) console.log(error);
      process.exit(1);
    },
  );
}
