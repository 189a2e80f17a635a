import type { Page } from "playwright-core";
import {
  describeInBrowser,
  expectAccessible,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { useSite } from "../support/site";

// The crowd's half of a project, in a real browser on the demo data: a backer posts an idea
// (an empty title is refused at the field first), two other people vote for it, the creator
// adopts it with a public note and a mention, and the author finds the credit on the project
// page; then a poll is answered, its results appear, and the creator's insights page charts it.

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

// Kintsugi's board takes ideas from anyone signed in (the demo sets it so); its creator is Priya.
const KINTSUGI = "/projects/kintsugi-repair-kit";
const TITLE = "A practice shard to try the gold on first";

describeInBrowser("ideas, polls and insights in a real browser", () => {
  const site = useSite();
  const newPage = useBrowser({ baseURL: () => site().url });

  it("a backer's idea is voted for, adopted with a note, and credited; a poll is answered and charted", async () => {
    const author = await newPage();
    await signIn(author, "backer@example.com");
    await author.goto(KINTSUGI);
    await waitForHydration(author);
    await author.getByRole("link", { name: /^Ideas \(\d+\)$/ }).click();
    await author.waitForURL(/\/ideas$/);
    await author.getByRole("heading", { name: "Post an idea" }).waitFor();
    await waitForHydration(author);
    await shot(author, "crowd-board");
    await expectAccessible(author);

    // Empty first: the message is at the field and nothing is posted.
    await author.getByRole("button", { name: "Post idea" }).click();
    await author.getByText("Give your idea a title.").waitFor();
    await screenshot(author, "crowd-idea-refused");
    await author.locator('form input[name="title"]').fill(TITLE);
    await author.getByLabel("Kind of idea").selectOption("reward");
    await author
      .getByLabel("Description")
      .fill("A broken tile in the box, so a **first try** costs nothing. <script>alert(1)</script>");
    await author.getByRole("button", { name: "Post idea" }).click();
    await author.getByRole("status").filter({ hasText: "Your idea is posted." }).waitFor();
    await author.getByRole("heading", { name: TITLE }).waitFor();
    await author.locator(".idea-body strong", { hasText: "first try" }).waitFor();
    expect(await author.locator(".idea-body script").count()).toBe(0);
    const ideaUrl = author.url().split("?")[0]!;
    await shot(author, "crowd-idea-posted");
    await expectAccessible(author);

    // Two other people vote for it; the second vote of the same person does not count twice.
    for (const email of ["creator@example.com", "ana@lumenworks.example"]) {
      const voter = await newPage();
      await signIn(voter, email);
      await voter.goto(ideaUrl);
      await waitForHydration(voter);
      await voter.locator(".idea-detail .idea-vote button").click();
      await voter.getByRole("status").waitFor();
      await voter.locator(".idea-detail .idea-vote button[aria-pressed='true']").waitFor();
    }
    await author.goto(ideaUrl);
    await author.locator(".idea-detail .idea-vote-count", { hasText: /^2 / }).waitFor();

    // The creator adopts it, with a public note and a mention in the credits.
    const creator = await newPage();
    await signIn(creator, "priya@quiethours.example");
    await creator.goto(ideaUrl);
    await waitForHydration(creator);
    await creator.getByLabel("Status").selectOption("adopted");
    await creator.getByLabel("Public note").fill("Yes: every kit from the next batch has a practice shard.");
    await creator.getByLabel("A mention in the project's credits").check();
    await creator.getByRole("button", { name: "Publish answer" }).click();
    await creator.getByRole("status").filter({ hasText: "Your answer is published." }).waitFor();
    await shot(creator, "crowd-idea-adopted");
    await expectAccessible(creator);

    // The author sees the answer on the idea and the credit on the project page.
    await author.goto(ideaUrl);
    await author.getByText("Yes: every kit from the next batch has a practice shard.").first().waitFor();
    await author.getByText("Thank-you: a mention in the project's credits.").waitFor();
    await author.goto(KINTSUGI);
    const crowd = author.locator(".crowd-ideas");
    await crowd.getByRole("link", { name: TITLE }).waitFor();
    await crowd
      .getByText(/Adopted from Bea B\./)
      .first()
      .waitFor();

    // The project page's poll: no numbers before voting, results after.
    const poll = author.locator(".poll-card").first();
    await poll.scrollIntoViewIfNeeded();
    expect(await poll.locator(".poll-results").count()).toBe(0);
    await poll.getByLabel("Copper").check();
    await poll.getByRole("button", { name: "Vote" }).click();
    await author.locator(".poll-card .poll-results").first().waitFor();
    await author.getByText(/You voted for “Copper”/).waitFor();
    await poll.scrollIntoViewIfNeeded();
    await shot(author, "crowd-poll-answered");
    await expectAccessible(author);

    // The creator's insights: real numbers and the poll's chart.
    await creator.goto("/creator");
    await waitForHydration(creator);
    await creator
      .getByRole("link", { name: /Kintsugi/ })
      .first()
      .click();
    await creator.getByRole("link", { name: "Insights" }).click();
    await creator.getByRole("heading", { name: "Crowd insights" }).first().waitFor();
    await creator.locator("svg").first().waitFor();
    await shot(creator, "crowd-insights");
    await expectAccessible(creator);
  });
});
