import { isCrossSiteRequest } from "~/web/same-origin";

const host = "colecta.example";

describe("cross-site form posts", () => {
  it("lets reads through whatever their origin", () => {
    expect(
      isCrossSiteRequest({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site", host }),
    ).toBe(false);
  });
  it("accepts a post from the site's own pages", () => {
    expect(
      isCrossSiteRequest({ method: "POST", origin: "https://colecta.example", secFetchSite: "same-origin", host }),
    ).toBe(false);
  });
  it("refuses a post from another site", () => {
    expect(
      isCrossSiteRequest({ method: "POST", origin: "https://evil.example", secFetchSite: "cross-site", host }),
    ).toBe(true);
    expect(
      isCrossSiteRequest({
        method: "DELETE",
        origin: "https://colecta.example.evil.example",
        secFetchSite: null,
        host,
      }),
    ).toBe(true);
  });
  it("refuses opaque origins and cross-site fetch metadata without an Origin", () => {
    expect(isCrossSiteRequest({ method: "POST", origin: "null", secFetchSite: null, host })).toBe(true);
    expect(isCrossSiteRequest({ method: "POST", origin: null, secFetchSite: "cross-site", host })).toBe(true);
  });
  it("accepts the configured public origin behind a proxy", () => {
    expect(
      isCrossSiteRequest({
        method: "POST",
        origin: "https://colecta.example",
        secFetchSite: "same-origin",
        host: "10.0.0.5:3000",
        allowedOrigins: ["https://colecta.example"],
      }),
    ).toBe(false);
  });
});
