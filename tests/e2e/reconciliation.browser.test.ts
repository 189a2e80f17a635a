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

// The reconciliation queue in a real browser: Fiona (finance, two-factor) opens the queue, takes
// the item a run found, is stopped at the note when she resolves without one, resolves it with a
// note, and sees who did what in its history; both pages pass axe.

const PASSWORD = "reconciliation-desk-password";

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("the reconciliation queue in a real browser", () => {
  const seeded = useSeededSite<{ refund: string; kettle: string }>("reconciliation-state.ts");
  const newPage = useBrowser({ baseURL: () => seeded.site().url });
  const state = () => seeded.state();

  it("Fiona takes the item a run found and resolves it with a note", async () => {
    const page = await newPage();
    await signIn(page, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await page.goto("/finance/reconciliation");
    await waitForHydration(page);
    await page.getByRole("heading", { name: "Queue" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "Stripe refund not in the ledger" });
    await row.getByText("Solar Kettle").waitFor();
    await row.getByText("$15.00").waitFor();
    // The Stripe refund is named (shortened, in full on hover).
    await row.locator(`code[title="${state().refund}"]`).waitFor();
    await row
      .getByRole("link", { name: "Solar Kettle" })
      .and(page.locator(`[href="/finance/campaigns/${state().kettle}"]`))
      .waitFor();
    await row.getByText("Open", { exact: true }).waitFor();
    await expectAccessible(page);
    await shot(page, "reconciliation-queue");

    // Take: she becomes the assignee and lands on the item.
    await row.getByRole("button", { name: /^Take item #\d+$/ }).click();
    await page.getByText("You took this item; it is now being investigated.").waitFor();
    await page.waitForURL(/\/finance\/reconciliation\/items\/\d+$/);
    await waitForHydration(page);
    await page.getByText("Investigating", { exact: true }).first().waitFor();

    // No note: stopped at the field.
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.getByText("Write a note: what you found and what was done.").waitFor();
    await page
      .getByLabel("Note", { exact: true })
      .fill("Support refunded it from the dashboard; booked by hand in the ledger");
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.getByText("Item resolved.").waitFor();
    const history = page.getByRole("table");
    await history.getByRole("row").filter({ hasText: "Investigating → Resolved" }).getByText("Fiona Finance").waitFor();
    await history.getByText(/^First seen by run #\d+$/).waitFor();
    await expectAccessible(page);
    await shot(page, "reconciliation-item-resolved");

    // Back in the queue, the default view (open and investigating) no longer lists it; the resolved view does.
    await page.getByRole("link", { name: "Back to the queue" }).click();
    await page.getByText("No items match these filters.").waitFor();
    await page.getByLabel("Status").selectOption("resolved");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=resolved/);
    await page
      .getByRole("row")
      .filter({ hasText: "Stripe refund not in the ledger" })
      .getByText("Resolved", { exact: true })
      .waitFor();
  });
});
