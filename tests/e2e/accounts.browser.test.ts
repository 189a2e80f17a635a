import type { Page } from "playwright-core";
import { DEMO_FINANCE_EMAIL, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../scripts/demo/seed";
import {
  describeInBrowser,
  linkFromMailbox,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
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
    await signIn(page, DEMO_FINANCE_EMAIL, undefined, { totpSecret: DEMO_TOTP_SECRET });
    await page.getByText("Fiona Finance").waitFor();

    const res = await page.goto(`${site().url}/this/does/not/exist`);
    expect(res?.status()).toBe(404);
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
    await screenshot(page, "not-found");
  });

  it("Forgot password? -> the email in the mailbox -> a new password -> signed in, the other device signed out", async () => {
    // The backer is still signed in on their phone, where they read their mail.
    const phone = await newPage();
    await signIn(phone, "backer@example.com");

    const laptop = await newPage();
    await laptop.goto(`${site().url}/login`);
    await waitForHydration(laptop);
    await laptop.getByRole("link", { name: "Forgot password?" }).click();
    await laptop.waitForURL(/\/forgot-password/);
    await waitForHydration(laptop);
    await laptop.getByLabel("Email").fill("backer@example.com");
    await laptop.getByRole("button", { name: "Send the link" }).click();
    await laptop.getByText("a link to reset its password is on its way").waitFor();

    const link = await linkFromMailbox(phone, site().url, /https?:\/\/[^\s"<]+\/reset-password\?token=[\w-]+/);
    await phone.getByText("Reset your Colecta password").first().waitFor();
    await screenshot(phone, "mailbox-reset-email");

    await laptop.goto(link);
    await waitForHydration(laptop);
    await laptop.getByLabel("New password", { exact: true }).fill("a fresh start at last");
    await laptop.getByLabel("Repeat the new password").fill("a different one");
    await laptop.getByRole("button", { name: "Save and sign in" }).click();
    await laptop
      .getByText(/don.t match/i)
      .first()
      .waitFor();
    await screenshot(laptop, "reset-password-mismatch");
    await laptop.getByLabel("New password", { exact: true }).fill("a fresh start at last");
    await laptop.getByLabel("Repeat the new password").fill("a fresh start at last");
    await laptop.getByRole("button", { name: "Save and sign in" }).click();
    await laptop.getByRole("button", { name: "Sign out" }).waitFor();
    await screenshot(laptop, "reset-password-signed-in");

    // The reset signed every other device out, and the link works only once.
    await phone.goto(`${site().url}/me/pledges`);
    await phone.waitForURL(/\/login/);
    await laptop.goto(link);
    await laptop.getByRole("heading", { name: /link/i }).first().waitFor();
    expect(await laptop.getByLabel("New password", { exact: true }).count()).toBe(0);

    // The old password no longer opens the account; the new one does.
    const other = await newPage();
    await other.goto(`${site().url}/login`);
    await waitForHydration(other);
    await other.getByLabel("Email").fill("backer@example.com");
    await other.getByLabel("Password").fill(DEMO_PASSWORD);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.getByText("That email and password don't match an account.").waitFor();
    await signIn(other, "backer@example.com", "a fresh start at last");
  }, 90_000);
});

async function expectText(page: Page, text: string) {
  await page.getByText(text).first().waitFor();
}
