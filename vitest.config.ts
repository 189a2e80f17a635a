import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: { "~": here("./app") },
  },
  esbuild: { jsx: "automatic" },
  test: {
    globals: true,
    include: ["tests/**/*.test.{ts,tsx}"],
    environment: "node",
    pool: "forks",
    setupFiles: [here("./tests/support/setup.ts")],
    globalSetup: [here("./tests/support/global-setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
