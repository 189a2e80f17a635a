import fs from "node:fs";
import { createHash } from "node:crypto";
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

const PASSWORD = "finance-desk-password";

/** A full-page screenshot from the top (the sticky header otherwise lands mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("the audit log and the period close in a real browser", () => {
  const seeded = useSeededSite<{ kettle: string; backerEmail: string; earlier: string; later: string }>(
    "finance-audit-state.ts",
  );
  const newPage = useBrowser({ baseURL: () => seeded.site().url });
  const state = () => seeded.state();

  it("filters the audit log, closes the earlier month and downloads its frozen document", async () => {
    const page = await newPage();
    await signIn(page, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await page.goto(`${seeded.site().url}/finance`);
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await waitForHydration(page);
    await page.getByRole("cell", { name: "Payout prepared" }).first().waitFor();
    expect(await page.content()).not.toContain(state().backerEmail);
    await expectAccessible(page);
    await shot(page, "finance-audit-log");

    // Filter by action: only Sam's preparation is left.
    await page.getByLabel("Action").selectOption("payout.prepared");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=payout\.prepared/);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.getByRole("cell", { name: /Sam Second/ }).waitFor();
    await shot(page, "finance-audit-filtered");

    // A day that does not exist: the message is at the field, with a 400.
    const bad = await page.goto(`${seeded.site().url}/finance/audit?from=2026-02-30`);
    expect(bad?.status()).toBe(400);
    await page.getByText("Enter a day as YYYY-MM-DD (for example 2026-11-30).").waitFor();
    await expectAccessible(page);
    await shot(page, "finance-audit-bad-date");

    // The periods: the earlier past month closes first.
    await page.getByRole("link", { name: "Periods" }).click();
    await page.getByRole("heading", { name: "Periods", level: 1 }).waitFor();
    await waitForHydration(page);
    await page.locator(`#period-${state().later}`).getByText(`Close ${state().earlier} first`).waitFor();
    await expectAccessible(page);
    await shot(page, "finance-periods-open");
    await page.getByLabel("Reason (for the audit log)").fill("Month end: statements reviewed");
    await page.getByRole("button", { name: `Close ${state().earlier}` }).click();
    await page
      .getByText(new RegExp(`^${state().earlier} is closed: 4 lines frozen, sha256 [0-9a-f]{64}\\.$`))
      .waitFor();
    const row = page.locator(`#period-${state().earlier}`);
    await row.getByText("Document matches its checksum").waitFor();
    await row.getByText("Journal matches the frozen lines").waitFor();
    const checksum = await row.locator("[data-checksum]").getAttribute("data-checksum");
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    // Now the later month may close.
    await page.getByRole("button", { name: `Close ${state().later}` }).waitFor();
    await expectAccessible(page);
    await shot(page, "finance-periods-closed");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("link", { name: "Document (JSON)" }).click(),
    ]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    expect(createHash("sha256").update(text).digest("hex")).toBe(checksum);
    expect(JSON.parse(text)).toMatchObject({ month: state().earlier, totals: { lines: 4, transactions: 2 } });
    const [linesCsv] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("link", { name: "Lines (CSV)" }).click(),
    ]);
    expect(linesCsv.suggestedFilename()).toBe(`${state().earlier}-journal-lines.csv`);
    expect(
      fs
        .readFileSync((await linesCsv.path())!, "utf8")
        .trimEnd()
        .split("\r\n"),
    ).toHaveLength(5);

    // The close is in the audit log, by Fiona, linked to its month.
    await page.goto(`${seeded.site().url}/finance/audit?action=period.closed`);
    await page.getByRole("cell", { name: "Month end: statements reviewed" }).waitFor();
    await page.getByRole("cell", { name: /Fiona Finance/ }).waitFor();
    await shot(page, "finance-audit-period-closed");
  });
});
