import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { Db } from "../../../db/schema.js";
import { storeCaughtEmails } from "../../models/caught-email.server";

// The embedded SMTP catcher (no SMTP_URL): a real SMTP server on loopback that accepts every
// message and keeps it in the database for /mailbox. Delivery reaches it exactly as it reaches
// any other server, so development and tests run the production path.

export interface MailCatcher {
  port: number;
  close(): Promise<void>;
}

const KEPT_HEADERS = ["message-id", "list-unsubscribe", "list-unsubscribe-post", "content-language"];

export async function startMailCatcher({ db, host = "127.0.0.1", port }: { db: Db; host?: string; port: number }) {
  const server = new SMTPServer({
    banner: "Colecta mail catcher",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const headers: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const line = mail.headerLines.find((h) => h.key === name);
            if (line) headers[name] = line.line.slice(line.line.indexOf(":") + 1).trim();
          }
          const from = mail.from as AddressObject | undefined;
          await storeCaughtEmails(
            db,
            session.envelope.rcptTo.map((r) => ({
              toEmail: r.address,
              mailFrom: from?.text ?? null,
              messageId: mail.messageId ?? null,
              subject: mail.subject ?? "",
              bodyText: mail.text ?? null,
              bodyHtml: typeof mail.html === "string" ? mail.html : null,
              headers,
            })),
          );
          callback();
        })
        .catch((error: Error) => {
          // A 451 makes the sender try again later: nothing is lost while the database is away.
          callback(Object.assign(new Error(`Could not store the message: ${error.message}`), { responseCode: 451 }));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  server.on("error", (error) => console.warn(`[mail catcher] ${error.message}`));
  const address = server.server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies MailCatcher;
}
