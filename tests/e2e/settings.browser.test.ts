import { describeInBrowser, screenshot, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

describeInBrowser("the settings area in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  it("a new account sees the verify banner, reaches every settings page and gets field errors", async () => {
    const page = await newPage();
    await page.goto(`${site().url}/signup`);
    await waitForHydration(page);
    await page.getByLabel("Name").fill("Katherine Johnson");
    await page.getByLabel("Email").fill("katherine@example.com");
    await page.getByLabel("Password").fill("orbital mechanics 1962");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${site().url}/`);
    await page.getByText("Please confirm your email address").waitFor();
    await page.getByRole("button", { name: "Send the link again" }).click();
    await page.getByText("A new link is on its way").waitFor();
    await screenshot(page, "verify-banner");

    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.waitForURL(/\/settings$/);
    await page.getByRole("heading", { name: "Profile" }).waitFor();
    await screenshot(page, "settings-profile");

    for (const [path, heading] of [
      ["/settings/email", "Email address"],
      ["/settings/password", "Password"],
      ["/settings/sessions", "Where you're signed in"],
      ["/settings/delete", "Delete your account"],
    ] as const) {
      await page.goto(`${site().url}${path}`);
      await waitForHydration(page);
      await page.getByRole("heading", { name: heading, exact: true }).waitFor();
      await screenshot(page, `settings-${path.split("/").pop()}`);
    }

    await page.goto(`${site().url}/settings/password`);
    await waitForHydration(page);
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill("a much better password");
    await page.getByLabel("Repeat the new password").fill("a much better password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("That isn't your current password.").waitFor();
    await screenshot(page, "settings-password-error");
  });

  it("forgot password answers the same for any address", async () => {
    const page = await newPage();
    await page.goto(`${site().url}/login`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(/\/forgot-password/);
    await waitForHydration(page);
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText("If an account uses that address").waitFor();
    await screenshot(page, "forgot-password-sent");
  });
});
