import type { Locator, Page } from "playwright-core";
import { DEMO_FINANCE_EMAIL, DEMO_TOTP_SECRET } from "../../scripts/demo/seed";
import {
  describeInBrowser,
  expectAccessible,
  screenshot,
  signIn,
  unusedCode,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { useSite } from "../support/site";

// Add-ons and late pledges in a real browser, on the demo data. A new backer chooses the Lumen
// lantern with two add-ons (too many spares first: the server refuses it at that field), signs up
// on the way, pays on Stripe's hosted page and finds the add-ons on the receipt, then adds one
// more strap. A second new backer pledges late to the funded Kintsugi kit and is charged at once.
// On the finance desk, Fiona prepares the further payout of the late pledges' money and may not
// approve it herself; Omar, the second finance user, approves it and it is paid.

const LUMEN = "/projects/lumen-solar-lantern";
const KINTSUGI = "/projects/kintsugi-repair-kit";
const SPARE = "Spare Lumen lantern";
const STRAP = "Braided carry strap";
const SECOND_FINANCE_EMAIL = "finance2@example.com";

/** A full-page screenshot from the top (the sticky header otherwise lands mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

/** The number in a money text as the page writes it: "$1,059.00" -> 1059, "¥8,300" -> 8300. */
function amountIn(text: string): number {
  const found = text.match(/\d[\d,]*(?:\.\d+)?/);
  if (!found) throw new Error(`No amount in ${JSON.stringify(text)}`);
  return Number(found[0].replaceAll(",", ""));
}

async function amountOf(locator: Locator) {
  return amountIn(await locator.innerText());
}

async function payOnHostedCheckout(page: Page) {
  await page.waitForURL(/\/c\/pay\//);
  await page.getByLabel("Card number").fill("4242424242424242");
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.locator("form button[type=submit]").click();
}

/** The amount beside a receipt line (its <dd>), by the line's exact words. */
function receiptAmount(page: Page, line: string) {
  return page.locator("dl.receipt dt", { hasText: line }).locator("xpath=following-sibling::dd[1]");
}

describeInBrowser("add-ons and late pledges in a real browser", () => {
  const site = useSite();
  const newPage = useBrowser({ baseURL: () => site().url });

  it("a backer adds two add-ons, is refused too many, pays, raises one; a late pledge is charged at once and paid out with four eyes", async () => {
    // The demo's seeding approved the first payout as Omar with the code of its moment, and the
    // server takes each code once per account: his codes in this walk start after the current one.
    await unusedCode(DEMO_TOTP_SECRET, SECOND_FINANCE_EMAIL);

    // 1. A visitor chooses the reward and its add-ons first, and signs up on the way.
    const backer = await newPage();
    await backer.goto(`${LUMEN}/pledge`);
    await waitForHydration(backer);
    const lantern = backer.getByRole("radio", { name: /^Lumen lantern/ });
    await lantern.check();
    await backer.getByLabel("Ship to").selectOption("US");
    const addOns = backer.getByRole("group", { name: "Add-ons" });
    const spare = addOns.getByLabel(SPARE);
    const strap = addOns.getByLabel(STRAP);
    await spare.fill("4");
    await strap.fill("2");
    await expect(spare.getAttribute("name")).resolves.toMatch(/^addOns\.[0-9a-f-]{36}$/);
    await backer.getByRole("button", { name: "Sign in to continue" }).click();
    await backer.waitForURL(/\/login\?redirectTo=/);
    await backer.getByRole("link", { name: "Create an account" }).click();
    await backer.waitForURL(/\/signup\?redirectTo=/);
    await waitForHydration(backer);
    await backer.getByLabel("Name").fill("Ada Addison");
    await backer.getByLabel("Email").fill(`ada-${Date.now()}@example.com`);
    await backer.getByLabel("Password").fill("a lantern for every tent");
    await backer.getByRole("button", { name: "Create account" }).click();

    // Back on the pledge page with the choice kept; the server refuses a fourth spare at its field.
    await backer.waitForURL(/\/pledge\?/);
    await waitForHydration(backer);
    await expect(lantern.isChecked()).resolves.toBe(true);
    await expect(backer.getByLabel("Ship to").inputValue()).resolves.toBe("US");
    await expect(spare.inputValue()).resolves.toBe("4");
    await expect(strap.inputValue()).resolves.toBe("2");
    await backer.getByRole("button", { name: "Continue to secure checkout" }).click();
    const spareChoice = addOns.locator(".add-on-choice", { has: backer.getByLabel(SPARE) });
    const refusal = spareChoice.getByText(`“${SPARE}” is limited to 3 per backer.`);
    await refusal.waitFor();
    expect(backer.url()).toMatch(/\/pledge\?/);
    await expect(spare.getAttribute("aria-invalid")).resolves.toBe("true");
    const errorId = await refusal.getAttribute("id");
    expect(errorId).toBeTruthy();
    await expect(spare.getAttribute("aria-describedby")).resolves.toContain(errorId!);
    await expect(spare.inputValue()).resolves.toBe("4");
    await expect(
      addOns
        .locator(".add-on-choice", { has: backer.getByLabel(STRAP) })
        .locator(".field-error")
        .count(),
    ).resolves.toBe(0);
    // The reply shows while the loaders revalidate: the button is ready again once they are done.
    await backer.getByRole("button", { name: "Continue to secure checkout" }).waitFor();
    await shot(backer, "add-ons-pledge-refused");
    await expectAccessible(backer);

    // One spare: the total is the reward, the add-ons and every shipping, read off the page.
    await spare.fill("1");
    await expect(refusal.count()).resolves.toBe(0);
    const lanternPrice = await amountOf(lantern.locator("xpath=..").locator(".tier-price"));
    const lanternShipping = amountIn(
      (await backer.getByLabel("Ship to").locator("option:checked").innerText()).split("+")[1]!,
    );
    const sparePrice = await amountOf(spareChoice.locator(".tier-price"));
    const spareHint = await spareChoice.getByText(/shipping each to United States/).innerText();
    const spareShipping = amountIn(spareHint.match(/\+(\S+) shipping each to United States/)![1]!);
    const strapPrice = await amountOf(
      addOns.locator(".add-on-choice", { has: backer.getByLabel(STRAP) }).locator(".tier-price"),
    );
    expect([lanternPrice, lanternShipping, sparePrice, spareShipping, strapPrice]).toEqual([59, 10, 45, 4, 8]);
    const total = lanternPrice + lanternShipping + sparePrice + spareShipping + 2 * strapPrice;
    const totalOnPage = backer.locator(".pledge-total strong");
    await backer.locator(".pledge-total strong", { hasText: `$${total}.00` }).waitFor();
    expect(await amountOf(totalOnPage)).toBe(total);
    await backer
      .getByText(
        `$${lanternPrice}.00 pledge + $${sparePrice + 2 * strapPrice}.00 add-ons + $${lanternShipping + spareShipping}.00 shipping`,
      )
      .waitFor();
    await shot(backer, "add-ons-pledge-form");

    await backer.getByRole("button", { name: "Continue to secure checkout" }).click();
    await payOnHostedCheckout(backer);
    await backer.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?confirmed=1/);
    await backer.getByText("Thank you! Your pledge is confirmed.").waitFor();
    const pledgeUrl = backer.url().split("?")[0]!;
    await backer.locator("dl.receipt").getByText(`${SPARE} × 1`, { exact: true }).waitFor();
    await backer.locator("dl.receipt").getByText(`${STRAP} × 2`, { exact: true }).waitFor();
    expect(await amountOf(receiptAmount(backer, `${SPARE} × 1`))).toBe(sparePrice);
    expect(await amountOf(receiptAmount(backer, `${STRAP} × 2`))).toBe(2 * strapPrice);
    expect(await amountOf(receiptAmount(backer, "Shipping to United States"))).toBe(lanternShipping + spareShipping);
    expect(await amountOf(backer.locator("dd.receipt-total"))).toBe(total);
    await shot(backer, "add-ons-receipt");
    await expectAccessible(backer);

    // 2. One more strap from the change form: the card is charged at the deadline, so no payment page.
    await backer.goto(pledgeUrl);
    await waitForHydration(backer);
    const change = backer.locator("section", { has: backer.getByRole("heading", { name: "Change your pledge" }) });
    const changeStrap = change.getByLabel(STRAP);
    await expect(changeStrap.inputValue()).resolves.toBe("2");
    await expect(change.getByLabel(SPARE).inputValue()).resolves.toBe("1");
    await changeStrap.fill("3");
    await change.getByRole("button", { name: "Save changes" }).click();
    await backer.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?changed=1$/);
    await backer.getByText("Your pledge was changed.").waitFor();
    await backer.locator("dl.receipt").getByText(`${STRAP} × 3`, { exact: true }).waitFor();
    await expect(backer.locator("dl.receipt").getByText(`${STRAP} × 2`, { exact: true }).count()).resolves.toBe(0);
    expect(await amountOf(receiptAmount(backer, `${STRAP} × 3`))).toBe(3 * strapPrice);
    expect(await amountOf(backer.locator("dd.receipt-total"))).toBe(total + strapPrice);
    await expect(change.getByLabel(STRAP).inputValue()).resolves.toBe("3");
    await shot(backer, "add-ons-changed");
    await expectAccessible(backer);

    // 3. A late pledge: the funded Kintsugi kit takes them, for a reward, charged at once.
    const late = await newPage();
    await late.goto("/signup");
    await waitForHydration(late);
    await late.getByLabel("Name").fill("Kenji Late");
    await late.getByLabel("Email").fill(`kenji-${Date.now()}@example.com`);
    await late.getByLabel("Password").fill("gold in the cracks, please");
    await late.getByRole("button", { name: "Create account" }).click();
    await late.getByRole("button", { name: "Sign out" }).waitFor();
    await late.goto(KINTSUGI);
    await waitForHydration(late);
    await late.getByText(/^Funded — late pledges are open until .+\.$/).waitFor();
    await shot(late, "add-ons-late-project");
    await late.getByRole("link", { name: "Pledge now" }).click();
    await late.waitForURL(/\/projects\/kintsugi-repair-kit\/pledge$/);
    await waitForHydration(late);
    await late.getByText(/^This project is funded\. Late pledges are open until .+\.$/).waitFor();
    await late.getByText("your card is charged as soon as you confirm on Stripe's page").waitFor();
    // No add-ons and no "No reward" choice for a late pledge.
    await expect(late.getByRole("group", { name: "Add-ons" }).count()).resolves.toBe(0);
    await expect(late.getByRole("radio", { name: /^No reward/ }).count()).resolves.toBe(0);
    await late.getByRole("radio", { name: /^Starter kit/ }).check();
    await late.getByLabel("Ship to").selectOption("JP");
    const lateTotal = await amountOf(late.locator(".pledge-total strong"));
    expect(lateTotal).toBeGreaterThan(0);
    await shot(late, "add-ons-late-pledge-form");
    await late.getByRole("button", { name: "Continue to secure checkout" }).click();
    await late.waitForURL(/\/c\/pay\//);
    await late
      .getByText(new RegExp(lateTotal.toLocaleString("en-US")))
      .first()
      .waitFor();
    await payOnHostedCheckout(late);
    await late.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?confirmed=1/);
    await late
      .locator(".pledge-head .status")
      .filter({ hasText: /^Charged$/ })
      .waitFor();
    await late.getByText("Your card was charged.").first().waitFor();
    expect(await amountOf(late.locator("dd.receipt-total"))).toBe(lateTotal);
    await late
      .locator("dl.receipt")
      .getByText(/^Paid ¥[\d,]+/)
      .waitFor();
    // A charged late pledge can no longer be changed from this page.
    await expect(late.getByRole("heading", { name: "Change your pledge" }).count()).resolves.toBe(0);
    await shot(late, "add-ons-late-charged");
    await expectAccessible(late);

    // 4. Fiona prepares the further payout of the late pledges' money from the statement page.
    const fiona = await newPage();
    await signIn(fiona, DEMO_FINANCE_EMAIL, undefined, { totpSecret: DEMO_TOTP_SECRET });
    await fiona.goto("/finance");
    await fiona.getByRole("heading", { name: "Finance desk" }).waitFor();
    await fiona
      .getByRole("link", { name: /^Kintsugi Kit/ })
      .first()
      .click();
    await fiona.waitForURL(/\/finance\/campaigns\/[0-9a-f-]{36}$/);
    await waitForHydration(fiona);
    const statementUrl = fiona.url();
    const payoutSection = fiona.locator("section[aria-labelledby=payout-title]");
    await payoutSection.locator("header").getByText("Paid", { exact: true }).waitFor();
    const lateSection = fiona.locator("section[aria-labelledby=late-title]");
    await lateSection.getByRole("heading", { name: "Late pledges" }).waitFor();
    // The demo's late pledges and this one.
    const lead = await lateSection.getByText(/^\d+ late pledges?, charged after the deadline/).innerText();
    expect(Number(lead.match(/^\d+/)![0])).toBeGreaterThanOrEqual(1);
    for (const line of ["Collected from late pledges", "Stripe fees", "Still due to the creator", "Balance check"])
      await lateSection.getByRole("cell", { name: line, exact: true }).waitFor();
    await expect(lateSection.locator(".line-check .num").innerText()).resolves.toBe("✓");
    const collected = lateSection.getByRole("row", { name: /^Collected from late pledges/ }).locator(".num");
    expect(await amountOf(collected)).toBeGreaterThanOrEqual(lateTotal);
    await lateSection.getByText("No further payout yet.").waitFor();
    await lateSection.getByRole("heading", { name: "Prepare a further payout" }).waitFor();
    await shot(fiona, "add-ons-finance-late-before");
    await expectAccessible(fiona);

    await lateSection.getByLabel("Reason (for the audit log)").fill("Late pledges reconciled against Stripe");
    await lateSection.getByRole("button", { name: /^Prepare payout of/ }).click();
    const fourEyes = "You prepared this payout, so another finance user must approve it (four-eyes rule).";
    await lateSection.getByRole("note").filter({ hasText: fourEyes }).waitFor();
    await lateSection.locator(".fin-late-payout strong", { hasText: /^Payout 2$/ }).waitFor();
    await lateSection.getByText("Prepared, awaiting approval").waitFor();
    await expect(fiona.getByRole("button", { name: /^Approve payout of/ }).count()).resolves.toBe(0);
    await expect(lateSection.getByRole("heading", { name: "Approve the further payout" }).count()).resolves.toBe(0);
    await shot(fiona, "add-ons-finance-late-prepared");

    // 5. Omar, in his own browser, approves it with a fresh code; it is paid.
    const omar = await newPage();
    await signIn(omar, SECOND_FINANCE_EMAIL, undefined, { totpSecret: DEMO_TOTP_SECRET });
    await omar.goto(statementUrl);
    await waitForHydration(omar);
    const omarLate = omar.locator("section[aria-labelledby=late-title]");
    await omarLate.getByRole("heading", { name: "Approve the further payout" }).waitFor();
    await expect(omarLate.getByRole("note").filter({ hasText: fourEyes }).count()).resolves.toBe(0);
    await omarLate.getByLabel("Reason (for the audit log)").fill("Four eyes: late statement checked");
    await omarLate
      .getByLabel("Code from your authenticator app")
      .fill(await unusedCode(DEMO_TOTP_SECRET, SECOND_FINANCE_EMAIL));
    await omarLate.getByRole("button", { name: /^Approve payout of/ }).click();
    await omarLate.locator(".fin-late-payout").getByText("Paid", { exact: true }).waitFor();
    await omarLate.locator(".fin-late-payout").getByText(/tr_/).waitFor();
    await expect(omarLate.getByRole("heading", { name: "Approve the further payout" }).count()).resolves.toBe(0);
    await shot(omar, "add-ons-finance-late-paid");
    await expectAccessible(omar);

    // Fiona sees it paid too, approved by someone else.
    await fiona.goto(statementUrl);
    await lateSection.locator(".fin-late-payout").getByText("Paid", { exact: true }).waitFor();
    await expect(lateSection.getByRole("note").filter({ hasText: fourEyes }).count()).resolves.toBe(0);
    await expect(lateSection.locator(".fin-late-payout").innerText()).resolves.toMatch(/Approved by (?!Fiona)/);
  }, 240_000);
});
