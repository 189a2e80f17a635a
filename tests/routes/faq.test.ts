import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { action as faqAction, loader as faqLoader } from "~/routes/creator.campaigns.$id.faq";
import ProjectPage, { loader as projectLoader } from "~/routes/projects.$slug";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { renderRoute } from "../support/render-route";
import { call, get, post, sessionCookie } from "../support/routes";

// A project's FAQ: only its creator writes it (anyone else finds nothing), in the order they
// choose; the project page shows it to everyone, answers sanitised.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

let creatorCookie: string;
let otherCookie: string;
let campaign: { id: string; slug: string };
let otherCampaign: { id: string; slug: string };

const faqPath = (id: string) => `/creator/campaigns/${id}/faq`;
const save = (cookie: string, id: string, fields: Record<string, string>) =>
  call(faqAction, post(faqPath(id), { intent: "save", ...fields }, cookie), { id });
const entryAction = (cookie: string, id: string, intent: string, entryId: string) =>
  call(faqAction, post(faqPath(id), { intent, entryId }, cookie), { id });

async function questions(campaignId: string) {
  const rows = await db()
    .selectFrom("faq_entries")
    .select(["question", "position"])
    .where("campaign_id", "=", campaignId)
    .orderBy("position")
    .execute();
  return rows.map((r) => r.question);
}
const idOf = async (question: string) =>
  (await db().selectFrom("faq_entries").select("id").where("question", "=", question).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  const creator = await makeUser(db(), "Fay Creator");
  const other = await makeUser(db(), "Otto Other");
  campaign = await makeLiveCampaign(db(), { creatorId: creator.id });
  otherCampaign = await makeLiveCampaign(db(), { creatorId: other.id });
  creatorCookie = await sessionCookie(creator.id);
  otherCookie = await sessionCookie(other.id);
}, 120_000);

describe("the creator's FAQ editor", () => {
  it("adds entries at the end, edits and shows them in order", async () => {
    for (const q of ["When does it ship?", "Is it waterproof?", "Can I change my reward?"]) {
      const res = await save(creatorCookie, campaign.id, { question: q, answerMd: `Answer to *${q}*` });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`${faqPath(campaign.id)}?saved=1`);
    }
    expect(await questions(campaign.id)).toEqual([
      "When does it ship?",
      "Is it waterproof?",
      "Can I change my reward?",
    ]);
    const entryId = await idOf("Is it waterproof?");
    const edited = await save(creatorCookie, campaign.id, {
      entryId,
      question: "Is it water-resistant?",
      answerMd: "Yes, **IP67**.",
    });
    expect(edited.status).toBe(302);
    const page = (await (
      await call(faqLoader, get(faqPath(campaign.id), creatorCookie), { id: campaign.id })
    ).json()) as {
      entries: Array<{ question: string; answerHtml: string }>;
    };
    expect(page.entries.map((e) => e.question)).toEqual([
      "When does it ship?",
      "Is it water-resistant?",
      "Can I change my reward?",
    ]);
    expect(page.entries[1]!.answerHtml).toBe("<p>Yes, <strong>IP67</strong>.</p>\n");
  });

  it("moves entries up and down, and deletes one closing the gap", async () => {
    const last = await idOf("Can I change my reward?");
    expect((await entryAction(creatorCookie, campaign.id, "up", last)).status).toBe(302);
    expect(await questions(campaign.id)).toEqual([
      "When does it ship?",
      "Can I change my reward?",
      "Is it water-resistant?",
    ]);
    const first = await idOf("When does it ship?");
    expect((await entryAction(creatorCookie, campaign.id, "down", first)).status).toBe(302);
    expect(await questions(campaign.id)).toEqual([
      "Can I change my reward?",
      "When does it ship?",
      "Is it water-resistant?",
    ]);
    // The first moving up stays first.
    expect((await entryAction(creatorCookie, campaign.id, "up", last)).status).toBe(302);
    expect(await questions(campaign.id)).toEqual([
      "Can I change my reward?",
      "When does it ship?",
      "Is it water-resistant?",
    ]);

    expect((await entryAction(creatorCookie, campaign.id, "delete", first)).status).toBe(302);
    const rows = await db()
      .selectFrom("faq_entries")
      .select(["question", "position"])
      .where("campaign_id", "=", campaign.id)
      .orderBy("position")
      .execute();
    expect(rows).toEqual([
      { question: "Can I change my reward?", position: 0 },
      { question: "Is it water-resistant?", position: 1 },
    ]);
  });

  it("answers bad input at the fields and keeps what was typed", async () => {
    const res = await save(creatorCookie, campaign.id, { question: "Hi", answerMd: "  " });
    expect(res.status).toBe(400);
    const reply = (await res.json()) as { error: Record<string, string[]>; initialValue: Record<string, string> };
    expect(reply.error.question?.[0]).toBe("Write a question of 3 to 200 characters.");
    expect(reply.error.answerMd?.[0]).toBe("Write the answer.");
    expect(reply.initialValue.question).toBe("Hi");
    const long = await save(creatorCookie, campaign.id, { question: "q".repeat(201), answerMd: "a".repeat(5_001) });
    expect(long.status).toBe(400);
    const longReply = (await long.json()) as { error: Record<string, string[]> };
    expect(longReply.error.question?.[0]).toBe("Write a question of 3 to 200 characters.");
    expect(longReply.error.answerMd?.[0]).toBe("An answer can be at most 5,000 characters.");
    expect(await questions(campaign.id)).toHaveLength(2);
  });

  it("is the owner's only: another creator gets 404 and changes nothing", async () => {
    expect((await call(faqLoader, get(faqPath(campaign.id), otherCookie), { id: campaign.id })).status).toBe(404);
    expect((await save(otherCookie, campaign.id, { question: "Hijacked?", answerMd: "Yes" })).status).toBe(404);
    const entryId = await idOf("Is it water-resistant?");
    expect((await entryAction(otherCookie, campaign.id, "delete", entryId)).status).toBe(404);
    // An entry of someone else's campaign, through one's own campaign's page.
    expect((await entryAction(otherCookie, otherCampaign.id, "delete", entryId)).status).toBe(404);
    expect((await entryAction(otherCookie, otherCampaign.id, "up", entryId)).status).toBe(404);
    const hijack = await save(otherCookie, otherCampaign.id, { entryId, question: "Hijacked?", answerMd: "Yes" });
    expect(hijack.status).toBe(404);
    expect(await questions(campaign.id)).toEqual(["Can I change my reward?", "Is it water-resistant?"]);
    expect(await questions(otherCampaign.id)).toEqual([]);

    const anon = await call(faqLoader, get(faqPath(campaign.id)), { id: campaign.id });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login/);
  });

  it("answers malformed ids with 404, not 500", async () => {
    expect((await call(faqLoader, get(faqPath("nope"), creatorCookie), { id: "nope" })).status).toBe(404);
    expect((await entryAction(creatorCookie, campaign.id, "up", "not-a-uuid")).status).toBe(404);
    expect(
      (await entryAction(creatorCookie, campaign.id, "sideways", await idOf("Is it water-resistant?"))).status,
    ).toBe(400);
    const edit = await save(creatorCookie, campaign.id, {
      entryId: "x'; drop table faq_entries; --",
      question: "Why?",
      answerMd: "Because",
    });
    expect(edit.status).toBe(400);
    const unknown = await save(creatorCookie, campaign.id, {
      entryId: "00000000-0000-4000-8000-000000000000",
      question: "Why?",
      answerMd: "Because",
    });
    expect(unknown.status).toBe(404);
  });
});

describe("the FAQ on the project page", () => {
  it("is shown to anonymous visitors, publicly cacheable, with answers rendered inert", async () => {
    await save(creatorCookie, campaign.id, {
      question: "<script>alert('q')</script> Safe?",
      answerMd:
        "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) [ok](https://example.com)",
    });
    const res = await call(projectLoader, get(`/projects/${campaign.slug}`), { slug: campaign.slug });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toMatch(/public/);
    const data = (await res.json()) as { faq: Array<{ question: string; answerHtml: string }> };
    expect(data.faq.map((e) => e.question)).toEqual([
      "Can I change my reward?",
      "Is it water-resistant?",
      "<script>alert('q')</script> Safe?",
    ]);
    expect(Object.keys(data.faq[0]!).sort()).toEqual(["answerHtml", "id", "question"]);
    const html = renderRoute({
      path: "/projects/:slug",
      url: `/projects/${campaign.slug}`,
      Component: ProjectPage,
      data,
    });
    expect(html).toContain("&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt; Safe?");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain(
      '<a href="https://example.com" rel="nofollow ugc noopener noreferrer" target="_blank">ok</a>',
    );
    expect(html).toContain(`href="/messages/new?campaign=${campaign.slug}"`);
  });
});
