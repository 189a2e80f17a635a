import { etagMatches, pageEtag, PageCache, pageNow } from "~/web/page-cache.server";

const parts = { build: "b1", url: "/projects/lumen", status: 200, handoff: '{"state":{"total":100}}' };

describe("the page cache", () => {
  it("names a page by everything its bytes depend on", () => {
    const etag = pageEtag(parts);
    expect(pageEtag({ ...parts })).toBe(etag);
    expect(pageEtag({ ...parts, handoff: '{"state":{"total":101}}' })).not.toBe(etag);
    expect(pageEtag({ ...parts, build: "b2" })).not.toBe(etag);
    expect(pageEtag({ ...parts, url: "/projects/lumen?lang=es" })).not.toBe(etag);
  });

  it("matches If-None-Match lists, weak or strong, and *", () => {
    const etag = pageEtag(parts);
    expect(etagMatches(`"other", ${etag}`, etag)).toBe(true);
    expect(etagMatches(`W/${etag}`, etag)).toBe(true);
    expect(etagMatches("*", etag)).toBe(true);
    expect(etagMatches('"other"', etag)).toBe(false);
    expect(etagMatches(null, etag)).toBe(false);
  });

  it("renders a page once for concurrent requests and serves it again", async () => {
    const cache = new PageCache(1024 * 1024);
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 10));
      return "<html><script>go()</script></html>";
    };
    const pages = await Promise.all([cache.get('"a"', render), cache.get('"a"', render), cache.get('"a"', render)]);
    await cache.get('"a"', render);
    expect(renders).toBe(1);
    expect(pages[0]!.scriptHashes).toHaveLength(1);
  });

  it("forgets the least recently used pages past its size, and retries a render that failed", async () => {
    const cache = new PageCache(3 * 2 * 100);
    const page = (n: number) => async () => String(n).padEnd(100, "x");
    for (const n of [1, 2, 3]) await cache.get(`"${n}"`, page(n));
    await cache.get('"1"', page(1)); // 1 is now the most recent
    await cache.get('"4"', page(4)); // evicts 2
    expect(cache.size).toBe(3);
    let rendered = false;
    await cache.get('"2"', async () => {
      rendered = true;
      return String(2).padEnd(100, "x");
    });
    expect(rendered).toBe(true);

    await expect(cache.get('"5"', () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(cache.get('"5"', page(5))).resolves.toMatchObject({ html: expect.stringMatching(/^5x/) });
  });

  it("gives a page's time to the minute, so its ETag holds within the minute", () => {
    expect(pageNow(new Date("2026-12-02T10:15:42.123Z"))).toBe("2026-12-02T10:15:00.000Z");
  });
});

describe("work shared by the loaders of one read", () => {
  it("is computed once inside a read's scope, and every time outside one", async () => {
    const { oncePerRead, runInReadScope } = await import("~/web/request-scope.server");
    let lookups = 0;
    const lookup = () => oncePerRead("user:t", async () => ++lookups);
    await runInReadScope(async () => {
      expect(await Promise.all([lookup(), lookup()])).toEqual([1, 1]);
    });
    await runInReadScope(async () => expect(await lookup()).toBe(2));
    await lookup();
    await lookup();
    expect(lookups).toBe(4);
  });
});

describe("the fresh window", () => {
  it("gives the page out within the window, lets one request renew it after, and gives the others the last copy meanwhile", async () => {
    const { recallFresh, rememberFresh } = await import("~/web/page-cache.server");
    const key = `/projects/window-${Math.random()}\n\n`;
    rememberFresh(key, { etag: '"v1"', status: 200, headers: [], html: "v1" });
    const at = Date.now();
    expect(recallFresh(key, 1, at + 500)?.etag).toBe('"v1"');
    expect(recallFresh(key, 1, at + 1_100)).toBeUndefined(); // this request renews it
    expect(recallFresh(key, 1, at + 1_200)?.etag).toBe('"v1"'); // the others get the last copy
    expect(recallFresh(key, 1, at + 3_400)).toBeUndefined(); // a renewal that never came is tried again
    rememberFresh(key, { etag: '"v2"', status: 200, headers: [], html: "v2" });
    expect(recallFresh(key, 1)?.etag).toBe('"v2"');
    expect(recallFresh(key, 1, Date.now() + 7_000)).toBeUndefined(); // too old to give out at all
    expect(recallFresh(key, 1, Date.now() + 7_100)).toBeUndefined();
  });
});
