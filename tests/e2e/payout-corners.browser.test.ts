import type { Page } from "playwright-core";
import {
  describeInBrowser,
  expectAccessible,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { TEST_TOTP_SECRET } from "../support/two-factor";
import { useSeededSite } from "../support/site";

// Money after the payout in a real browser: Fiona (finance, two-factor) opens the alerts (a
// refund the creator still owes, a transfer Stripe refused), resolves one with a note, and reads
// the campaign's "After the payout" section; both pages pass axe.

const PASSWORD = "payout-corners-password";

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("alerts and money after the payout in a real browser", () => {
  const seeded = useSeededSite<{ kettle: string; clock: string }>("payout-corners-state.ts");
  const newPage = useBrowser({ baseURL: () => seeded.site().url });
  const state = () => seeded.state();

  it("Fiona reads the alerts, resolves one with a note, and sees what the creator owes", async () => {
    const page = await newPage();
    await signIn(page, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await page.goto("/finance");
    await page.getByRole("link", { name: "See all alerts" }).click();
    await page.waitForURL(/\/finance\/alerts$/);
    await waitForHydration(page);
    await page.getByRole("heading", { name: "2 open alerts" }).waitFor();
    const owed = page.getByRole("listitem").filter({ hasText: "Refund not recovered from the creator" });
    await owed.getByText(/\$50\.00 refunded after the payout could not be taken back/).waitFor();
    await owed.getByRole("link", { name: "Solar Kettle" }).waitFor();
    const refused = page.getByRole("listitem").filter({ hasText: "Payout transfer refused" });
    await refused.getByRole("link", { name: "Tide Clock" }).waitFor();
    await expectAccessible(page);
    await shot(page, "finance-alerts");

    // Resolving asks for a note first.
    await refused.getByText("Resolve", { exact: true }).first().click();
    await refused.getByRole("button", { name: "Resolve" }).click();
    await refused.getByText(/at least 3 characters|Write a reason/i).waitFor();
    await refused.getByRole("textbox").fill("The creator connected a new bank account; retried from the statement.");
    await refused.getByRole("button", { name: "Resolve" }).click();
    await page.getByText("Alert resolved.").waitFor();
    await page.getByRole("heading", { name: "1 open alert" }).waitFor();
    await page.getByRole("heading", { name: "Recently resolved" }).waitFor();
    await page.getByRole("cell", { name: /Fiona Finance: The creator connected a new bank account/ }).waitFor();

    await page.goto(`/finance/campaigns/${state().kettle}`);
    await waitForHydration(page);
    const after = page.locator("section", { has: page.getByRole("heading", { name: "After the payout" }) });
    await after.getByRole("row", { name: /Refunded after the payout.*-\$50\.00/ }).waitFor();
    await after.getByRole("row", { name: /Owed by the creator.*\$50\.00/ }).waitFor();
    await after.getByRole("cell", { name: /^owed/ }).first().waitFor();
    await expectAccessible(page);
    await after.scrollIntoViewIfNeeded();
    await screenshot(page, "finance-after-payout");
  });
});
