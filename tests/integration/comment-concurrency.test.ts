import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { commentActionSchema } from "~/domain/comments";
import { getUserById, type SessionUser } from "~/models/user.server";
import { actOnThread, openThread } from "~/services/comments/thread.server";
import { changeCommentVisibility } from "~/models/comment-state.server";
import { translatorFor } from "~/i18n";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";

// The counters a project page shows (campaigns.comment_count, comments.reply_count) are kept
// by each post, hide and delete in its own transaction. Under a burst of them at once, from
// many people, the counters must still equal what a count of the rows says.

const database = useTestDatabase();
const t = translatorFor("en");

describe("comment counters under concurrency", () => {
  it("100 people posting at once, and hides and deletes among them, leave every counter exact", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Crowded Creator");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id });
    await db.updateTable("campaigns").set({ comment_policy: "signed_in" }).where("id", "=", campaign.id).execute();
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => makeUser(db, `Poster ${i}`)));
    const sessionUsers = await Promise.all(users.map(async (u) => (await getUserById(db, u.id))!));
    const creatorUser = (await getUserById(db, creator.id))!;
    const thread = (await openThread(db, { slug: campaign.slug, updateId: null, viewer: undefined }))!;
    const act = (user: SessionUser, fields: Record<string, string>) =>
      actOnThread(db, {
        thread: { ...thread, permission: "ok", viewerIsCreator: user.id === creator.id },
        user,
        action: commentActionSchema(t).parse(fields),
        t,
      });

    // A first wave gives the replies something to hang on.
    const parents = await Promise.all(
      sessionUsers.slice(0, 10).map((u, i) => act(u, { intent: "post", body: `Parent ${i}` })),
    );
    const parentIds = parents.map((p) => (p.ok ? p.commentId : fail(p)));

    const results = await Promise.all([
      ...sessionUsers.map((u, i) =>
        act(
          u,
          i % 2 === 0
            ? { intent: "post", body: `Comment ${i}` }
            : { intent: "reply", parentId: parentIds[i % 10]!, body: `Reply ${i}` },
        ),
      ),
      // Meanwhile the creator hides three parents and two authors delete theirs.
      ...parentIds.slice(0, 3).map((id) => act(creatorUser, { intent: "hide", commentId: id })),
      ...parentIds.slice(3, 5).map((id, k) => act(sessionUsers[3 + k]!, { intent: "delete", commentId: id })),
      // And a moderator hides one twice at once: the second is a no-op.
      changeCommentVisibility(db, { commentId: parentIds[5]!, actorId: creator.id, to: "hidden" }),
      changeCommentVisibility(db, { commentId: parentIds[5]!, actorId: creator.id, to: "hidden" }),
    ]);
    // Replies to a parent hidden or deleted a moment earlier are refused; everything else lands.
    for (const r of results) if (!r.ok && !("status" in r && r.status === 404)) fail(r);

    const counted = await sql<{ visible: number }>`
      select count(*)::int as visible from comments
      where campaign_id = ${campaign.id} and deleted_at is null and hidden_at is null`.execute(db);
    const row = await db
      .selectFrom("campaigns")
      .select("comment_count")
      .where("id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(row.comment_count).toBe(counted.rows[0]!.visible);

    const replyCounts = await sql<{ id: string; reply_count: number; actual: number }>`
      select p.id, p.reply_count,
        (select count(*)::int from comments r where r.parent_id = p.id and r.deleted_at is null and r.hidden_at is null) as actual
      from comments p where p.campaign_id = ${campaign.id} and p.parent_id is null`.execute(db);
    for (const r of replyCounts.rows) expect(r.reply_count, `replies of ${r.id}`).toBe(r.actual);
    const total = await db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBeGreaterThanOrEqual(60);
  }, 120_000);
});

function fail(result: unknown): never {
  throw new Error(`unexpected outcome: ${JSON.stringify(result)}`);
}
