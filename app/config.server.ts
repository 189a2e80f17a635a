import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "1" || v === "true" || v === "yes");

const port = z.coerce.number({ error: "must be a port number" }).int("must be a whole number").min(0).max(65535);

/**
 * Every setting Colecta reads, with its default. The README's configuration table mirrors this
 * schema; a test keeps the two in step.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: port.default(3000),
    APP_URL: z.url({ error: "must be an absolute URL such as https://colecta.example" }).optional(),
    DATA_DIR: z.string().min(1).default("./.data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection URL")
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_PREPARED_STATEMENTS: bool.default(true),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    DEMO_MODE: bool.optional(),
    TRUST_PROXY: bool.default(false),
    STRIPE_SECRET_KEY: z
      .string()
      .refine((k) => !/^(sk|rk)_live_/.test(k), "is a live key: Colecta runs only against Stripe test mode")
      .refine((k) => /^(sk|rk)_test_/.test(k), "must be a Stripe test-mode key (sk_test_...)")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
    STRIPE_EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
    STRIPE_EMULATOR_PORT: port.default(12111),
    // How long the emulator keeps a charge's funds pending (Stripe: about two days).
    STRIPE_EMULATOR_AVAILABLE_AFTER_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int()
      .min(0)
      .default(2 * 24 * 60 * 60),
    PLATFORM_FEE_BPS: z.coerce
      .number({ error: "must be a whole number of basis points" })
      .int()
      .min(0)
      .max(5000)
      .default(500),
    GRACE_DAYS: z.coerce.number({ error: "must be a number of days" }).int().min(0).max(30).default(7),
    // Shipping addresses are blanked this many days after the backer confirms receipt.
    ADDRESS_RETENTION_DAYS: z.coerce.number({ error: "must be a number of days" }).int().min(1).max(3650).default(180),
    STRIPE_MAX_RPS: z.coerce.number({ error: "must be requests per second" }).min(1).max(10_000).default(20),
    SETTLEMENT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    WORKER_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    RUN_WORKER: bool.default(true),
    // The hour (UTC) from which the workers run the day's reconciliation; "off" turns it off.
    RECONCILE_DAILY_AT_HOUR: z.union([z.literal("off"), z.coerce.number().int().min(0).max(23)]).default(3),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example:587")
      .optional(),
    MAIL_FROM: z.string().min(3).optional(),
    MAIL_MAX_PER_SECOND: z.coerce.number({ error: "must be emails per second" }).min(0.1).max(10_000).default(20),
    MAIL_CATCHER_PORT: port.default(2525),
    REVIEW_BEFORE_LAUNCH: bool.optional(),
    PAGE_CACHE: bool.default(true),
    PAGE_FRESH_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).min(0).max(60).default(1),
    WEB_CONCURRENCY: z.coerce
      .number({ error: "must be a number of web processes" })
      .int("must be a whole number")
      .min(1)
      .max(64)
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.DATABASE_URL && c.WEB_CONCURRENCY !== undefined && c.WEB_CONCURRENCY > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message:
          "must be 1 with the embedded database (PGlite serves one process); set DATABASE_URL to run several web processes",
      });
    }
    if (c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_WEBHOOK_SECRET"],
        message: "is required when STRIPE_SECRET_KEY is set (the signing secret of your webhook endpoint)",
      });
    }
    // Outside demo mode mail must reach people: the loopback catcher would swallow it silently.
    if (c.DEMO_MODE === false && !c.SMTP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_URL"],
        message: "is required when DEMO_MODE is off (without it email would only reach the local mail catcher)",
      });
    }
  });

export type Config = z.infer<typeof configSchema> & {
  demoMode: boolean;
  /** "Launch" submits a draft to the moderators' review: REVIEW_BEFORE_LAUNCH, else on outside demo mode. */
  reviewBeforeLaunch: boolean;
  appUrl: string;
  dbKind: "embedded" | "postgres";
  stripeMode: "emulator" | "test";
  /** Where mail goes: SMTP_URL, or the embedded catcher on loopback. */
  smtpUrl: string;
  mailFrom: string;
  /** How many web processes `npm start` runs: WEB_CONCURRENCY, else one per core on a PostgreSQL server, one embedded. */
  webConcurrency: number;
};

export class ConfigError extends Error {}

/** Parses the environment; the error names the first bad variable in one line. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "configuration");
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
  }
  const c = result.data;
  // Demo mode (seeded demo logins, generated session secret, local mailbox) is on unless turned off.
  const demoMode = c.DEMO_MODE ?? true;
  const displayHost = c.HOST === "0.0.0.0" || c.HOST === "::" ? "127.0.0.1" : c.HOST;
  const appUrl = (c.APP_URL ?? `http://${displayHost}:${c.PORT}`).replace(/\/$/, "");
  return {
    ...c,
    demoMode,
    // In demo mode a creator tries the whole flow alone, so launching is immediate unless asked.
    reviewBeforeLaunch: c.REVIEW_BEFORE_LAUNCH ?? !demoMode,
    appUrl,
    smtpUrl: c.SMTP_URL ?? `smtp://127.0.0.1:${c.MAIL_CATCHER_PORT}`,
    mailFrom: c.MAIL_FROM ?? `Colecta <no-reply@${new URL(appUrl).hostname}>`,
    dbKind: c.DATABASE_URL ? "postgres" : "embedded",
    webConcurrency: c.WEB_CONCURRENCY ?? (c.DATABASE_URL ? os.availableParallelism() : 1),
    stripeMode: c.STRIPE_SECRET_KEY ? "test" : "emulator",
  };
}

// Process-wide, like the database handle: the server script and the Remix bundle are separate
// module graphs in one process and must agree on the configuration.
const KEY = Symbol.for("colecta.config");
const holder = globalThis as { [KEY]?: Config };

export function getConfig(): Config {
  holder[KEY] ??= parseConfig();
  return holder[KEY];
}

/** For tests and scripts that build their own environment. */
export function setConfig(config: Config | undefined) {
  holder[KEY] = config;
}

/**
 * The cookie-signing secret: SESSION_SECRET, or in demo mode one generated on first start and
 * kept in the data directory so restarts keep everyone signed in.
 */
export function resolveSessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (!config.demoMode) {
    throw new ConfigError("Invalid configuration: SESSION_SECRET is required when DEMO_MODE is off");
  }
  const file = path.resolve(config.DATA_DIR, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  }
}
