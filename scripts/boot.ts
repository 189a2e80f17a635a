import { ConfigError, getConfig, type Config } from "../app/config.server";
import { getDatabase } from "../app/db.server";
import { MARKDOWN_VERSION } from "../app/domain/markdown";
import { rerenderStaleMarkdown } from "../app/models/stored-markdown.server";
import { migrateToLatest } from "../db/migrate";
import type { Db } from "../db/schema.js";

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

/**
 * Renders again, in the background, the stories and updates stored by an older Markdown renderer
 * (decision 019), so a renderer change takes effect on the next start without holding it up;
 * pages render a row themselves until then. `stop` waits for the batch in flight.
 */
export function startMarkdownBackfill(db: Db, log: (line: string) => void) {
  let stopping = false;
  const done = rerenderStaleMarkdown(db, { stopped: () => stopping }).then(
    (n) => {
      if (n.campaigns + n.campaign_updates > 0)
        log(
          `Stored Markdown: re-rendered ${n.campaigns} stories and ${n.campaign_updates} updates (renderer version ${MARKDOWN_VERSION}).`,
        );
    },
    (error: unknown) =>
      log(
        `Stored Markdown: re-rendering failed, the next start resumes it: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  return {
    done,
    stop: async () => {
      stopping = true;
      await done;
    },
  };
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
