import http from "node:http";
import { startSite, waitFor, type RunningSite } from "../support/site";

// `npm start` with WEB_CONCURRENCY=2 on a PostgreSQL server: two web processes share the port,
// a killed one is replaced while the other keeps serving, and Ctrl-C stops them all.

const serverUrl = process.env.TEST_DATABASE_URL;

/** The pid of the web process that answered, over a fresh connection (so the primary picks again). */
function servedBy(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/healthz`, { agent: false, timeout: 2_000 }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body).pid) : reject(new Error(body))));
      })
      .on("timeout", function (this: http.ClientRequest) {
        this.destroy(new Error("no answer within 2 s"));
      })
      .on("error", reject);
  });
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!serverUrl)("the web server on every core", () => {
  let site: RunningSite | undefined;
  afterAll(async () => {
    await site?.stop();
  });

  it("serves from two processes, replaces one that is killed without dropping service, and stops cleanly", async () => {
    site = await startSite({ WEB_CONCURRENCY: "2" });
    await waitFor(
      async () => site!.output().includes("2 processes on one port"),
      30_000,
      () => site!.output(),
    );
    const seen = new Set<number>();
    await waitFor(async () => (seen.add(await servedBy(site!.url)), seen.size === 2), 20_000);
    expect(seen.has(site.pid)).toBe(false);

    const [victim, survivor] = [...seen] as [number, number];
    process.kill(victim, "SIGKILL");
    // Service goes on: the survivor answers until the replacement listens. (A connection handed
    // to the victim in the instant it died may be lost, as with any crash.)
    const answeredBy = new Set<number>();
    await waitFor(
      async () => {
        const pid = await servedBy(site!.url).catch(() => null);
        if (pid === null) return false;
        answeredBy.add(pid);
        return pid !== survivor && pid !== victim;
      },
      60_000,
      () => site!.output(),
    );
    expect(answeredBy.has(victim)).toBe(false);
    expect(answeredBy.has(survivor)).toBe(true);
    expect(site.output()).toMatch(new RegExp(`Web process ${victim} exited \\(SIGKILL\\); starting another`));
    const workers = [...answeredBy, survivor];

    const code = await site.stop();
    site = undefined;
    expect(code).toBe(0);
    for (const pid of workers) expect(alive(pid), `web process ${pid} still running`).toBe(false);
  }, 150_000);
});
