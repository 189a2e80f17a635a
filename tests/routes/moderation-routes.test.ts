import { beforeAll, describe, expect, it } from "vitest";
import { action as reportAction } from "~/routes/report";
import { action as deskAction, loader as deskLoader } from "~/routes/moderation._index";
import { action as reviewsAction, loader as reviewsLoader } from "~/routes/moderation.reviews";
import { action as personAction, loader as personLoader } from "~/routes/moderation.users.$id";
import { action as launchAction, loader as launchLoader } from "~/routes/creator.campaigns.$id.launch";
import { action as commentsAction } from "~/routes/projects.$slug_.comments";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { recordComment } from "~/models/comment-state.server";
import { grantRole } from "~/models/user.server";
import { POSTING_LIMITS } from "~/domain/conversation-limits";
import { getConfig, parseConfig, setConfig } from "~/config.server";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { enrolTwoFactor } from "../support/two-factor";
import { makePng } from "../support/png";
import { storeImage } from "~/services/images.server";
import { storyColumns } from "~/domain/markdown";
import { call, get, post, sessionCookie } from "../support/routes";

// Reporting and the moderation desk as people use them: who may report what, the queue, what each
// decision does (to the comment, its reports, its author) and that it is audited with its reason;
// and review before launch, from the creator's submission to a moderator's approval or note.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });

let creator: { id: string; cookie: string };
let backer: { id: string; cookie: string };
let other: { id: string; cookie: string };
let moderator: { id: string; cookie: string };
let finance: { id: string; cookie: string };
let campaign: { id: string; slug: string; tiers: { id: string }[] };

async function person(name: string, role?: "moderator" | "finance") {
  const { db } = database();
  const user = await makeUser(db, name);
  if (role) {
    await grantRole(db, { email: user.email, role });
    await enrolTwoFactor(db, user.id);
  }
  return { id: user.id, cookie: await sessionCookie(user.id) };
}

async function commentBy(authorId: string, body: string) {
  const { db } = database();
  const row = await recordComment(db, {
    campaignId: campaign.id,
    updateId: null,
    parentId: null,
    authorId,
    bodyMd: body,
  });
  return row.id;
}

const report = (cookie: string, fields: Record<string, string>, query = "?_data=routes/report") =>
  call(reportAction, post(`/report${query}`, { subjectType: "comment", redirectTo: "/", ...fields }, cookie));

beforeAll(async () => {
  const { db } = database();
  creator = await person("Cora Creator");
  campaign = await makeLiveCampaign(db, { creatorId: creator.id });
  const b = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name: "Basil Backer" });
  backer = { id: b.id, cookie: await sessionCookie(b.id) };
  other = await person("Olga Other");
  moderator = await person("Mona Moderator", "moderator");
  finance = await person("Fin Finance", "finance");
}, 60_000);

describe("reporting", () => {
  it("a visible comment is reported once per person; a second report is answered kindly and adds nothing", async () => {
    const { db } = database();
    const id = await commentBy(backer.id, "Buy cheap watches at example.com");
    const first = await report(other.cookie, { subjectId: id, reason: "spam", note: "Link spam" });
    expect(await first.json()).toEqual({ outcome: "reported" });
    const again = await report(other.cookie, { subjectId: id, reason: "abuse" });
    expect(await again.json()).toEqual({ outcome: "already_reported" });
    const rows = await db.selectFrom("reports").select(["reason", "note"]).where("subject_id", "=", id).execute();
    expect(rows).toEqual([{ reason: "spam", note: "Link spam" }]);
  });

  it("without JavaScript the report comes back to the page with its outcome", async () => {
    const id = await commentBy(backer.id, "Another plain comment");
    const res = await report(
      other.cookie,
      { subjectId: id, reason: "off_topic", redirectTo: `/projects/${campaign.slug}/comments` },
      "",
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/projects/${campaign.slug}/comments?report=reported&reported=${id}`);
  });

  it("nobody reports their own words, a hidden comment, or one that does not exist; anonymous people sign in first", async () => {
    const { db } = database();
    const mine = await commentBy(other.id, "My own words");
    expect((await report(other.cookie, { subjectId: mine, reason: "spam" })).status).toBe(404);
    const hidden = await commentBy(backer.id, "Soon hidden");
    await db.updateTable("comments").set({ hidden_at: new Date() }).where("id", "=", hidden).execute();
    expect((await report(other.cookie, { subjectId: hidden, reason: "spam" })).status).toBe(404);
    expect(
      (await report(other.cookie, { subjectId: "00000000-0000-4000-8000-000000000000", reason: "spam" })).status,
    ).toBe(404);
    const anonymous = await call(
      reportAction,
      post("/report", { subjectType: "comment", subjectId: mine, reason: "spam" }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
  });

  it("a missing reason or a malformed subject is a 400 with a message at the field", async () => {
    const id = await commentBy(backer.id, "Needs a reason");
    const noReason = await report(other.cookie, { subjectId: id });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.reason).toEqual(["Choose a reason."]);
    expect((await report(other.cookie, { subjectId: "not-a-uuid", reason: "spam" })).status).toBe(400);
  });

  it("past the hourly rate, reporting answers 429 with a message", async () => {
    const flooder = await person("Rita Reporter");
    const statuses: number[] = [];
    let message = "";
    for (let i = 0; i <= POSTING_LIMITS.report.limit; i++) {
      const id = await commentBy(backer.id, `Comment to report ${i}`);
      const res = await report(flooder.cookie, { subjectId: id, reason: "spam" });
      statuses.push(res.status);
      if (res.status === 429) message = (await res.json()).error[""][0];
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(POSTING_LIMITS.report.limit);
    expect(statuses.at(-1)).toBe(429);
    expect(message).toMatch(/many reports in a short time/);
  });
});

describe("the moderation desk", () => {
  it("is a 404 to everyone without the moderator role", async () => {
    for (const who of [undefined, backer.cookie, creator.cookie, finance.cookie]) {
      for (const [loader, path, params] of [
        [deskLoader, "/moderation", {}],
        [reviewsLoader, "/moderation/reviews", {}],
        [personLoader, `/moderation/users/${backer.id}`, { id: backer.id }],
      ] as const) {
        const res = await call(loader, get(path, who), params);
        expect(res.status, `${path} as ${who ? "signed in" : "anonymous"}`).toBe(who ? 404 : 302);
      }
    }
    const decide = await call(
      deskAction,
      post(
        "/moderation",
        { intent: "hide", subjectType: "comment", subjectId: backer.id, reason: "try" },
        finance.cookie,
      ),
    );
    expect(decide.status).toBe(404);
  });

  it("shows each reported comment once with its reasons, and hiding it resolves every report, counts and audits", async () => {
    const { db } = database();
    const id = await commentBy(backer.id, "Rude words here");
    const second = await person("Sid Second");
    await report(other.cookie, { subjectId: id, reason: "abuse", note: "Insulting" });
    await report(second.cookie, { subjectId: id, reason: "spam" });
    const queue = await (await call(deskLoader, get("/moderation", moderator.cookie))).json();
    const item = queue.groups.find((g: { subjectId: string }) => g.subjectId === id);
    expect(item).toMatchObject({
      reportCount: 2,
      reasons: ["abuse", "spam"],
      notes: ["Insulting"],
      text: "Rude words here",
    });
    expect(JSON.stringify(queue)).not.toMatch(/@example\.com/);

    const before = await commentCount();
    const noReason = await call(
      deskAction,
      post("/moderation", { intent: "hide", subjectType: "comment", subjectId: id, reason: "" }, moderator.cookie),
    );
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.reason[0]).toMatch(/Give a reason/);
    const res = await call(
      deskAction,
      post(
        "/moderation",
        { intent: "hide", subjectType: "comment", subjectId: id, reason: "Insults another backer" },
        moderator.cookie,
      ),
    );
    expect(res.status).toBe(302);
    expect(await commentCount()).toBe(before - 1);
    const reports = await db
      .selectFrom("reports")
      .select(["resolution", "resolved_by"])
      .where("subject_id", "=", id)
      .execute();
    expect(reports).toEqual([
      { resolution: "hidden", resolved_by: moderator.id },
      { resolution: "hidden", resolved_by: moderator.id },
    ]);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "reason", "actor_id"])
      .where("subject_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: "comment.hide", reason: "Insults another backer", actor_id: moderator.id });
    const after = await (await call(deskLoader, get("/moderation", moderator.cookie))).json();
    expect(after.groups.some((g: { subjectId: string }) => g.subjectId === id)).toBe(false);
  });

  it("dismissing leaves the comment; deleting removes its words; both resolve its reports", async () => {
    const { db } = database();
    const keep = await commentBy(backer.id, "Perfectly fine question");
    const remove = await commentBy(backer.id, "Phishing link here");
    await report(other.cookie, { subjectId: keep, reason: "other" });
    await report(other.cookie, { subjectId: remove, reason: "spam" });
    for (const [intent, subjectId] of [
      ["dismiss", keep],
      ["delete", remove],
    ]) {
      const res = await call(
        deskAction,
        post(
          "/moderation",
          { intent: intent!, subjectType: "comment", subjectId: subjectId!, reason: "Checked it" },
          moderator.cookie,
        ),
      );
      expect(res.status).toBe(302);
    }
    const rows = await db
      .selectFrom("comments")
      .select(["id", "body_md", "hidden_at", "deleted_at"])
      .where("id", "in", [keep, remove])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(keep)).toMatchObject({ body_md: "Perfectly fine question", hidden_at: null, deleted_at: null });
    expect(byId.get(remove)).toMatchObject({ body_md: "" });
    expect(byId.get(remove)!.deleted_at).not.toBeNull();
    const open = await db
      .selectFrom("reports")
      .select("id")
      .where("subject_id", "in", [keep, remove])
      .where("resolved_at", "is", null)
      .execute();
    expect(open).toEqual([]);
  });

  it("suspending the author stops their posts and pledges; lifting it lets them post again", async () => {
    const { db } = database();
    const troll = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name: "Troy Troll" });
    const trollCookie = await sessionCookie(troll.id);
    const id = await commentBy(troll.id, "Spam spam spam");
    await report(other.cookie, { subjectId: id, reason: "spam" });
    const res = await call(
      deskAction,
      post(
        "/moderation",
        { intent: "suspend", subjectType: "comment", subjectId: id, reason: "Spam on many projects" },
        moderator.cookie,
      ),
    );
    expect(res.status).toBe(302);
    const user = await db
      .selectFrom("users")
      .select(["suspended_at", "suspension_reason"])
      .where("id", "=", troll.id)
      .executeTakeFirstOrThrow();
    expect(user.suspended_at).not.toBeNull();
    expect(user.suspension_reason).toBe("Spam on many projects");
    const post1 = await call(
      commentsAction,
      post(`/projects/${campaign.slug}/comments`, { intent: "post", body: "Still here" }, trollCookie),
      {
        slug: campaign.slug,
      },
    );
    expect(post1.status).toBe(403);
    const reportBySuspended = await report(trollCookie, {
      subjectId: await commentBy(backer.id, "x marks"),
      reason: "spam",
    });
    expect(reportBySuspended.status).toBe(403);

    const page = await (
      await call(personLoader, get(`/moderation/users/${troll.id}`, moderator.cookie), { id: troll.id })
    ).json();
    expect(page.person).toMatchObject({ name: "Troy Troll", suspensionReason: "Spam on many projects", comments: 1 });
    expect(JSON.stringify(page)).not.toMatch(/@example\.com/);

    const lift = await call(
      personAction,
      post(`/moderation/users/${troll.id}`, { intent: "lift", reason: "Appeal accepted" }, moderator.cookie),
      {
        id: troll.id,
      },
    );
    expect(lift.status).toBe(302);
    const post2 = await call(
      commentsAction,
      post(`/projects/${campaign.slug}/comments`, { intent: "post", body: "Sorry about that" }, trollCookie),
      {
        slug: campaign.slug,
      },
    );
    expect(post2.status).toBe(303);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "reason"])
      .where("subject_id", "=", troll.id)
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "user.suspend", reason: "Spam on many projects" },
      { action: "user.unsuspend", reason: "Appeal accepted" },
    ]);
  });

  it("a moderator cannot suspend themselves; a malformed person id is a 404", async () => {
    const self = await call(
      personAction,
      post(`/moderation/users/${moderator.id}`, { intent: "suspend", reason: "Testing" }, moderator.cookie),
      {
        id: moderator.id,
      },
    );
    expect(self.status).toBe(400);
    const bad = await call(personLoader, get("/moderation/users/nope", moderator.cookie), { id: "nope" });
    expect(bad.status).toBe(404);
  });
});

describe("review before launch", () => {
  let draft: { id: string; slug: string };
  /** A draft that passes the launch checklist: a cover with its description and a 30-day length. */
  async function readyDraft(title: string) {
    const { db } = database();
    const made = await makeLiveCampaign(db, { creatorId: creator.id, state: "draft" });
    const cover = await storeImage(db, { ownerId: creator.id, bytes: makePng(1200, 675) });
    if (!cover.ok) throw new Error(cover.message);
    await db
      .updateTable("campaigns")
      .set({
        duration_days: 30,
        title,
        cover_image_id: cover.imageId,
        cover_alt: "A stove in the sun",
        ...storyColumns(`${title} cooks a family meal with nothing but sunlight. `.repeat(8)),
      })
      .where("id", "=", made.id)
      .execute();
    return made;
  }
  beforeAll(async () => {
    setConfig(parseConfig({ ...configEnv(), REVIEW_BEFORE_LAUNCH: "true" }));
    draft = await readyDraft("Solar Stove");
  });

  it("Launch submits the draft; it stays a draft in the queue; the creator sees it is in review", async () => {
    const { db } = database();
    const res = await call(
      launchAction,
      post(`/creator/campaigns/${draft.id}/launch`, { intent: "launch" }, creator.cookie),
      { id: draft.id },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/creator/campaigns/${draft.id}/launch?submitted=1`);
    const row = await db.selectFrom("campaigns").select("state").where("id", "=", draft.id).executeTakeFirstOrThrow();
    expect(row.state).toBe("draft");
    const page = await (
      await call(launchLoader, get(`/creator/campaigns/${draft.id}/launch`, creator.cookie), { id: draft.id })
    ).json();
    expect(page.review.kind).toBe("in_review");
    const queue = await (await call(reviewsLoader, get("/moderation/reviews", moderator.cookie))).json();
    expect(queue.reviews.map((r: { campaign: { title: string } }) => r.campaign.title)).toContain("Solar Stove");
    // The moderator can preview the draft's public page; others cannot.
    expect(
      (await call(projectLoader, get(`/projects/${draft.slug}`, moderator.cookie), { slug: draft.slug })).status,
    ).toBe(200);
    expect((await call(projectLoader, get(`/projects/${draft.slug}`, other.cookie), { slug: draft.slug })).status).toBe(
      404,
    );
  });

  it("asking for changes needs a note; the creator reads it on the checklist and by email, in their language", async () => {
    const { db } = database();
    await db.updateTable("users").set({ locale: "es" }).where("id", "=", creator.id).execute();
    const queue = await (await call(reviewsLoader, get("/moderation/reviews", moderator.cookie))).json();
    const reviewId = queue.reviews.find((r: { campaign: { title: string } }) => r.campaign.title === "Solar Stove").id;
    const noNote = await call(
      reviewsAction,
      post("/moderation/reviews", { intent: "changes", reviewId, note: "" }, moderator.cookie),
    );
    expect(noNote.status).toBe(400);
    const res = await call(
      reviewsAction,
      post(
        "/moderation/reviews",
        { intent: "changes", reviewId, note: "Add photos of the prototype." },
        moderator.cookie,
      ),
    );
    expect(res.status).toBe(302);
    const page = await (
      await call(launchLoader, get(`/creator/campaigns/${draft.id}/launch`, creator.cookie), { id: draft.id })
    ).json();
    expect(page.review).toMatchObject({ kind: "changes_requested", note: "Add photos of the prototype." });
    const mail = await db
      .selectFrom("email_outbox")
      .select(["subject", "body_text", "locale"])
      .where("kind", "=", "review_changes_requested")
      .where("to_user_id", "=", creator.id)
      .executeTakeFirstOrThrow();
    expect(mail.locale).toBe("es");
    expect(mail.subject).toBe("Hay que hacer cambios antes de lanzar «Solar Stove»");
    expect(mail.body_text).toContain("Add photos of the prototype.");
  });

  it("resubmitted, two moderators approving at once launch it exactly once; the deadline counts from approval", async () => {
    const { db } = database();
    const again = await call(
      launchAction,
      post(`/creator/campaigns/${draft.id}/launch`, { intent: "launch" }, creator.cookie),
      { id: draft.id },
    );
    expect(again.status).toBe(302);
    const second = await person("Max Moderator", "moderator");
    const queue = await (await call(reviewsLoader, get("/moderation/reviews", moderator.cookie))).json();
    const entry = queue.reviews.find((r: { campaign: { title: string } }) => r.campaign.title === "Solar Stove");
    expect(entry.resubmission).toBe(true);
    const before = Date.now();
    const results = await Promise.all(
      [moderator, second].map((m) =>
        call(reviewsAction, post("/moderation/reviews", { intent: "approve", reviewId: entry.id, note: "" }, m.cookie)),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    const row = await db
      .selectFrom("campaigns")
      .select(["state", "deadline", "launched_at"])
      .where("id", "=", draft.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("live");
    expect(row.launched_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.deadline!.getTime() - row.launched_at!.getTime()).toBeGreaterThanOrEqual(30 * 24 * 3600_000 - 3600_000);
    const launches = await db
      .selectFrom("campaign_transitions")
      .select("id")
      .where("campaign_id", "=", draft.id)
      .where("to_state", "=", "live")
      .execute();
    expect(launches).toHaveLength(1);
    const approved = await db
      .selectFrom("email_outbox")
      .select("subject")
      .where("kind", "=", "review_approved")
      .where("to_user_id", "=", creator.id)
      .execute();
    expect(approved).toEqual([{ subject: "«Solar Stove» ya está publicada" }]);
  });

  it("without review, Launch goes live at once (demo mode's default)", async () => {
    setConfig(parseConfig(configEnv()));
    expect(getConfig().reviewBeforeLaunch).toBe(false);
    const direct = await readyDraft("Wind Lamp");
    const res = await call(
      launchAction,
      post(`/creator/campaigns/${direct.id}/launch`, { intent: "launch" }, creator.cookie),
      { id: direct.id },
    );
    expect(res.headers.get("Location")).toBe(`/creator/campaigns/${direct.id}?launched=1`);
  });
});

function configEnv() {
  const { url } = database();
  return {
    DATA_DIR: ".data-test",
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
    APP_URL: "https://colecta.example",
    ...(url ? { DATABASE_URL: url } : {}),
  };
}

async function commentCount() {
  const { db } = database();
  const row = await db
    .selectFrom("campaigns")
    .select("comment_count")
    .where("id", "=", campaign.id)
    .executeTakeFirstOrThrow();
  return row.comment_count;
}
