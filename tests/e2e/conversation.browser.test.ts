import type { Page } from "playwright-core";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../scripts/demo/seed";
import {
  describeInBrowser,
  expectAccessible,
  linkFromMailbox,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { useSite } from "../support/site";

// The conversation around a project, in a real browser on the demo data: a backer's comment, the
// creator's reply with its badge, the reply email in the backer's mailbox, a report, and a
// moderator hiding the reported comment at the desk, who then sees the queue empty.

/** A full-page screenshot from the top (the sticky header otherwise lands mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

const FERMENT = "/projects/ferment-lab-kombucha-brewer";

describeInBrowser("comments and moderation in a real browser", () => {
  const site = useSite({ REVIEW_BEFORE_LAUNCH: "true" });
  const newPage = useBrowser({ baseURL: () => site().url });

  it("a backer comments, the creator replies with the badge, the reply is emailed, a report is hidden by a moderator", async () => {
    // Ferment Lab takes comments from anyone signed in (the demo sets it so).
    const backer = await newPage();
    await signIn(backer, "backer@example.com");
    await backer.goto(FERMENT);
    await waitForHydration(backer);
    await backer.getByRole("link", { name: /^Comments \(\d+\)$/ }).click();
    await backer.getByRole("heading", { name: /^Comments/ }).waitFor();
    await waitForHydration(backer);
    // Empty first: the message is at the field, nothing posted.
    await backer.getByRole("button", { name: "Post comment" }).click();
    await backer.getByText("Write something first.").waitFor();
    await backer
      .getByLabel("Write a comment")
      .fill("Can the brewer keep **two** jars going at once? <script>alert(1)</script>");
    await backer.getByRole("button", { name: "Post comment" }).click();
    await backer.getByRole("status").filter({ hasText: "Your comment is posted." }).waitFor();
    const comment = backer.locator("article.comment").filter({ hasText: "Can the brewer keep" }).first();
    await comment.locator("strong", { hasText: "two" }).waitFor();
    expect(await backer.locator(".comment-body script").count()).toBe(0);
    await shot(backer, "conversation-backer-commented");
    await expectAccessible(backer);

    const creator = await newPage();
    await signIn(creator, "creator@example.com");
    await creator.goto(`${FERMENT}/comments`);
    await waitForHydration(creator);
    const theirs = creator.locator("article.comment").filter({ hasText: "Can the brewer keep" }).first();
    await theirs.getByText("Reply", { exact: true }).click();
    await theirs.getByLabel("Your reply").fill("Yes: the base heats one jar, a second base daisy-chains from it.");
    await theirs.getByRole("button", { name: "Post reply" }).click();
    await creator.getByRole("status").filter({ hasText: "Your reply is posted." }).waitFor();
    const reply = creator.locator(".comment-replies article").filter({ hasText: "daisy-chains" });
    await reply.locator(".badge-creator", { hasText: "Creator" }).waitFor();
    await shot(creator, "conversation-creator-replied");
    await expectAccessible(creator);

    // The backer hears of it by email, and the link leads back to the reply.
    const link = await linkFromMailbox(backer, site().url, /https?:\/\/[^\s"<]+\/comments#comment-[\w-]+/);
    await backer.getByText("Carlos Creator replied to your comment on Ferment Lab").first().waitFor();
    await shot(backer, "conversation-reply-email");
    await backer.goto(link);
    await backer.locator(".comment:target").filter({ hasText: "daisy-chains" }).waitFor();

    // Someone else reports the backer's comment as spam.
    // Lucía reads the site in Spanish: once signed in, the page is hers, in her language.
    const reporter = await newPage();
    await reporter.goto("/login");
    await waitForHydration(reporter);
    await reporter.getByLabel("Email").fill("lucia@example.com");
    await reporter.getByLabel("Password").fill(DEMO_PASSWORD);
    await reporter.getByRole("button", { name: "Sign in" }).click();
    await reporter.getByRole("button", { name: "Salir" }).waitFor();
    await reporter.goto(`${FERMENT}/comments`);
    await waitForHydration(reporter);
    const reported = reporter.locator("article.comment").filter({ hasText: "Can the brewer keep" }).first();
    await reported
      .locator("summary", { hasText: /Denunciar|Report/ })
      .first()
      .click();
    await reported.getByLabel(/Spam/).first().check();
    await reported
      .getByRole("button", { name: /Enviar denuncia|Send report/ })
      .first()
      .click();
    await reported.getByRole("status").waitFor();
    await shot(reporter, "conversation-reported");
    await expectAccessible(reporter);

    // The moderator hides it from the desk, with a reason.
    const moderator = await newPage();
    await signIn(moderator, "moderator@example.com", undefined, { totpSecret: DEMO_TOTP_SECRET });
    await moderator.goto("/moderation");
    await waitForHydration(moderator);
    const item = moderator.locator("li.mod-subject").filter({ hasText: "Can the brewer keep" });
    await item.getByRole("radio", { name: /Hide it/ }).check();
    await item.getByLabel("Reason (for the audit log)").fill("Reported as spam; a duplicate question");
    await shot(moderator, "conversation-moderation-queue");
    await expectAccessible(moderator);
    await item.getByRole("button", { name: "Decide" }).click();
    await moderator.getByRole("status").filter({ hasText: "Hidden, and its reports resolved." }).waitFor();
    await moderator.getByText("Can the brewer keep").waitFor({ state: "detached" });

    // On the project, a placeholder stands where the comment was; the creator's reply stays.
    await backer.goto(`${FERMENT}/comments`);
    await backer.getByText("This comment was hidden by the creator or a moderator.").first().waitFor();
    expect(await backer.getByText("Can the brewer keep").count()).toBe(0);
    await shot(backer, "conversation-hidden-placeholder");
  });
});
