import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The workers' daily reconciliation would run in every test that starts a worker or a site (and
// spend faults a test injects into Stripe calls): off, unless a test turns it on.
process.env.RECONCILE_DAILY_AT_HOUR ??= "off";

export default defineConfig({
  resolve: {
    alias: { "~": here("./app") },
  },
  esbuild: { jsx: "automatic" },
  test: {
    globals: true,
    include: ["tests/**/*.test.{ts,tsx}"],
    // DATABASE_FREE_TESTS=skip leaves out the files that never open a database (pure rules,
    // components, the Stripe emulator's contract): CI's PostgreSQL pass, whose point is the
    // database, does not run them a second time.
    exclude:
      process.env.DATABASE_FREE_TESTS === "skip"
        ? ["**/node_modules/**", "tests/unit/**", "tests/components/**", "tests/stripe/**"]
        : ["**/node_modules/**"],
    environment: "node",
    pool: "forks",
    // Two files at a time even on two cores (vitest's default would be one): most files wait on a
    // child process, a browser, an SMTP server or a database, so a second worker roughly halves
    // the run. Each file has its own database, site, ports and mail catcher.
    // TEST_MAX_WORKERS raises it where files wait on a database server rather than on browsers
    // (CI's PostgreSQL pass runs three).
    maxWorkers: Number(process.env.TEST_MAX_WORKERS) || Math.max(2, availableParallelism() - 1),
    setupFiles: [here("./tests/support/setup.ts")],
    globalSetup: [here("./tests/support/global-setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
