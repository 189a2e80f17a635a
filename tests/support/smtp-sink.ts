import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "./site";

export interface ReceivedMessage {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export type SinkMode = "accept" | "reject" | "defer";

/**
 * A real SMTP server process (smtp-sink-child.ts) on a fixed loopback port: `received` collects
 * what it accepted across restarts; it can be told to answer 550 or 451, stopped (connections
 * refused) and started again on the same port.
 */
export async function startSmtpSink() {
  const port = await freePort();
  const received: ReceivedMessage[] = [];
  let child: ChildProcess | undefined;
  const start = (mode: SinkMode = "accept") =>
    new Promise<void>((resolve, reject) => {
      child = fork(path.join(import.meta.dirname, "smtp-sink-child.ts"), {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, SINK_PORT: String(port), SINK_MODE: mode },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child.on("message", (m: { type: string } & ReceivedMessage) => {
        if (m.type === "ready") resolve();
        if (m.type === "message") received.push(m);
      });
      child.once("exit", (code) => reject(new Error(`smtp sink exited (${code})`)));
    });
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    start,
    stop,
    setMode: (mode: SinkMode) =>
      new Promise<void>((resolve) => {
        child!.once("message", () => resolve());
        child!.send({ mode });
      }),
  };
}
