import fs from "node:fs";
import { generate } from "otplib";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, inject, vi } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo/seed";
import { CHROMIUM_ARGS } from "./chromium";

export const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-results");

/** `describe` for browser tests: skipped (the run prints one line saying why) without Chromium. */
export const describeInBrowser = inject("chromiumPath") ? describe : describe.skip;

// A browser walk crosses many pages, the hosted checkout and the mailbox; on a loaded CI machine
// it takes far longer than a unit test, so every file that drives the browser waits longer.
vi.setConfig({ testTimeout: 90_000 });

/**
 * One Chromium for the test file; returns `newPage()`, a page in a fresh context (its own
 * cookies). With `baseURL` (the site's address, read when a page is made), pages resolve
 * relative URLs against it, which `signIn` relies on.
 */
export function useBrowser({ baseURL }: { baseURL?: () => string } = {}) {
  let browser: Browser | undefined;
  let pages: Page[] = [];
  // Every page a browser test visits must keep to the Content-Security-Policy: Chromium reports
  // each refused script, style or form target on the console, and the test fails on any.
  let cspViolations: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: inject("chromiumPath")!, args: CHROMIUM_ARGS });
  });
  afterEach(async ({ task }) => {
    // A failed browser test leaves a screenshot and says where each page was and what it said.
    if (task.result?.state === "fail") {
      for (const [i, page] of pages.entries()) await describeFailedPage(page, `failed-${slug(task.name)}-${i}`);
    }
    await Promise.all(
      pages.map((page) =>
        page
          .context()
          .close()
          .catch(() => {}),
      ),
    );
    pages = [];
    const violations = cspViolations;
    cspViolations = [];
    if (violations.length > 0 && task.result?.state !== "fail") {
      throw new Error(`Content-Security-Policy violations:\n${violations.join("\n")}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return async (): Promise<Page> => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 860 }, baseURL: baseURL?.() });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    pages.push(page);
    return page;
  };
}

async function describeFailedPage(page: Page, name: string) {
  if (page.isClosed()) return;
  const file = await screenshot(page, name).catch(() => "(no screenshot)");
  const alerts = await page
    .locator("[role=alert]")
    .allInnerTexts()
    .catch(() => []);
  const heading = await page
    .locator("h1")
    .first()
    .innerText({ timeout: 1000 })
    .catch(() => "");
  console.log(
    `[browser] failed test page: ${page.url()}\n  heading: ${heading}\n  alerts: ${JSON.stringify(alerts)}\n  screenshot: ${file}`,
  );
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60);

/**
 * Waits until React has hydrated (the root layout marks <html data-hydrated> from an effect), so
 * clicks reach event handlers and controlled inputs keep what the test types.
 */
export async function waitForHydration(page: Page) {
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
}

/**
 * Signs in through the real sign-in page (of the page's baseURL, see `useBrowser`) and waits
 * until the header offers "Sign out". The password defaults to the demo users'.
 */
export async function signIn(
  page: Page,
  email: string,
  password = DEMO_PASSWORD,
  { totpSecret }: { totpSecret?: string } = {},
) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (totpSecret) {
    // An account with two-factor: the second step asks for the app's code.
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    await waitForHydration(page);
    await page.getByLabel("Code", { exact: true }).fill(await unusedCode(totpSecret, email));
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

const lastStepUsed = new Map<string, number>();

/**
 * A code for `secret` that `account` has not used yet in this run, as a person would wait for the
 * next one: the server accepts each code once per account, and one step of clock drift (so the
 * next step's code works now too). Accounts sharing a test secret do not wait for each other.
 */
export async function unusedCode(secret: string, account = "") {
  const key = `${account}:${secret}`;
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const last = lastStepUsed.get(key) ?? -1;
    const use = last < step ? step : last + 1;
    if (use <= step + 1) {
      lastStepUsed.set(key, use);
      return generate({ secret, epoch: use * 30 });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The first link matching `pattern` in the signed-in user's /mailbox, as the mail arrives: the
 * delivery worker sends within a second or two, so the page is reloaded until it is there.
 */
export async function linkFromMailbox(page: Page, baseUrl: string, pattern: RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(`${baseUrl}/mailbox`);
    const found = (await page.content()).match(pattern)?.[0];
    if (found) return new URL(found.replaceAll("&amp;", "&"), baseUrl).toString();
    if (Date.now() > deadline) throw new Error(`No link matching ${pattern} reached the mailbox`);
    await page.waitForTimeout(500);
  }
}

/**
 * Confirms the signed-in user's address as its owner would: the verification link in the
 * mailbox, opened, and its button pressed (launching and payouts need a verified address).
 */
export async function confirmEmailFromMailbox(page: Page, baseUrl: string) {
  const link = await linkFromMailbox(page, baseUrl, /https?:\/\/[^\s"<]+\/verify-email\?token=[\w-]+/);
  await page.goto(link);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await page.getByRole("heading", { name: "Your address is confirmed" }).waitFor();
}

const axeSource = fs.readFileSync(path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core's WCAG 2 A and AA rules (colour contrast among them) on the page as it stands and
 * fails with each violation's rule and element. Injected through the DevTools protocol, which
 * the page's Content-Security-Policy does not govern.
 */
export async function expectAccessible(page: Page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}: ${n.failureSummary}`));
  });
  if (violations.length) throw new Error(`Accessibility violations on ${page.url()}:\n${violations.join("\n")}`);
}

interface AxeResult {
  violations: { id: string; nodes: { target: string[]; failureSummary: string }[] }[];
}
