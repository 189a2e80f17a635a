import { beforeAll, describe, expect, it } from "vitest";
import { action as commentsAction, loader as commentsLoader } from "~/routes/projects.$slug_.comments";
import { action as reportAction } from "~/routes/report";
import { action as newThreadAction } from "~/routes/messages.new";
import { recordComment } from "~/models/comment-state.server";
import { grantRole } from "~/models/user.server";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { enrolTwoFactor } from "../support/two-factor";
import { call, get, post, sessionCookie } from "../support/routes";

// Who may do what in a campaign's conversation, in one table: seven kinds of person against
// every action issue 13 names, on a campaign with the default rule (backers comment). Each cell
// is the HTTP status the real route answers; each action acts on a comment of its own, so no
// cell depends on another. 302 is the way to sign in; 303 and 302 after a POST are success.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });

const PERSONAS = ["anonymous", "backer", "nonBacker", "otherCreator", "creator", "moderator", "suspended"] as const;
type Persona = (typeof PERSONAS)[number];
type Action = "read" | "post" | "reply" | "edit" | "delete" | "hide" | "report" | "message";

const EXPECTED: Record<Action, Record<Persona, number>> = {
  read: {
    anonymous: 200,
    backer: 200,
    nonBacker: 200,
    otherCreator: 200,
    creator: 200,
    moderator: 200,
    suspended: 200,
  },
  post: {
    anonymous: 302,
    backer: 303,
    nonBacker: 403,
    otherCreator: 403,
    creator: 303,
    moderator: 403,
    suspended: 403,
  },
  reply: {
    anonymous: 302,
    backer: 303,
    nonBacker: 403,
    otherCreator: 403,
    creator: 303,
    moderator: 403,
    suspended: 403,
  },
  // On a comment the backer wrote: only its author edits or deletes it, only the creator hides it.
  edit: {
    anonymous: 302,
    backer: 303,
    nonBacker: 403,
    otherCreator: 403,
    creator: 403,
    moderator: 403,
    suspended: 403,
  },
  delete: {
    anonymous: 302,
    backer: 303,
    nonBacker: 403,
    otherCreator: 403,
    creator: 403,
    moderator: 403,
    suspended: 403,
  },
  hide: {
    anonymous: 302,
    backer: 403,
    nonBacker: 403,
    otherCreator: 403,
    creator: 303,
    moderator: 403,
    suspended: 403,
  },
  // Anyone signed in reports what they can see, except their own words (the backer's: 404).
  report: {
    anonymous: 302,
    backer: 404,
    nonBacker: 200,
    otherCreator: 200,
    creator: 200,
    moderator: 200,
    suspended: 403,
  },
  // A private message to the campaign's creator: not to yourself.
  message: {
    anonymous: 302,
    backer: 302,
    nonBacker: 302,
    otherCreator: 302,
    creator: 403,
    moderator: 302,
    suspended: 403,
  },
};

const cookies = {} as Record<Persona, string | undefined>;
const ids = {} as Record<Exclude<Persona, "anonymous">, string>;
let campaign: { id: string; slug: string; tiers: { id: string }[] };

beforeAll(async () => {
  const { db } = database();
  const creator = await makeUser(db, "Creator");
  campaign = await makeLiveCampaign(db, { creatorId: creator.id });
  const tierId = campaign.tiers[0]!.id;
  const backer = await makeBacker(db, { campaignId: campaign.id, tierId, name: "Backer" });
  const nonBacker = await makeUser(db, "Non-backer");
  const otherCreator = await makeUser(db, "Other creator");
  await makeLiveCampaign(db, { creatorId: otherCreator.id });
  const moderator = await makeUser(db, "Moderator");
  await grantRole(db, { email: moderator.email, role: "moderator" });
  await enrolTwoFactor(db, moderator.id);
  const suspended = await makeBacker(db, { campaignId: campaign.id, tierId, name: "Suspended" });
  await db
    .updateTable("users")
    .set({ suspended_at: new Date(), suspension_reason: "spam" })
    .where("id", "=", suspended.id)
    .execute();
  const people = { backer, nonBacker, otherCreator, creator, moderator, suspended };
  cookies.anonymous = undefined;
  for (const [key, user] of Object.entries(people)) {
    ids[key as keyof typeof ids] = user.id;
    cookies[key as Persona] = await sessionCookie(user.id);
  }
}, 60_000);

/** A fresh comment by the backer, for one cell to act on. */
async function backersComment(label: string) {
  const { db } = database();
  const row = await recordComment(db, {
    campaignId: campaign.id,
    updateId: null,
    parentId: null,
    authorId: ids.backer,
    bodyMd: `The backer's comment for ${label}`,
  });
  return row.id;
}

async function act(action: Action, who: Persona): Promise<number> {
  const cookie = cookies[who];
  const path = `/projects/${campaign.slug}/comments`;
  const params = { slug: campaign.slug };
  const onThread = (fields: Record<string, string>) => call(commentsAction, post(path, fields, cookie), params);
  const label = `${action} by ${who}`;
  switch (action) {
    case "read":
      return (await call(commentsLoader, get(path, cookie), params)).status;
    case "post":
      return (await onThread({ intent: "post", body: `A comment: ${label}` })).status;
    case "reply":
      return (await onThread({ intent: "reply", parentId: await backersComment(label), body: `A reply: ${label}` }))
        .status;
    case "edit":
      return (await onThread({ intent: "edit", commentId: await backersComment(label), body: `Edited: ${label}` }))
        .status;
    case "delete":
      return (await onThread({ intent: "delete", commentId: await backersComment(label) })).status;
    case "hide":
      return (await onThread({ intent: "hide", commentId: await backersComment(label) })).status;
    case "report": {
      const fields = {
        subjectType: "comment",
        subjectId: await backersComment(label),
        reason: "spam",
        redirectTo: path,
      };
      return (await call(reportAction, post("/report?_data=routes/report", fields, cookie))).status;
    }
    case "message": {
      const fields = { campaign: campaign.slug, subject: `Question: ${label}`, body: `Hello, ${label}` };
      return (await call(newThreadAction, post("/messages/new", fields, cookie))).status;
    }
  }
}

describe("the conversation's authorization matrix", () => {
  for (const [action, row] of Object.entries(EXPECTED) as [Action, Record<Persona, number>][]) {
    it(`${action}: ${PERSONAS.map((p) => `${p} ${row[p]}`).join(", ")}`, async () => {
      const got: Record<string, number> = {};
      for (const who of PERSONAS) got[who] = await act(action, who);
      expect(got).toEqual(row);
    });
  }

  it("leaves nothing written by a refused cell: every visible comment is one a permitted cell made", async () => {
    const { db } = database();
    const authors = await db
      .selectFrom("comments")
      .innerJoin("users", "users.id", "comments.author_id")
      .select(["users.name", "comments.body_md"])
      .where("comments.campaign_id", "=", campaign.id)
      .where("comments.body_md", "like", "A %")
      .execute();
    const writers = new Set(authors.map((a) => a.name));
    expect([...writers].sort()).toEqual(["Backer", "Creator"]);
  });
});
