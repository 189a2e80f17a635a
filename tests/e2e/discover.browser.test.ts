import type { Page } from "playwright-core";
import { describeInBrowser, screenshot, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

/** Scrolls through the page so lazy cover images load, then waits for every image. */
async function loadAllImages(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 40));
    }
    window.scrollTo(0, 0);
    await Promise.all(
      Array.from(document.images).map((img) =>
        img.complete ? null : new Promise((r) => img.addEventListener("load", r, { once: true })),
      ),
    );
  });
}

describeInBrowser("discovering projects in a real browser", () => {
  const newPage = useBrowser();
  const site = useSite();

  it("home shows the sections; a search finds a seeded project; its page shows tiers and the charge terms", async () => {
    const page = await newPage();
    // A public page served to many allows its inline scripts by hash (no nonce), and they run.
    const response = await page.goto(`${site().url}/`);
    expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'self'( 'sha256-[^']+')+;/);
    await waitForHydration(page);
    for (const heading of ["Featured projects", "Trending", "Ending soon", "Recently funded"]) {
      await page.getByRole("heading", { level: 2, name: heading }).waitFor();
    }
    await expect(page.getByRole("progressbar").count()).resolves.toBeGreaterThan(6);
    // Covers are real images, with their own URLs.
    const cover = page.locator(".campaign-card img").first();
    await expect(cover.evaluate((img: HTMLImageElement) => img.src)).resolves.toMatch(/\/images\/[0-9a-f-]{36}$/);
    await loadAllImages(page);
    await screenshot(page, "home");

    await page.getByLabel("Search projects").fill("monsoon lantern");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/discover\?q=monsoon\+lantern/);
    await page.getByText("1 project matching “monsoon lantern”").waitFor();
    await loadAllImages(page);
    await screenshot(page, "discover-search");

    await page.getByRole("link", { name: "Lumen: the solar lantern that charges your phone" }).click();
    await page.waitForURL(/\/projects\/lumen-solar-lantern$/);
    await page.getByRole("heading", { level: 1, name: "Lumen: the solar lantern that charges your phone" }).waitFor();
    await page.getByText(/^You'll be charged only if this project reaches its goal, on \d{1,2} \w+ \d{4}\.$/).waitFor();
    await page.getByText(/^Ends \w+day, \d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC$/).waitFor();
    const rewards = page.getByRole("complementary", { name: "Rewards" });
    await rewards.getByRole("heading", { level: 3, name: "Lumen lantern" }).waitFor();
    await rewards.getByText("Sold out").first().waitFor();
    await rewards.getByText("US $10.00, Rest of world $25.00").first().waitFor();
    const back = rewards.getByRole("link", { name: "Back this project with Lumen lantern" });
    await expect(back.getAttribute("href")).resolves.toMatch(
      /^\/projects\/lumen-solar-lantern\/pledge\?tier=[0-9a-f-]{36}$/,
    );
    await page.getByText("This update is for backers only.").waitFor();
    await expect(page.locator('meta[property="og:image"]').getAttribute("content")).resolves.toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/images\//,
    );
    await expect(page.getByRole("img", { name: "A pale sun rising over a warm orange horizon" }).count()).resolves.toBe(
      1,
    );
    await loadAllImages(page);
    await screenshot(page, "project-page");
  });

  it("filters, sorts and pages without JavaScript, and offers a way out of an empty result", async () => {
    const page = await (
      await newPage()
    )
      .context()
      .browser()!
      .newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 860 } })
      .then((c) => c.newPage());
    await page.goto(`${site().url}/discover`);
    await page.getByLabel("Show").selectOption("all");
    await page.getByLabel("Sort by").selectOption("funded");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/state=all&sort=funded/);
    const percents = await page.locator(".campaign-card-percent").allTextContents();
    const numbers = percents.map((p) => Number(p.replace("%", "")));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    await page.getByLabel("Category").selectOption("publishing");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/category=publishing/);
    const titles = await page.locator(".campaign-card-title").allTextContents();
    expect(titles.length).toBeGreaterThan(0);

    await page.getByLabel("Search", { exact: true }).fill("xylophone submarine");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("heading", { name: "No projects match “xylophone submarine”" }).waitFor();
    await screenshot(page, "discover-empty");
    await page.locator(".empty-state").getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL(`${site().url}/discover`);
    await expect(page.locator(".campaign-card").count()).resolves.toBeGreaterThan(3);
    await page.context().close();
  });

  it("is usable from the keyboard: the first tab stops are the skip link and the header", async () => {
    const page = await newPage();
    await page.goto(`${site().url}/projects/night-shift-board-game`);
    await waitForHydration(page);
    await page.keyboard.press("Tab");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)), { timeout: 5000 })
      .toMatch(/Skip to content/);
    await page
      .getByText("You'll be charged now; refunded automatically if the goal isn't met by", { exact: false })
      .waitFor();
    const tierLink = page.getByRole("link", { name: /Back this project with Night Shift$/ });
    await tierLink.focus();
    await expect(tierLink.evaluate((el) => getComputedStyle(el).outlineStyle)).resolves.toBe("solid");
    const missing = await page.goto(`${site().url}/projects/no-such-project`);
    expect(missing?.status()).toBe(404);
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
  });
});
