import type { Page } from "playwright-core";
import { describeInBrowser, screenshot, signIn, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

const SYNTH = "fieldnotes-pocket-synth";
const LIMITED_TIER = "Fieldnotes + case";

describeInBrowser("backing a project in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  async function projectFigures(page: Page) {
    await page.goto(`${site().url}/projects/${SYNTH}`);
    await waitForHydration(page);
    const tier = page.locator("li", { has: page.getByRole("heading", { name: LIMITED_TIER }) });
    const left = Number((await tier.getByText(/left of/).innerText()).match(/(\d+) left/)![1]);
    const pledged = await page.locator(".funding-panel .pledged").innerText();
    return { left, pledged: Number(pledged.replace(/[^0-9.]/g, "")) };
  }

  async function payOnHostedCheckout(page: Page, card: string) {
    await page.waitForURL(/\/c\/pay\//);
    await page.getByLabel("Card number").fill(card);
    await page.getByLabel("Expiration date").fill("12 / 34");
    await page.getByLabel("CVC").fill("123");
    await page.locator("form button[type=submit]").click();
  }

  it("pledges on a limited tier with 4242, sees it confirmed and counted, changes it and cancels it", async () => {
    const page = await newPage();
    await signIn(page, "backer@example.com");
    const before = await projectFigures(page);

    const tier = page.locator("li", { has: page.getByRole("heading", { name: LIMITED_TIER }) });
    await tier.getByRole("link", { name: /Back this project/ }).click();
    await page.waitForURL(/\/pledge\?tier=/);
    await waitForHydration(page);
    await page.getByLabel("Ship to").selectOption("US");
    await page.getByText(/charged only if this project reaches its goal/).waitFor();
    await screenshot(page, "pledge-form");
    await page.getByRole("button", { name: "Continue to secure checkout" }).click();

    await page.waitForURL(/\/c\/pay\//);
    await page.getByText("Save card").first().waitFor();
    await screenshot(page, "pledge-hosted-checkout");
    await payOnHostedCheckout(page, "4242424242424242");

    await page.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?confirmed=1/);
    await page.getByText("Thank you! Your pledge is confirmed.").waitFor();
    await page.getByText("Active", { exact: true }).first().waitFor();
    await screenshot(page, "pledge-confirmed");
    const pledgeUrl = page.url().split("?")[0]!;

    const after = await projectFigures(page);
    expect(after.left).toBe(before.left - 1);
    // $169 minimum plus $8 shipping to the US.
    expect(after.pledged).toBeCloseTo(before.pledged + 177, 2);

    await page.goto(`${site().url}/me/pledges`);
    await page
      .getByRole("link", { name: /Fieldnotes/ })
      .first()
      .waitFor();

    await page.goto(pledgeUrl);
    await waitForHydration(page);
    await page.getByLabel(/Pledge amount/).fill("200");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Your pledge was changed.").waitFor();
    await page.getByText("$208.00").first().waitFor();
    expect((await projectFigures(page)).pledged).toBeCloseTo(before.pledged + 208, 2);
    await page.goto(pledgeUrl);

    await waitForHydration(page);
    await page.getByRole("button", { name: "Cancel pledge" }).click();
    await page.getByRole("button", { name: "Yes, cancel my pledge" }).click();
    await page.getByText("Your pledge is cancelled.").first().waitFor();
    await screenshot(page, "pledge-cancelled");
    const end = await projectFigures(page);
    expect(end.left).toBe(before.left);
    expect(end.pledged).toBeCloseTo(before.pledged, 2);
  });

  it("raises a pledge paid up front by paying only the difference on Stripe's page, then lowers it for a refund", async () => {
    const page = await newPage();
    await signIn(page, "backer@example.com");
    await page.goto(`${site().url}/me/pledges`);
    await page
      .getByRole("link", { name: /Night Shift/ })
      .first()
      .click();
    await page.waitForURL(/\/me\/pledges\/[0-9a-f-]+$/);
    await waitForHydration(page);
    const pledgeUrl = page.url();
    const amount = page.getByLabel(/Pledge amount/);
    const before = Number(await amount.inputValue());
    await amount.fill(String(before + 10));
    await page.getByRole("button", { name: "Save changes" }).click();

    // Stripe's page asks for the $10.00 difference only.
    await page.waitForURL(/\/c\/pay\//);
    await page.getByText("$10.00").first().waitFor();
    await screenshot(page, "pledge-raise-checkout");
    await payOnHostedCheckout(page, "4242424242424242");
    await page.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?changed=raised/);
    await page.getByText("Your pledge was raised.").waitFor();
    await page.getByText(/Paid \$10\.00/).waitFor();
    await screenshot(page, "pledge-raised");

    await page.goto(pledgeUrl);
    await waitForHydration(page);
    await page.getByLabel(/Pledge amount/).fill(String(before + 4));
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText(/The difference is refunded to the card you paid with/).waitFor();
    await page.getByText(/Refunded \$6\.00/).waitFor();
    await screenshot(page, "pledge-lowered");
  });

  it("a declined card shows Stripe's message on the hosted page and leaves no active pledge", async () => {
    const page = await newPage();
    await signIn(page, "backer@example.com");
    await page.goto(`${site().url}/projects/tideline-ocean-sensor-buoy`);
    await waitForHydration(page);
    await page
      .getByRole("link", { name: /Back this project/ })
      .last()
      .click();
    await page.waitForURL(/\/pledge/);
    await waitForHydration(page);
    const ship = page.getByLabel("Ship to");
    if (await ship.count()) await ship.selectOption({ index: 1 });
    await page.getByRole("button", { name: "Continue to secure checkout" }).click();
    await payOnHostedCheckout(page, "4000000000000002");
    await page.getByText("Your card was declined.").waitFor();
    await screenshot(page, "pledge-declined");
    await page.goto(`${site().url}/me/pledges`);
    const row = page.locator("li", { has: page.getByRole("link", { name: /Tideline/ }) });
    await expect(row.getByText("Active", { exact: true }).count()).resolves.toBe(0);
  });
});
