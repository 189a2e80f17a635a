import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { CampaignDraftInput } from "~/domain/campaign-form";
import { MARKDOWN_VERSION } from "~/domain/markdown";
import { createDraft, updateLiveCampaign, type CreatorActor } from "~/models/campaign.server";
import { postCampaignUpdate } from "~/models/campaign-update.server";
import { rerenderStaleMarkdown } from "~/models/stored-markdown.server";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get } from "../support/routes";

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;

const HOSTILE =
  "# Our lamp\n\nRead [the plan](https://example.com/plan) or [this](javascript:alert(1)).\n\n" +
  '<script>alert("x")</script><img src=x onerror="alert(2)">\n\nThanks!';

function expectSanitised(html: string) {
  expect(html).not.toMatch(/<script|javascript:|onerror|<img/i);
  expect(html).toContain("<h2>Our lamp</h2>");
  expect(html).toMatch(/<a href="https:\/\/example\.com\/plan" rel="nofollow ugc[^"]*"/);
}

const draft = (storyMd: string): CampaignDraftInput => ({
  title: "Night Lamp",
  slug: `night-lamp-${Math.random().toString(36).slice(2, 8)}`,
  blurb: "",
  storyMd,
  category: "design",
  coverAlt: "",
  goalAmount: 100_000,
  currency: "usd",
  durationDays: 30,
  endDate: null,
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
});

async function creator(): Promise<CreatorActor> {
  const user = await makeUser(db(), "Creator");
  return { userId: user.id, staff: false };
}

const storedStory = (id: string) =>
  db()
    .selectFrom("campaigns")
    .select(["story_html", "story_summary", "markdown_version"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const postUpdate = (campaignId: string, authorId: string, bodyMd: string) =>
  postCampaignUpdate(db(), {
    campaignId,
    authorId,
    title: "News",
    bodyMd,
    visibility: "public",
    campaignTitle: "Night Lamp",
    campaignUrl: "http://localhost/projects/x",
  });

const storedBody = (id: string) =>
  db()
    .selectFrom("campaign_updates")
    .select(["body_html", "markdown_version"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

/** Marks rows as made by an older renderer, with text it would not make now. */
async function makeStale(table: "campaigns" | "campaign_updates", id: string) {
  const column = table === "campaigns" ? "story_html" : "body_html";
  await db()
    .updateTable(table)
    .set({ [column]: "<p>old rendering</p>", markdown_version: MARKDOWN_VERSION - 1 })
    .where("id", "=", id)
    .execute();
}

describe("stored Markdown", () => {
  it("stores a saved story as sanitised HTML with its summary and the renderer version", async () => {
    const actor = await creator();
    const created = await createDraft(db(), { actor, input: draft(HOSTILE) });
    if (!created.ok) throw new Error("draft refused");
    const saved = await storedStory(created.campaignId);
    expectSanitised(saved.story_html);
    expect(saved.story_summary).toBe("Our lamp Read the plan or this. Thanks!");
    expect(saved.markdown_version).toBe(MARKDOWN_VERSION);

    // Editing the words of a live campaign writes them again, in the same statement.
    const live = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const edited = await updateLiveCampaign(db(), {
      campaignId: live.id,
      actor,
      input: { ...draft("Plain **words**."), language: "en" },
    });
    expect(edited.ok).toBe(true);
    expect(await storedStory(live.id)).toEqual({
      story_html: "<p>Plain <strong>words</strong>.</p>\n",
      story_summary: "Plain words.",
      markdown_version: MARKDOWN_VERSION,
    });
  });

  it("stores a posted update as sanitised HTML", async () => {
    const actor = await creator();
    const live = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const posted = await postUpdate(live.id, actor.userId, HOSTILE);
    const row = await storedBody(posted.id);
    expectSanitised(row.body_html);
    expect(row.markdown_version).toBe(MARKDOWN_VERSION);
  });

  it("re-renders rows an older renderer made, once, and leaves current and newer rows alone", async () => {
    const actor = await creator();
    const stale = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const current = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const newer = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const update = await postUpdate(stale.id, actor.userId, "We *shipped*.");
    // Rows from other tests (and fixtures that insert without rendering) are rendered first.
    await rerenderStaleMarkdown(db());
    await makeStale("campaigns", stale.id);
    await makeStale("campaign_updates", update.id);
    await db().updateTable("campaigns").set({ story_html: "<p>kept</p>" }).where("id", "=", current.id).execute();
    await db()
      .updateTable("campaigns")
      .set({ story_html: "<p>from a newer renderer</p>", markdown_version: MARKDOWN_VERSION + 1 })
      .where("id", "=", newer.id)
      .execute();

    expect(await rerenderStaleMarkdown(db(), { batchSize: 1 })).toEqual({
      campaigns: 1,
      campaign_updates: 1,
      comments: 0,
      messages: 0,
      faq_entries: 0,
      ideas: 0,
    });
    expect(await storedStory(stale.id)).toEqual({
      story_html: "<p>A story.</p>\n",
      story_summary: "A story.",
      markdown_version: MARKDOWN_VERSION,
    });
    const body = await storedBody(update.id);
    expect(body).toEqual({ body_html: "<p>We <em>shipped</em>.</p>\n", markdown_version: MARKDOWN_VERSION });
    expect((await storedStory(current.id)).story_html).toBe("<p>kept</p>");
    expect(await storedStory(newer.id)).toMatchObject({
      story_html: "<p>from a newer renderer</p>",
      markdown_version: MARKDOWN_VERSION + 1,
    });

    // Current rows: nothing left to do.
    expect(await rerenderStaleMarkdown(db())).toEqual({
      campaigns: 0,
      campaign_updates: 0,
      comments: 0,
      messages: 0,
      faq_entries: 0,
      ideas: 0,
    });
  });

  it("shares the rows between backfills running at once: each row is rendered by one of them", async () => {
    const actor = await creator();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await makeLiveCampaign(db(), { creatorId: actor.userId, tiers: [] })).id);
    await rerenderStaleMarkdown(db());
    await db().updateTable("campaigns").set({ markdown_version: 0 }).where("id", "in", ids).execute();

    const runs = await Promise.all([1, 2, 3].map(() => rerenderStaleMarkdown(db(), { batchSize: 2 })));
    expect(runs.reduce((sum, run) => sum + run.campaigns, 0)).toBe(ids.length);
    const left = await db()
      .selectFrom("campaigns")
      .select("id")
      .where("markdown_version", "<", MARKDOWN_VERSION)
      .execute();
    expect(left).toEqual([]);
  });

  it("the project page shows the stored HTML and summary, and renders a row the backfill has not reached", async () => {
    const actor = await creator();
    const live = await makeLiveCampaign(db(), { creatorId: actor.userId });
    const update = await postUpdate(live.id, actor.userId, "Fresh news.");
    // Stored text the renderer would not make from the source: the page can only have read it.
    await db()
      .updateTable("campaigns")
      .set({
        blurb: "",
        story_html: "<p>stored story</p>",
        story_summary: "stored summary",
        markdown_version: MARKDOWN_VERSION,
      })
      .where("id", "=", live.id)
      .execute();
    await db()
      .updateTable("campaign_updates")
      .set({ body_html: "<p>stored update</p>" })
      .where("id", "=", update.id)
      .execute();
    const page = async () => (await call(projectLoader, get(`/projects/${live.slug}`), { slug: live.slug })).json();
    const shown = await page();
    expect(shown.campaign.storyHtml).toBe("<p>stored story</p>");
    expect(shown.share.description).toBe("stored summary");
    expect(shown.updates.map((u: { html: string }) => u.html)).toEqual(["<p>stored update</p>"]);

    await makeStale("campaigns", live.id);
    await makeStale("campaign_updates", update.id);
    const rendered = await page();
    expect(rendered.campaign.storyHtml).toBe("<p>A story.</p>\n");
    expect(rendered.share.description).toBe("A story.");
    expect(rendered.updates.map((u: { html: string }) => u.html)).toEqual(["<p>Fresh news.</p>\n"]);
  });
});
