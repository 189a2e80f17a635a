import { generate } from "otplib";
import type { Page } from "playwright-core";
import { DEMO_FINANCE_EMAIL, DEMO_TOTP_SECRET } from "../../scripts/demo/seed";
import { describeInBrowser, screenshot, signIn, unusedCode, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

// A sign-in or approval may wait for the next 30-second code (each is accepted once).

/** A full-page screenshot from the top (the sticky header otherwise lands mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("two-factor authentication in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  it("enrols with the QR code's secret, shows the recovery codes once, then signs in with a code", async () => {
    const page = await newPage();
    await page.goto("/signup");
    await waitForHydration(page);
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel("Password").fill("compiler pioneer 1952");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();

    await page.goto("/settings/two-factor");
    await waitForHydration(page);
    await page.getByRole("heading", { name: "Two-factor authentication", level: 1 }).waitFor();
    await page.locator(".two-factor-qr svg").waitFor();
    const secret = (await page.locator(".two-factor-secret").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await shot(page, "two-factor-enrol");

    // A wrong code first: the server's answer shows at the field.
    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByText("That code is not right").waitFor();

    await page.getByLabel("Code from the app").fill(await unusedCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
    await expect(page.locator(".recovery-codes li").count()).resolves.toBe(10);
    const recovery = (await page.locator(".recovery-codes li").first().innerText()).trim();
    await shot(page, "two-factor-recovery-codes");

    // Shown once: a reload no longer has them.
    await page.reload();
    await page.getByText("Two-factor authentication is on.").first().waitFor();
    await expect(page.getByText(recovery).count()).resolves.toBe(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).first().waitFor();
    await page.goto("/login");
    await waitForHydration(page);
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel("Password").fill("compiler pioneer 1952");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    await waitForHydration(page);
    await page.getByLabel("Code", { exact: true }).fill("000000");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("That code is not right").waitFor();
    await shot(page, "two-factor-second-step-error");
    // A recovery code works in place of the app's.
    await page.getByLabel("Code", { exact: true }).fill(recovery);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  });

  it("lets a newcomer into the finance desk as the demo finance user with the demo code", async () => {
    const page = await newPage();
    await signIn(page, DEMO_FINANCE_EMAIL, undefined, { totpSecret: DEMO_TOTP_SECRET });
    await page.goto("/finance");
    await page.getByRole("heading", { name: "Finance desk" }).waitFor();
    await shot(page, "two-factor-finance-desk");
    expect(await generate({ secret: DEMO_TOTP_SECRET })).toMatch(/^\d{6}$/);
  });

  it("asks for the second step in Spanish too", async () => {
    const page = await newPage();
    await page.context().addCookies([{ name: "colecta_lang", value: "es", url: site().url }]);
    await page.goto("/login?lang=es");
    await waitForHydration(page);
    await page.getByLabel("Correo electrónico").fill(DEMO_FINANCE_EMAIL);
    await page.getByLabel("Contraseña").fill("demo-password");
    await page.getByRole("button", { name: "Entrar" }).click();
    await page.getByRole("heading", { name: "Introduce tu código" }).waitFor();
    await shot(page, "two-factor-second-step-es");
  });
});
