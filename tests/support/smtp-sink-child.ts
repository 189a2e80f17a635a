// A real SMTP server in its own process, for delivery tests: accepts (or refuses, as told over
// IPC) every message and reports what it received to the parent. See smtp-sink.ts.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

let mode = process.env.SINK_MODE ?? "accept";
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        if (mode === "reject") {
          return callback(
            Object.assign(new Error("5.1.1 <" + session.envelope.rcptTo[0]?.address + ">: mailbox unavailable"), {
              responseCode: 550,
            }),
          );
        }
        if (mode === "defer") {
          return callback(Object.assign(new Error("4.3.2 try again later"), { responseCode: 451 }));
        }
        process.send!({
          type: "message",
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: mail.messageId,
          subject: mail.subject,
          text: mail.text,
          html: typeof mail.html === "string" ? mail.html : null,
          headers: Object.fromEntries(
            mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()]),
          ),
        });
        callback();
      })
      .catch(callback);
  },
});
// A sender killed mid-conversation resets its connection: not a reason to stop the server.
server.on("error", () => {});
process.on("message", (m: { mode?: string }) => {
  if (m.mode) mode = m.mode;
  process.send!({ type: "mode", mode });
});
server.listen(Number(process.env.SINK_PORT), "127.0.0.1", () => process.send!({ type: "ready" }));
