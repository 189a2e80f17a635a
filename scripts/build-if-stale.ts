import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "db", "remix.config.js", "package-lock.json", "tsconfig.json"];

function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Runs `remix build` when the server build is missing or older than any source file. */
export function buildIfStale(root: string, log: (line: string) => void = console.log): boolean {
  const output = path.join(root, "build/index.js");
  const built = newestMtime(output);
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (built > 0 && built >= sources && fs.existsSync(path.join(root, "public/build"))) return false;
  log(built ? "Sources changed since the last build; rebuilding…" : "Building the site (first run)…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    log(String(result.stdout) + String(result.stderr));
    throw new Error("remix build failed (see the output above)");
  }
  return true;
}
