import nodemailer from "nodemailer";
import type { Config } from "../../config.server";

export type MailTransport = ReturnType<typeof createMailTransport>;

/**
 * The SMTP connection pool a delivery worker sends through: SMTP_URL, or the embedded catcher
 * on loopback. Short timeouts: a server that hangs is a temporary failure, retried later.
 */
export function createMailTransport(config: Pick<Config, "smtpUrl">, { maxConnections = 4 } = {}) {
  return nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
