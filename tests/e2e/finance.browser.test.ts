import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { createTestDatabase } from "../support/database";
import { describeInBrowser, screenshot, signIn, unusedCode, useBrowser, waitForHydration } from "../support/browser";
import { TEST_TOTP_SECRET } from "../support/two-factor";
import { startSite, type RunningSite } from "../support/site";

// A sign-in or approval may wait for the next 30-second code (each is accepted once).

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "finance-desk-password";

/** A full-page screenshot from the top (the sticky header otherwise lands mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("the finance desk in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site.url });
  let site: RunningSite;
  let dataDir: string;
  let closeDb: (() => Promise<void>) | undefined;
  let state: { kettle: string; clock: string };

  beforeAll(async () => {
    // Seed the site's data directory (and database) first, then start the site on it.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "colecta-finance-"));
    const database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
    closeDb = database?.close;
    const env = { ...process.env, DATA_DIR: dataDir, ...(database?.url ? { DATABASE_URL: database.url } : {}) };
    const out = execFileSync(process.execPath, ["--import", "tsx", "tests/e2e/fixtures/finance-state.ts"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 90_000,
    });
    state = JSON.parse(out.trim().split("\n").pop()!);
    site = await startSite({ DATA_DIR: dataDir, ...(database?.url ? { DATABASE_URL: database.url } : {}) });
  }, 180_000);
  afterAll(async () => {
    await site?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await closeDb?.().catch(() => {});
  });

  it("reviews a statement, refunds a pledge, approves another user's payout and downloads the CSV", async () => {
    const page = await newPage();
    await signIn(page, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await page.getByRole("link", { name: "Finance" }).first().click();
    await page.getByRole("heading", { name: "Finance desk" }).waitFor();
    await page.getByText("Tide Clock: payout of").waitFor();
    await page.getByText("has not connected a payout account").waitFor();
    await shot(page, "finance-overview");

    // The statement of a settled campaign, balanced, with every line drillable.
    await page.getByRole("link", { name: "Solar Kettle" }).first().click();
    await page.getByRole("heading", { name: "Solar Kettle" }).waitFor();
    await page.getByText("Balance check").waitFor();
    await expect(page.locator(".line-check .num").innerText()).resolves.toMatch(/^\$0\.00 ✓$/);
    await shot(page, "finance-statement");

    await page.getByRole("link", { name: "Pledges behind Collected" }).first().click();
    await page.getByRole("heading", { name: "Collected" }).waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(4);
    await shot(page, "finance-line-collected");
    await page.getByRole("link", { name: "Pledge by Backer 1" }).click();
    await page.getByRole("heading", { name: /^Pledge / }).waitFor();
    await waitForHydration(page);

    // A mistake first: it shows at the field and keeps what was typed.
    await page.getByLabel("Amount (USD)").fill("500");
    await page.getByRole("button", { name: "Issue refund" }).click();
    await page.getByText("At most $125.00 can be refunded").waitFor();
    await expect(page.getByLabel("Amount (USD)").inputValue()).resolves.toBe("500");
    await shot(page, "finance-refund-error");

    await page.getByLabel("Amount (USD)").fill("25");
    await page.getByLabel("Reason (for the audit log)").fill("Reward arrived damaged");
    await page.getByRole("button", { name: "Issue refund" }).click();
    await page.getByText(/Refunded \$25\.00\. Stripe refund re_/).waitFor();
    await page.getByRole("cell", { name: "Reward arrived damaged" }).first().waitFor();
    await expect(page.locator(".fin-top .fin-badge").innerText()).resolves.toBe("Partly refunded");
    await shot(page, "finance-pledge-refunded");

    // The payout that Sam prepared: Fiona approves it; the statement freezes.
    await page.goto(`${site.url}/finance/campaigns/${state.clock}`);
    await waitForHydration(page);
    await page.getByText("Prepared by").waitFor();
    await shot(page, "finance-payout-prepared");
    await page.getByLabel("Reason (for the audit log)").fill("Statement checked against Stripe");
    await page
      .getByLabel("Code from your authenticator app")
      .fill(await unusedCode(TEST_TOTP_SECRET, "fiona@finance.test"));
    await page.getByRole("button", { name: /^Approve payout of/ }).click();
    await page.getByText(/^Paid \$[\d,.]+ \(transfer tr_/).waitFor();
    await page.getByText(/^Frozen · sha256 [0-9a-f]{64}$/).waitFor();
    await shot(page, "finance-payout-paid");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/-statement\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("section,item,count,amount_minor_units,amount,currency,effect,reference");
    expect(csv).toMatch(/statement,Balance check,,0,\$0\.00,USD,balanced,\r\n/);
    expect(csv).toMatch(/frozen,sha256,,,,,,[0-9a-f]{64}\r\n/);

    // Reconciliation after all that: everything matches.
    await page.getByRole("link", { name: "Reconciliation" }).click();
    await waitForHydration(page);
    await page.getByRole("button", { name: "Run now" }).click();
    await page.getByText(/^Reconciled: all \d+ objects match\.$/).waitFor();
    await shot(page, "finance-reconciliation");
  });

  it("a creator whose funded campaign waits connects a payout account through Stripe's onboarding", async () => {
    const page = await newPage();
    await signIn(page, "loom@creator.test", PASSWORD);
    await page.goto(`${site.url}/creator/payouts`);
    await waitForHydration(page);
    await page.getByRole("alert").filter({ hasText: "waiting for your payout account: Pocket Loom" }).waitFor();
    await shot(page, "creator-payouts-waiting");
    await page.getByRole("button", { name: "Connect payout account" }).click();
    await page.getByRole("button", { name: "Complete onboarding (test mode)" }).click();
    await page.waitForURL(/\/creator\/payouts\?connected=1$/);
    await page.getByRole("heading", { name: "Ready to receive payouts" }).waitFor();
    await page.getByText("Your payout account is connected.").waitFor();
    await shot(page, "creator-payouts-connected");

    // The finance desk no longer waits for it.
    const desk = await newPage();
    await signIn(desk, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await desk.goto(`${site.url}/finance`);
    await desk.getByRole("heading", { name: "Finance desk" }).waitFor();
    await expect(desk.getByText("has not connected a payout account").count()).resolves.toBe(0);
  });

  it("the preparer cannot approve their own payout", async () => {
    const page = await newPage();
    await signIn(page, "sam@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    // Sam prepares Solar Kettle's payout, then tries to approve it.
    await page.goto(`${site.url}/finance/campaigns/${state.kettle}`);
    await waitForHydration(page);
    await page.getByLabel("Reason (for the audit log)").fill("Settlement closed");
    await page.getByRole("button", { name: /^Prepare payout of/ }).click();
    await page.getByText(/prepared \(platform fee .* booked\)/).waitFor();
    await page
      .getByRole("note")
      .filter({ hasText: "You prepared this payout, so another finance user must approve it (four-eyes rule)." })
      .waitFor();
    await expect(page.getByRole("button", { name: /^Approve payout of/ }).count()).resolves.toBe(0);
    await shot(page, "finance-four-eyes");
  });
});
