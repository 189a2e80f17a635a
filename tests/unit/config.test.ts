import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configSchema, parseConfig } from "~/config.server";

describe("configuration", () => {
  it("has working defaults with an empty environment", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      DATA_DIR: "./.data",
      dbKind: "embedded",
      stripeMode: "emulator",
      demoMode: true,
    });
    expect(config.appUrl).toBe("http://127.0.0.1:3000");
  });

  it.each([
    [{ PORT: "eighty" }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: "mysql://x" }, /^Invalid configuration: DATABASE_URL must be a postgres/],
    [{ STRIPE_SECRET_KEY: "sk_live_abc" }, /^Invalid configuration: STRIPE_SECRET_KEY is a live key/],
    [{ STRIPE_SECRET_KEY: "sk_test_abc" }, /^Invalid configuration: STRIPE_WEBHOOK_SECRET is required/],
    [{ SESSION_SECRET: "short" }, /^Invalid configuration: SESSION_SECRET must be at least 32/],
    [{ DEMO_MODE: "maybe" }, /^Invalid configuration: DEMO_MODE must be true or false/],
    [{ DEMO_MODE: "false" }, /^Invalid configuration: SMTP_URL is required when DEMO_MODE is off/],
    [{ WEB_CONCURRENCY: "2" }, /^Invalid configuration: WEB_CONCURRENCY must be 1 with the embedded database/],
    [
      { WEB_CONCURRENCY: "0", DATABASE_URL: "postgres://localhost/colecta" },
      /^Invalid configuration: WEB_CONCURRENCY /,
    ],
  ])("names the bad variable in one line: %o", (env, message) => {
    let error: Error | undefined;
    try {
      parseConfig(env);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("\n");
  });

  it("switches to PostgreSQL and real Stripe test mode when configured", () => {
    const config = parseConfig({
      DATABASE_URL: "postgres://localhost/colecta",
      STRIPE_SECRET_KEY: "sk_test_123",
      STRIPE_WEBHOOK_SECRET: "whsec_123",
    });
    expect(config.dbKind).toBe("postgres");
    expect(config.stripeMode).toBe("test");
  });

  it("runs one web process per core on a PostgreSQL server, one on the embedded database, or as many as asked", () => {
    expect(parseConfig({}).webConcurrency).toBe(1);
    expect(parseConfig({ DATABASE_URL: "postgres://localhost/colecta" }).webConcurrency).toBe(
      os.availableParallelism(),
    );
    expect(parseConfig({ DATABASE_URL: "postgres://localhost/colecta", WEB_CONCURRENCY: "3" }).webConcurrency).toBe(3);
    expect(parseConfig({ WEB_CONCURRENCY: "1" }).webConcurrency).toBe(1);
  });

  it("reviews campaigns before launch outside demo mode, unless told otherwise", () => {
    const production = { DEMO_MODE: "false", SMTP_URL: "smtp://mail.example:587" };
    expect(parseConfig({}).reviewBeforeLaunch).toBe(false);
    expect(parseConfig(production).reviewBeforeLaunch).toBe(true);
    expect(parseConfig({ ...production, REVIEW_BEFORE_LAUNCH: "false" }).reviewBeforeLaunch).toBe(false);
    expect(parseConfig({ REVIEW_BEFORE_LAUNCH: "true" }).reviewBeforeLaunch).toBe(true);
    expect(() => parseConfig({ REVIEW_BEFORE_LAUNCH: "sometimes" })).toThrow(
      /^Invalid configuration: REVIEW_BEFORE_LAUNCH must be true or false/,
    );
  });

  it("the README documents every variable", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    for (const name of Object.keys(configSchema.shape)) {
      expect(readme, `README is missing ${name}`).toContain(`\`${name}\``);
    }
  });
});
