import { beforeAll, describe, expect, it } from "vitest";
import { action as commentsAction, loader as commentsLoader } from "~/routes/projects.$slug_.comments";
import { action as updateAction, loader as updateLoader } from "~/routes/projects.$slug_.updates.$updateId";
import { action as policyAction } from "~/routes/creator.campaigns.$id.comments";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { action as pledgeAction } from "~/routes/projects.$slug_.pledge";
import { grantRole } from "~/models/user.server";
import { queueCommentDigests } from "~/services/comments/digest.server";
import { POSTING_LIMITS } from "~/domain/conversation-limits";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { enrolTwoFactor } from "../support/two-factor";
import { call, get, post, sessionCookie } from "../support/routes";

// Comment threads as people use them: who may read and write on a project's comments and on an
// update's, what each may do to a comment, what they see of hidden and deleted ones, the reply
// email and the creators' digest, the limits, and Markdown that cannot carry a script.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });

type Persona = "anonymous" | "backer" | "nonBacker" | "otherCreator" | "creator" | "moderator" | "suspended";
const people: Record<Exclude<Persona, "anonymous">, { id: string; cookie: string; name: string }> = {} as never;
let campaign: { id: string; slug: string; tiers: { id: string }[] };
let publicUpdateId: string;
let backersUpdateId: string;

const cookieOf = (who: Persona) => (who === "anonymous" ? undefined : people[who].cookie);
const commentsPath = () => `/projects/${campaign.slug}/comments`;

function postComment(who: Persona, fields: Record<string, string>, path = commentsPath()) {
  return call(commentsAction, post(path, fields, cookieOf(who)), { slug: campaign.slug });
}

async function readThread(who: Persona, query = "") {
  const res = await call(commentsLoader, get(`${commentsPath()}${query}`, cookieOf(who)), { slug: campaign.slug });
  expect(res.status).toBe(200);
  return res.json();
}

/** Posts a comment as `who` and returns its id (from the redirect's anchor). */
async function commentAs(who: Persona, body: string, extra: Record<string, string> = {}) {
  const res = await postComment(who, { intent: extra.parentId ? "reply" : "post", body, ...extra });
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get("Location")!.split("#comment-")[1]!;
}

beforeAll(async () => {
  const { db } = database();
  const creator = await makeUser(db, "Carla Creator");
  campaign = await makeLiveCampaign(db, { creatorId: creator.id });
  const backer = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name: "Bruno Backer" });
  const nonBacker = await makeUser(db, "Nina Nobody");
  const otherCreator = await makeUser(db, "Otto Other");
  await makeLiveCampaign(db, { creatorId: otherCreator.id });
  const moderator = await makeUser(db, "Mo Moderator");
  await grantRole(db, { email: moderator.email, role: "moderator" });
  await enrolTwoFactor(db, moderator.id);
  const suspended = await makeBacker(db, {
    campaignId: campaign.id,
    tierId: campaign.tiers[0]!.id,
    name: "Sam Suspended",
  });
  await db
    .updateTable("users")
    .set({ suspended_at: new Date(), suspension_reason: "spam" })
    .where("id", "=", suspended.id)
    .execute();
  for (const [key, user] of Object.entries({ creator, backer, nonBacker, otherCreator, moderator, suspended })) {
    people[key as keyof typeof people] = { id: user.id, name: user.name, cookie: await sessionCookie(user.id) };
  }
  const updates = await db
    .insertInto("campaign_updates")
    .values([
      {
        campaign_id: campaign.id,
        author_id: creator.id,
        title: "Prototype two",
        body_md: "It works.",
        body_html: "<p>It works.</p>",
        markdown_version: 1,
        visibility: "public",
      },
      {
        campaign_id: campaign.id,
        author_id: creator.id,
        title: "For backers",
        body_md: "Secret.",
        body_html: "<p>Secret.</p>",
        markdown_version: 1,
        visibility: "backers",
      },
    ])
    .returning(["id", "visibility"])
    .execute();
  publicUpdateId = updates.find((u) => u.visibility === "public")!.id;
  backersUpdateId = updates.find((u) => u.visibility === "backers")!.id;
}, 60_000);

describe("who may write on a backers-only thread (the default)", () => {
  const expected: Record<Persona, number> = {
    anonymous: 302, // to sign in
    backer: 303,
    nonBacker: 403,
    otherCreator: 403,
    creator: 303,
    moderator: 403,
    suspended: 403,
  };
  for (const [who, status] of Object.entries(expected) as [Persona, number][]) {
    it(`${who}: posting answers ${status}`, async () => {
      const res = await postComment(who, { intent: "post", body: `Hello from ${who}` });
      expect(res.status).toBe(status);
      if (status === 403) {
        const answer = await res.json();
        expect(answer.error[""][0]).toMatch(/backers|suspended/i);
      }
    });
  }

  it("everyone, signed in or not, reads the thread; only writers get the composer", async () => {
    for (const who of [
      "anonymous",
      "backer",
      "nonBacker",
      "otherCreator",
      "creator",
      "moderator",
      "suspended",
    ] as Persona[]) {
      const page = await readThread(who);
      expect(page.comments.length).toBeGreaterThan(0);
      expect(page.permission).toBe(
        who === "backer" || who === "creator"
          ? "ok"
          : who === "anonymous"
            ? "signIn"
            : who === "suspended"
              ? "suspended"
              : "backersOnly",
      );
    }
  });

  it("the creator's comments carry the creator badge; nobody else's do", async () => {
    const page = await readThread("anonymous");
    const byName = new Map(
      page.comments.map((c: { authorName: string; byCreator: boolean }) => [c.authorName, c.byCreator]),
    );
    expect(byName.get("Carla Creator")).toBe(true);
    expect(byName.get("Bruno Backer")).toBe(false);
  });

  it("anonymous data holds nothing personal and is publicly cacheable; signed-in pages are private", async () => {
    const res = await call(commentsLoader, get(commentsPath()), { slug: campaign.slug });
    expect(res.headers.get("Cache-Control")).toMatch(/^public/);
    const text = await res.text();
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toMatch(/"editableSource":"/);
    const signedIn = await call(commentsLoader, get(commentsPath(), people.backer.cookie), { slug: campaign.slug });
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-store");
  });
});

describe("a suspended account", () => {
  it("cannot start a new pledge, in its own language, and nothing is written", async () => {
    const { db } = database();
    const res = await call(
      pledgeAction,
      post(
        `/projects/${campaign.slug}/pledge`,
        { tier: campaign.tiers[0]!.id, amount: "30" },
        `${people.suspended.cookie}; colecta_lang=es`,
      ),
      { slug: campaign.slug },
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error[""][0]).toMatch(/^Tu cuenta está suspendida/);
    const pledges = await db.selectFrom("pledges").select("id").where("backer_id", "=", people.suspended.id).execute();
    expect(pledges).toHaveLength(1); // the one it had before, which settles as usual
  });
});

describe("when the creator opens comments to anyone signed in", () => {
  it("a non-backer may post; the suspended account still may not", async () => {
    const save = await call(
      policyAction,
      post(`/creator/campaigns/${campaign.id}/comments`, { policy: "signed_in" }, people.creator.cookie),
      { id: campaign.id },
    );
    expect(save.status).toBe(303);
    expect((await postComment("nonBacker", { intent: "post", body: "Curious about this" })).status).toBe(303);
    expect((await postComment("otherCreator", { intent: "post", body: "Nice project" })).status).toBe(303);
    expect((await postComment("suspended", { intent: "post", body: "Buy my stuff" })).status).toBe(403);
  });

  it("another creator cannot change the policy of a campaign that is not theirs", async () => {
    const res = await call(
      policyAction,
      post(`/creator/campaigns/${campaign.id}/comments`, { policy: "backers" }, people.otherCreator.cookie),
      { id: campaign.id },
    );
    expect(res.status).toBe(404);
    const { db } = database();
    const row = await db
      .selectFrom("campaigns")
      .select("comment_policy")
      .where("id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(row.comment_policy).toBe("signed_in");
  });

  it("a bad policy value gets a message at the field", async () => {
    const res = await call(
      policyAction,
      post(`/creator/campaigns/${campaign.id}/comments`, { policy: "everyone" }, people.creator.cookie),
      { id: campaign.id },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.policy[0]).toMatch(/who can comment/i);
  });
});

describe("replies, edits, deletes and hides", () => {
  it("a reply joins its comment, emails the comment's author once, and a reply to a reply stays one level deep", async () => {
    const { db } = database();
    const parent = await commentAs("backer", "Will it ship to Portugal?");
    const reply = await commentAs("creator", "Yes, all of the EU.", { parentId: parent });
    await commentAs("backer", "Great, thanks!", { parentId: reply });
    const page = await readThread("anonymous");
    const thread = page.comments.find((c: { id: string }) => c.id === parent);
    expect(thread.replies.map((r: { authorName: string }) => r.authorName)).toEqual(["Carla Creator", "Bruno Backer"]);
    expect(thread.replies[0].byCreator).toBe(true);
    const mails = await db
      .selectFrom("email_outbox")
      .select(["to_user_id", "subject", "body_text", "category"])
      .where("kind", "=", "comment_reply")
      .execute();
    // The backer hears of the creator's reply; the creator of the backer's answer to it; nobody of their own.
    expect(mails.filter((m) => m.to_user_id === people.backer.id)).toHaveLength(1);
    const toBacker = mails.find((m) => m.to_user_id === people.backer.id)!;
    expect(toBacker.subject).toBe(`Carla Creator replied to your comment on Campaign ${campaign.slug}`);
    expect(toBacker.body_text).toContain("Yes, all of the EU.");
    expect(toBacker.body_text).toContain(`https://colecta.example/projects/${campaign.slug}/comments#comment-${reply}`);
    expect(toBacker.category).toBe("comments");
  });

  it("the author edits within 15 minutes (marked edited); others cannot; later the edit is refused", async () => {
    const { db } = database();
    const id = await commentAs("backer", "Typo in this coment");
    expect((await postComment("nonBacker", { intent: "edit", commentId: id, body: "Hijacked" })).status).toBe(403);
    expect(
      (await postComment("backer", { intent: "edit", commentId: id, body: "No typo in this comment" })).status,
    ).toBe(303);
    let page = await readThread("anonymous");
    let comment = page.comments.find((c: { id: string }) => c.id === id);
    expect(comment.html).toContain("No typo in this comment");
    expect(comment.editedAt).not.toBeNull();
    await db.updateTable("comments").set({ edited_at: null }).where("id", "=", id).execute();
    await sqlAgo(id, 16);
    const late = await postComment("backer", { intent: "edit", commentId: id, body: "Too late now" });
    expect(late.status).toBe(409);
    expect((await late.json()).error.body[0]).toMatch(/no longer be edited/);
    page = await readThread("anonymous");
    comment = page.comments.find((c: { id: string }) => c.id === id);
    expect(comment.html).toContain("No typo in this comment");
  });

  it("only the author deletes; the count drops; a deleted comment with replies leaves a placeholder without its words", async () => {
    const { db } = database();
    const id = await commentAs("backer", "I will regret this");
    await commentAs("creator", "Regret what?", { parentId: id });
    const before = await countOf(campaign.id);
    for (const who of ["nonBacker", "creator", "moderator"] as Persona[])
      expect((await postComment(who, { intent: "delete", commentId: id })).status).toBe(403);
    expect((await postComment("backer", { intent: "delete", commentId: id })).status).toBe(303);
    expect(await countOf(campaign.id)).toBe(before - 1);
    const page = await readThread("anonymous");
    const deleted = page.comments.find((c: { id: string }) => c.id === id);
    expect(deleted.visibility).toBe("deleted");
    expect(deleted.html).toBe("");
    expect(JSON.stringify(deleted)).not.toContain("regret");
    const row = await db.selectFrom("comments").select("body_md").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.body_md).toBe("");
  });

  it("the creator hides and shows a comment on their campaign; nobody else can; hidden shows a placeholder", async () => {
    const id = await commentAs("nonBacker", "Off-topic rant about something else");
    for (const who of ["backer", "otherCreator", "moderator", "nonBacker"] as Persona[])
      expect((await postComment(who, { intent: "hide", commentId: id })).status).toBe(403);
    const before = await countOf(campaign.id);
    expect((await postComment("creator", { intent: "hide", commentId: id })).status).toBe(303);
    expect(await countOf(campaign.id)).toBe(before - 1);
    let page = await readThread("anonymous");
    let hidden = page.comments.find((c: { id: string }) => c.id === id);
    expect(hidden.visibility).toBe("hidden");
    expect(JSON.stringify(hidden)).not.toContain("rant");
    // A hidden comment cannot be replied to, edited or reported.
    expect((await postComment("backer", { intent: "reply", parentId: id, body: "Agreed" })).status).toBe(404);
    expect((await postComment("creator", { intent: "show", commentId: id })).status).toBe(303);
    page = await readThread("anonymous");
    hidden = page.comments.find((c: { id: string }) => c.id === id);
    expect(hidden.visibility).toBe("visible");
    expect(await countOf(campaign.id)).toBe(before);
  });

  it("each person is offered exactly what they may do to a comment", async () => {
    const id = await commentAs("backer", "What colours will it come in?");
    const mayOf = async (who: Persona) => (await readThread(who)).comments.find((c: { id: string }) => c.id === id).may;
    expect(await mayOf("anonymous")).toEqual({ reply: false, delete: false, hide: false, show: false, report: false });
    expect(await mayOf("backer")).toEqual({ reply: true, delete: true, hide: false, show: false, report: false });
    expect(await mayOf("creator")).toEqual({ reply: true, delete: false, hide: true, show: false, report: true });
    expect(await mayOf("nonBacker")).toEqual({ reply: true, delete: false, hide: false, show: false, report: true });
    expect(await mayOf("suspended")).toEqual({ reply: false, delete: false, hide: false, show: false, report: false });
  });
});

describe("update threads", () => {
  it("a public update's thread is its own; a backers-only update's is closed to others", async () => {
    const { db } = database();
    // A backer of their own: the main one has used up much of the hour's posting rate.
    const reader = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name: "Uma Update" });
    const readerCookie = await sessionCookie(reader.id);
    const path = `/projects/${campaign.slug}/updates/${publicUpdateId}`;
    const res = await call(updateAction, post(path, { intent: "post", body: "Love the prototype" }, readerCookie), {
      slug: campaign.slug,
      updateId: publicUpdateId,
    });
    expect(res.status).toBe(303);
    const page = await (await call(updateLoader, get(path), { slug: campaign.slug, updateId: publicUpdateId })).json();
    expect(page.update.title).toBe("Prototype two");
    expect(page.comments.map((c: { html: string }) => c.html.trim())).toEqual(["<p>Love the prototype</p>"]);
    // The project page's thread does not show it.
    const project = await readThread("anonymous");
    expect(JSON.stringify(project)).not.toContain("Love the prototype");

    const locked = `/projects/${campaign.slug}/updates/${backersUpdateId}`;
    const params = { slug: campaign.slug, updateId: backersUpdateId };
    const asBacker = await call(
      updateAction,
      post(locked, { intent: "post", body: "Secret reply" }, readerCookie),
      params,
    );
    expect(asBacker.status).toBe(303);
    const outsider = await (await call(updateLoader, get(locked, people.nonBacker.cookie), params)).json();
    expect(outsider.update.locked).toBe(true);
    expect(outsider.update.html).toBe("");
    expect(outsider.comments).toEqual([]);
    const refused = await call(
      updateAction,
      post(locked, { intent: "post", body: "Let me in" }, people.nonBacker.cookie),
      params,
    );
    expect(refused.status).toBe(403);
  });

  it("malformed addresses are 404s, never errors", async () => {
    for (const [slug, updateId] of <[string, string][]>[
      ["NOT a slug", publicUpdateId],
      [campaign.slug, "not-a-uuid"],
      [campaign.slug, "00000000-0000-4000-8000-000000000000"],
    ]) {
      const res = await call(updateLoader, get(`/projects/${slug}/updates/${updateId}`), { slug, updateId });
      expect(res.status).toBe(404);
    }
    const cursor = await call(commentsLoader, get(`${commentsPath()}?before=1;drop`), { slug: campaign.slug });
    expect(cursor.status).toBe(404);
    const res = await postComment("backer", { intent: "edit", commentId: "nope", body: "x" });
    expect(res.status).toBe(400);
  });
});

describe("limits and bad input", () => {
  it("an empty or too-long comment gets a message at the field and writes nothing", async () => {
    const before = await countOf(campaign.id);
    const empty = await postComment("backer", { intent: "post", body: "   " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.body[0]).toBe("Write something first.");
    const long = await postComment("backer", { intent: "post", body: "x".repeat(5_001) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.body[0]).toMatch(/under 5000 characters/);
    const unknown = await postComment("backer", { intent: "shout", body: "hi" });
    expect(unknown.status).toBe(400);
    expect(await countOf(campaign.id)).toBe(before);
  });

  it("the same words twice within ten minutes are refused as a duplicate", async () => {
    await commentAs("otherCreator", "Is there a  discount for schools?");
    const again = await postComment("otherCreator", { intent: "post", body: "is there a discount for schools" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.body[0]).toMatch(/already posted this/);
  });

  it("past the per-account rate, posting answers 429 with a message and a Retry-After", async () => {
    const { db } = database();
    const flooder = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name: "Flo Flood" });
    const cookie = await sessionCookie(flooder.id);
    const statuses: number[] = [];
    for (let i = 0; i <= POSTING_LIMITS.comment.limit; i++) {
      const res = await call(
        commentsAction,
        post(commentsPath(), { intent: "post", body: `Message number ${i}` }, cookie),
        {
          slug: campaign.slug,
        },
      );
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
        expect((await res.json()).error[""][0]).toMatch(/commenting very fast/);
      }
    }
    expect(statuses.filter((s) => s === 303)).toHaveLength(POSTING_LIMITS.comment.limit);
    expect(statuses.at(-1)).toBe(429);
  });

  it("Markdown with scripts, event handlers and javascript: links renders inert", async () => {
    const attacks = [
      "<script>alert(1)</script>plain",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      '<a href="javascript:alert(1)">a</a>',
      "<iframe src=https://evil.example></iframe>",
      "# Heading <svg onload=alert(1)>",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ];
    const { db } = database();
    const writer = await makeBacker(db, {
      campaignId: campaign.id,
      tierId: campaign.tiers[0]!.id,
      name: "Xavier <b>Bold</b>",
    });
    const cookie = await sessionCookie(writer.id);
    for (const body of attacks) {
      const res = await call(commentsAction, post(commentsPath(), { intent: "post", body }, cookie), {
        slug: campaign.slug,
      });
      expect(res.status).toBe(303);
    }
    const page = await readThread("anonymous");
    const html = page.comments.map((c: { html: string }) => c.html).join("\n");
    expect(html).not.toMatch(/<script|<img|<iframe|<svg|onerror|onload|javascript:|data:text/i);
    expect(html).toContain("plain");
    // The author's name is text: React escapes it where it is shown.
    expect(page.comments.some((c: { authorName: string }) => c.authorName === "Xavier <b>Bold</b>")).toBe(true);
  });
});

describe("pages and counts", () => {
  it("pages go newest first and the older link reaches every comment exactly once", async () => {
    const seen: string[] = [];
    let query = "";
    for (let guard = 0; guard < 20; guard++) {
      const page = await readThread("anonymous", query);
      seen.push(...page.comments.map((c: { id: string }) => c.id));
      if (!page.nextBefore) break;
      query = `?before=${page.nextBefore}`;
    }
    const { db } = database();
    const rows = await db
      .selectFrom("comments")
      .select("id")
      .where("campaign_id", "=", campaign.id)
      .where("update_id", "is", null)
      .where("parent_id", "is", null)
      .where((eb) => eb.or([eb("deleted_at", "is", null), eb("reply_count", ">", 0)]))
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(rows.length).toBeGreaterThan(20);
  });

  it("the project page shows the maintained count, equal to the visible comments", async () => {
    const { db } = database();
    const res = await call(projectLoader, get(`/projects/${campaign.slug}`), { slug: campaign.slug });
    const data = await res.json();
    const visible = await db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("campaign_id", "=", campaign.id)
      .where("deleted_at", "is", null)
      .where("hidden_at", "is", null)
      .executeTakeFirstOrThrow();
    expect(data.campaign.commentCount).toBe(Number(visible.n));
  });

  it("the creator's daily digest counts yesterday's comments by others, once per campaign and day", async () => {
    const { db } = database();
    const now = new Date();
    const yesterday = new Date(now.getTime() - 24 * 3600_000);
    await db
      .updateTable("comments")
      .set({ created_at: yesterday } as never)
      .where("campaign_id", "=", campaign.id)
      .execute();
    const queued = await queueCommentDigests(db, { now });
    expect(queued).toBeGreaterThanOrEqual(1);
    expect(await queueCommentDigests(db, { now })).toBe(0);
    const digest = await db
      .selectFrom("email_outbox")
      .select(["subject", "body_text", "to_user_id", "dedupe_key"])
      .where("kind", "=", "comment_digest")
      .where("to_user_id", "=", people.creator.id)
      .executeTakeFirstOrThrow();
    const others = await db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("campaign_id", "=", campaign.id)
      .where("deleted_at", "is", null)
      .where("hidden_at", "is", null)
      .where("author_id", "!=", people.creator.id)
      .executeTakeFirstOrThrow();
    expect(digest.subject).toBe(`${Number(others.n)} new comments on Campaign ${campaign.slug}`);
    expect(digest.body_text).not.toContain("Yes, all of the EU."); // the creator's own words are not news to them
    expect(digest.dedupe_key).toBe(`comment-digest:${campaign.id}:${yesterday.toISOString().slice(0, 10)}`);
  });
});

async function countOf(campaignId: string) {
  const { db } = database();
  const row = await db
    .selectFrom("campaigns")
    .select("comment_count")
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return row.comment_count;
}

async function sqlAgo(commentId: string, minutes: number) {
  const { db } = database();
  await db
    .updateTable("comments")
    .set({ created_at: new Date(Date.now() - minutes * 60_000) } as never)
    .where("id", "=", commentId)
    .execute();
}
