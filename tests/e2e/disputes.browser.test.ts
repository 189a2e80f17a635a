import type { Page } from "playwright-core";
import {
  describeInBrowser,
  expectAccessible,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { useSeededSite } from "../support/site";
import { TEST_TOTP_SECRET } from "../support/two-factor";

// Fiona answers a dispute from the finance desk: she sees the deadline, sends evidence, and the
// bank's decision (Stripe's webhook to the running site) shows on the pledge.

const PASSWORD = "finance-desk-password";

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

describeInBrowser("a dispute on the finance desk, in a real browser", () => {
  const seeded = useSeededSite<{ pledge: string; dispute: string }>("dispute-state.ts");
  const newPage = useBrowser({ baseURL: () => seeded.site().url });
  const state = () => seeded.state();

  it("Fiona sees the deadline, submits evidence, and the dispute's outcome shows", async () => {
    const page = await newPage();
    await signIn(page, "fiona@finance.test", PASSWORD, { totpSecret: TEST_TOTP_SECRET });
    await page.goto("/finance");
    await page.getByRole("heading", { name: "Finance desk" }).waitFor();
    const row = page.locator("li", { hasText: "Dora Backer disputed" });
    await row.getByText("Needs a response").waitFor();
    await row.getByText("evidence due").waitFor();
    await shot(page, "disputes-desk");

    await row.getByRole("link", { name: "Pledge" }).click();
    await page.getByRole("heading", { name: "Disputes" }).waitFor();
    await waitForHydration(page);
    const disputes = page.locator("section", { has: page.getByRole("heading", { name: "Disputes" }) });
    await disputes.getByText("Needs a response").waitFor();
    await disputes.getByText("Fraudulent").waitFor();
    await expect(disputes.getByTestId("dispute-due").innerText()).resolves.toMatch(/\d{4}.*UTC$/);
    await expectAccessible(page);
    await shot(page, "disputes-pledge-open");

    // Nothing filled in: the message is at the field, nothing is sent.
    await page.getByLabel("Reason (for the audit log)").fill("Backer received the kit");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Submit evidence" }).click();
    // A loaded CI machine can take a while to render the form's answer.
    await page.getByText("Fill in at least one piece of evidence.").waitFor({ timeout: 30_000 });
    await shot(page, "disputes-evidence-error");

    await page.getByLabel("What the backer pledged for").fill("The Glaze Lab starter kit, the Supporter reward");
    await page.getByLabel("Anything else the bank should know").fill("winning_evidence");
    await page.getByRole("button", { name: "Submit evidence" }).click();
    await page.getByText(`Evidence submitted to the bank (dispute ${state().dispute})`).waitFor();
    await page.getByText("Evidence was submitted; the bank is reviewing it.").waitFor();
    await expectAccessible(page);
    await shot(page, "disputes-evidence-submitted");

    // The bank decides a moment later; Stripe's webhook tells the site.
    for (let i = 0; i < 40; i++) {
      await page.reload();
      if (await page.getByText("Won: funds reinstated").count()) break;
      await page.waitForTimeout(500);
    }
    await page.getByText("Won: funds reinstated").waitFor();
    await expect(page.locator(".fin-top .fin-badge").innerText()).resolves.toBe("Charged");
    await page.getByText("This dispute is closed: evidence can no longer be submitted.").waitFor();
    await expectAccessible(page);
    await shot(page, "disputes-won");
  });
});
