import { safeRedirect } from "~/web/safe-redirect";

describe("safeRedirect", () => {
  it.each([
    ["/projects/solar-kettle", "/projects/solar-kettle"],
    ["/me/pledges?tab=active#top", "/me/pledges?tab=active#top"],
  ])("follows the same-site path %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil",
    "",
    "/\t/evil.example",
    null,
    undefined,
  ])("refuses %s and falls back", (input) => {
    expect(safeRedirect(input as string, "/home")).toBe("/home");
  });
});
