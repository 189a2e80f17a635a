import type { Page } from "playwright-core";
import { describeInBrowser, screenshot, signIn, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

describeInBrowser("accounts in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  it("signs up, signs out and signs back in through the real pages", async () => {
    const page = await newPage();
    await page.goto(`${site().url}/`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "Sign up" }).first().click();
    await page.waitForURL(/\/signup/);
    await waitForHydration(page);

    // A mistake first: it shows beside the field and keeps the typed values.
    await page.getByLabel("Name").fill("Margaret Hamilton");
    await page.getByLabel("Email").fill("margaret@example.com");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use at least 10 characters.").waitFor();
    await screenshot(page, "signup-error");

    await page.getByLabel("Password").fill("apollo guidance computer");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${site().url}/`);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await expectText(page, "Margaret Hamilton");
    await screenshot(page, "home-signed-in");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).first().waitFor();

    await page.getByRole("link", { name: "Sign in" }).first().click();
    await page.waitForURL(/\/login/);
    await waitForHydration(page);
    await page.getByLabel("Email").fill("margaret@example.com");
    await page.getByLabel("Password").fill("wrong password!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That email and password don't match an account.").waitFor();
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe("margaret@example.com");
    await screenshot(page, "login-error");

    await page.getByLabel("Password").fill("apollo guidance computer");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${site().url}/`);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await screenshot(page, "accounts-signed-in");
  });

  it("the demo users exist and the 404 page is a real page", async () => {
    const page = await newPage();
    await signIn(page, "finance@example.com");
    await page.getByText("Fiona Finance").waitFor();

    const res = await page.goto(`${site().url}/this/does/not/exist`);
    expect(res?.status()).toBe(404);
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
    await screenshot(page, "not-found");
  });
});

async function expectText(page: Page, text: string) {
  await page.getByText(text).first().waitFor();
}
