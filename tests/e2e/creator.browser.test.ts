import type { Page } from "playwright-core";
import {
  confirmEmailFromMailbox,
  describeInBrowser,
  screenshot,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { makePng } from "../support/png";
import { useSite } from "../support/site";

const STORY = `## What we are making

The Solar Kettle boils a litre of water with nothing but sunlight. Its folding mirror packs flat into the lid,
it weighs 900 grams, and it needs no gas, no wood and no batteries.

## Why it matters

Half the world's campers still carry fuel canisters. We want a kettle that lasts ten years and leaves no trace.`;

describeInBrowser("a creator in a real browser", () => {
  const newPage = useBrowser();
  const site = useSite();

  it("signs up, drafts a campaign with a cover, adds three rewards, launches and exports backers", async () => {
    const page = await newPage();
    await page.goto(`${site().url}/signup?redirectTo=%2Fcreator`);
    await waitForHydration(page);
    await page.getByLabel("Name").fill("Ada Maker");
    await page.getByLabel("Email").fill("ada.maker@example.com");
    await page.getByLabel("Password").fill("solar kettle forever");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${site().url}/creator`);
    await page.getByRole("heading", { name: "Bring your project to life" }).waitFor();
    await screenshot(page, "creator-empty");
    // Launching needs a verified address: the link from the sign-up email.
    await confirmEmailFromMailbox(page, site().url);
    await page.goto(`${site().url}/creator`);
    await waitForHydration(page);

    await page.getByRole("link", { name: "Start a new campaign" }).click();
    await page.waitForURL(/\/creator\/new/);
    await waitForHydration(page);
    await page.getByLabel("Title", { exact: true }).fill("Solar Kettle");
    await page.getByLabel("One-line blurb").fill("Boil water anywhere the sun shines, with no fuel at all.");
    await page.getByLabel("Category").selectOption("hardware");
    await page.getByLabel("Your story").fill(STORY);
    await page.getByLabel("Funding goal").fill("0");
    await page.getByRole("button", { name: "Save draft and add rewards" }).click();
    // Checked in the browser first: the message sits at the field and nothing is lost.
    await page.getByText("The amount must be more than zero.").waitFor();
    await expect(page.getByLabel("Your story").inputValue()).resolves.toContain("Solar Kettle boils");
    await screenshot(page, "creator-new-error");

    await page.getByLabel("Funding goal").fill("5000");
    await page.locator("input[type=file][name=cover]").setInputFiles({
      name: "kettle.png",
      mimeType: "image/png",
      buffer: Buffer.from(makePng(640, 360, [214, 160, 60])),
    });
    await page.getByLabel("Describe the cover image").fill("A steel kettle on a folding solar mirror in a meadow");
    await page.getByRole("button", { name: "Save draft and add rewards" }).click();
    await page.waitForURL(/\/creator\/campaigns\/[0-9a-f-]{36}\/tiers\?created=1/);
    await waitForHydration(page);
    const campaignUrl = page.url().replace(/\/tiers\?created=1$/, "");

    await addTier(page, {
      title: "Thank you",
      minimum: "10",
      description: "Your name on our thank-you wall and every update first.",
    });
    await addTier(page, {
      title: "Early bird kettle",
      minimum: "79",
      limit: "100",
      description: "One Solar Kettle at the early price.",
      shipping: { "United States": "10", "Rest of world": "25" },
    });
    await addTier(page, {
      title: "Kettle and mug set",
      minimum: "119",
      description: "The kettle plus two enamel mugs.",
    });
    await page.getByText("3 rewards, 3 visible to backers").waitFor();

    // Reorder without any script involved: a plain form post.
    await page.getByRole("button", { name: "Move Kettle and mug set up" }).click();
    await expect
      .poll(() => page.locator(".tier-card h3").allTextContents(), { timeout: 10_000 })
      .toEqual(["Thank you", "Kettle and mug set", "Early bird kettle"]);
    await screenshot(page, "creator-tiers");

    await page.getByRole("link", { name: "Next: review and launch" }).click();
    await page.waitForURL(/\/launch$/);
    await page.getByText("Everything is in place.").waitFor();
    await screenshot(page, "creator-launch");
    await page.getByRole("button", { name: "Launch campaign" }).click();
    await page.waitForURL(/\?launched=1$/);
    await page.getByText("Your campaign is live!").waitFor();
    await page.getByRole("heading", { name: "Funding over time" }).waitFor();
    await page.getByRole("heading", { name: "Projection" }).waitFor();
    await screenshot(page, "creator-dashboard");

    const csv = await page.request.get(`${campaignUrl}/backers.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).split("\r\n")[0]).toBe(
      "name,email,tier,amount,status,shipping destination,add-ons,add-ons amount,late pledge",
    );

    await page.goto(`${site().url}/creator`);
    await page.getByRole("link", { name: "Solar Kettle" }).waitFor();
    await screenshot(page, "creator-campaigns");

    await page.goto(`${campaignUrl}/edit`);
    await page.getByText("These terms were fixed at launch").waitFor();
    await screenshot(page, "creator-edit-live");

    // A stranger gets a 404 for the same dashboard.
    const stranger = await newPage();
    await stranger.goto(`${site().url}/signup`);
    await waitForHydration(stranger);
    await stranger.getByLabel("Name").fill("Stranger");
    await stranger.getByLabel("Email").fill("stranger@example.com");
    await stranger.getByLabel("Password").fill("not the owner at all");
    await stranger.getByRole("button", { name: "Create account" }).click();
    await stranger.waitForURL(`${site().url}/`);
    const res = await stranger.goto(campaignUrl);
    expect(res?.status()).toBe(404);
  });
});

async function addTier(
  page: Page,
  tier: { title: string; minimum: string; description: string; limit?: string; shipping?: Record<string, string> },
) {
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Add a reward" }) });
  await form.getByLabel("Reward title").fill(tier.title);
  await form.getByLabel("What backers get").fill(tier.description);
  await form.getByLabel("Minimum pledge").fill(tier.minimum);
  if (tier.limit) await form.getByLabel("Quantity limit").fill(tier.limit);
  await form.getByLabel("Estimated delivery").fill(`${new Date().getUTCFullYear() + 1}-06`);
  if (tier.shipping) {
    await form.getByLabel("Ships to backers").check();
    for (const [destination, price] of Object.entries(tier.shipping))
      await form.getByLabel(destination, { exact: true }).fill(price);
  }
  await form.getByRole("button", { name: "Add reward" }).click();
  await page.getByRole("heading", { name: tier.title, exact: true }).waitFor();
  await waitForHydration(page);
}
