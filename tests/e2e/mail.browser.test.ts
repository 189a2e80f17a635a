import { describeInBrowser, screenshot, signIn, useBrowser, waitForHydration } from "../support/browser";
import { DEMO_FINANCE_EMAIL, DEMO_TOTP_SECRET } from "../../scripts/demo/seed";
import { useSite } from "../support/site";

// The site as `npm start` runs it with no SMTP_URL: the delivery worker sends the demo's emails
// over SMTP to the embedded catcher, and /mailbox shows what it received.

describeInBrowser("email in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  it("shows the mail the catcher received, its HTML version, and saves notification preferences", async () => {
    const page = await newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, "backer@example.com");

    // Delivery runs in the background: the demo's emails arrive within moments.
    const deadline = Date.now() + 60_000;
    await page.goto("/mailbox");
    while ((await page.locator(".mail-list li").count()) === 0 && Date.now() < deadline) {
      await page.waitForTimeout(1_000);
      await page.reload();
    }
    expect(await page.locator(".mail-list li").count()).toBeGreaterThan(0);
    await page.locator(".mail-list summary").first().click();
    await screenshot(page, "mailbox");
    const [popup] = await Promise.all([
      page.waitForEvent("popup"),
      page.getByRole("link", { name: "Open the HTML version" }).first().click(),
    ]);
    await popup.waitForLoadState();
    expect(await popup.locator("html").getAttribute("lang")).toBe("en");
    expect(await popup.locator("a[href^='http']").count()).toBeGreaterThan(0);
    await screenshot(popup, "mailbox-html");
    await popup.close();

    await page.goto("/settings/notifications");
    await waitForHydration(page);
    await page.getByLabel("Campaign updates").uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByText("Your preferences are saved.").waitFor();
    expect(await page.getByLabel("Campaign updates").isChecked()).toBe(false);
    expect(await page.getByLabel("Reminders").isChecked()).toBe(true);
    await screenshot(page, "settings-notifications");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(problems).toEqual([]);
  });

  it("shows staff the delivery problems page", async () => {
    const page = await newPage();
    await signIn(page, DEMO_FINANCE_EMAIL, undefined, { totpSecret: DEMO_TOTP_SECRET });
    await page.goto("/staff/emails");
    await page.getByRole("heading", { name: "Email delivery problems" }).waitFor();
    await screenshot(page, "staff-emails");
  });
});
