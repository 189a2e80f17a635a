// The benchmark's SMTP server, in its own process: accepts every message, reads it through,
// and reports the running count to the parent over IPC.
import { SMTPServer } from "smtp-server";

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    stream.on("data", () => {});
    stream.on("end", () => {
      received++;
      callback();
    });
  },
});
server.on("error", () => {});
process.on("message", () => process.send!({ received }));
server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  process.send!({ port: typeof address === "object" && address ? address.port : 0 });
});
