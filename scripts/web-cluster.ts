// The web server on every core: with WEB_CONCURRENCY above 1, `npm start`'s primary process keeps
// everything that must run once (migrations, the Stripe emulator, the mail catcher, the
// settlement and email workers, the background jobs) and forks that many web processes, which
// share the port through node:cluster. A web process that dies is replaced; on Ctrl-C or
// SIGTERM the primary stops replacing them, asks each to finish its requests and waits.
import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { closeDatabase } from "../app/db.server";
import { loadConfigOrExit } from "./boot";
import { closeServer, serveBuild } from "./server";

const SHUTDOWN = "colecta:shutdown";
/** A web process that dies sooner than this after starting counts as a crash loop. */
const EARLY_DEATH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** In the primary: forks `count` web processes and resolves once every one is listening. */
export async function startWebProcesses({ count, log }: { count: number; log: (line: string) => void }) {
  let stopping = false;
  let earlyDeaths = 0;
  const startedAt = new Map<Worker, number>();
  // A web process runs a small entry of its own (no emulator, seed or workers to load).
  cluster.setupPrimary({ exec: fileURLToPath(new URL("./web-process.ts", import.meta.url)) });

  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork();
      startedAt.set(worker, Date.now());
      const onExit = (code: number) => reject(new Error(`a web process exited with code ${code} while starting`));
      worker.once("exit", onExit);
      worker.once("listening", () => {
        worker.off("exit", onExit);
        worker.on("exit", (code, signal) => replace(worker, code, signal));
        resolve(worker);
      });
    });

  const replace = (worker: Worker, code: number | null, signal: string | null) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    earlyDeaths = lived < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
    const delay = earlyDeaths > 1 ? Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (earlyDeaths - 2)) : 0;
    log(
      `Web process ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another${delay ? ` in ${(delay / 1000).toFixed(1)} s` : ""}.`,
    );
    setTimeout(() => {
      if (stopping) return;
      fork().catch((error: Error) => log(`Replacing a web process failed: ${error.message}`));
    }, delay).unref();
  };

  await Promise.all(Array.from({ length: count }, fork));

  return {
    stop: async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once("exit", () => resolve());
              worker.send(SHUTDOWN);
              setTimeout(() => worker.kill("SIGKILL"), 8_000).unref();
            }),
        ),
      );
    },
  };
}

/** In a forked web process: serves the site until the primary says stop (or goes away). */
export async function runWebProcess(root: string) {
  const serving: { server?: Server } = {};
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (serving.server) await closeServer(serving.server);
    await closeDatabase();
    process.exit(0);
  };
  process.on("message", (message) => {
    if (message === SHUTDOWN) void stop();
  });
  // The primary orchestrates shutdown: a terminal's Ctrl-C reaches every process in the group,
  // and a web process leaving on its own would look like a crash to replace.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void stop());
  // If the primary itself dies, its web processes leave with it.
  process.on("disconnect", () => void stop());

  const config = loadConfigOrExit();
  if (stopping) return;
  serving.server = await serveBuild({ config, root });
  if (stopping) await closeServer(serving.server);
}
