import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { MAX_LENGTH, POSTING_LIMITS, postingLimitKey } from "~/domain/conversation-limits";
import { setNotificationPreferences } from "~/models/notification-preferences.server";
import { recordNewPledge } from "~/models/pledge-state.server";
import { loader as rootLoader } from "~/root";
import Thread, { action as threadAction, loader as threadLoader } from "~/routes/messages.$threadId";
import { loader as inboxLoader } from "~/routes/messages._index";
import { action as newAction, loader as newLoader } from "~/routes/messages.new";
import { hitRateLimit } from "~/services/rate-limit.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { renderRoute } from "../support/render-route";
import { call, get, post, sessionCookie } from "../support/routes";

// Private messages: who can read and write a thread, unread counts on both sides, the limits
// that stop floods, inert user text, and the coalesced email to the other side.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

type User = Awaited<ReturnType<typeof makeUser>>;
let creator: User;
let backer: User;
let stranger: User;
let otherCreator: User;
let campaign: Awaited<ReturnType<typeof makeLiveCampaign>>;
const cookies: Record<string, string> = {};

async function back(userId: string, tierIndex: number) {
  await db()
    .transaction()
    .execute(async (trx) => {
      const tier = campaign.tiers[tierIndex]!;
      const p = await trx
        .insertInto("pledges")
        .values({
          campaign_id: campaign.id,
          backer_id: userId,
          tier_id: tier.id,
          currency: "usd",
          base_amount: 5_000,
          amount: 5_000,
          state: "active",
        })
        .returning(["id", "campaign_id", "tier_id", "amount", "state"])
        .executeTakeFirstOrThrow();
      await recordNewPledge(trx, { ...p, amount: Number(p.amount) }, userId);
    });
}

async function startThread(cookie: string, fields: Partial<Record<"subject" | "body" | "campaign", string>> = {}) {
  return call(
    newAction,
    post(
      "/messages/new",
      { campaign: campaign.slug, subject: "Shipping to Spain?", body: "Do you ship to Spain?", ...fields },
      cookie,
    ),
  );
}

const threadIdOf = (res: Response) => /^\/messages\/([0-9a-f-]{36})/.exec(res.headers.get("Location") ?? "")![1]!;

async function openThread(threadId: string, cookie: string) {
  return call(threadLoader, get(`/messages/${threadId}`, cookie), { threadId });
}

async function reply(threadId: string, cookie: string, body: string) {
  return call(threadAction, post(`/messages/${threadId}`, { body }, cookie), { threadId });
}

async function unreadInHeader(cookie: string) {
  const data = (await (await call(rootLoader, get("/", cookie))).json()) as { user: { unreadMessages: number } };
  return data.user.unreadMessages;
}

async function inbox(cookie: string) {
  return (await (await call(inboxLoader, get("/messages", cookie))).json()) as {
    unread: number;
    threads: Array<{ id: string; unread: number; side: string; otherName: string; participantBacks: boolean }>;
  };
}

const outboxTo = (email: string) =>
  db().selectFrom("email_outbox").selectAll().where("to_email", "=", email).where("kind", "=", "message").execute();

beforeAll(async () => {
  creator = await makeUser(db(), "Carla Creator");
  backer = await makeUser(db(), "Bruno Backer");
  stranger = await makeUser(db(), "Sam Stranger");
  otherCreator = await makeUser(db(), "Olga Other");
  campaign = await makeLiveCampaign(db(), {
    creatorId: creator.id,
    tiers: [
      { title: "Early bird", minimum: 2_500 },
      { title: "Deluxe", minimum: 9_000 },
    ],
  });
  await makeLiveCampaign(db(), { creatorId: otherCreator.id });
  await back(backer.id, 0);
  for (const u of [creator, backer, stranger, otherCreator]) cookies[u.id] = await sessionCookie(u.id);
}, 120_000);

describe("starting a thread (Ask the creator)", () => {
  it("sends anonymous visitors to sign in, and refuses the creator writing to themselves", async () => {
    const anon = await call(newLoader, get(`/messages/new?campaign=${campaign.slug}`));
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await call(newLoader, get(`/messages/new?campaign=${campaign.slug}`, cookies[creator.id]))).status).toBe(
      403,
    );
    expect((await startThread(cookies[creator.id]!)).status).toBe(403);
    expect((await call(newLoader, get("/messages/new?campaign=no-such-project", cookies[backer.id]))).status).toBe(404);
    expect((await call(newLoader, get("/messages/new?campaign=%27%3B--", cookies[backer.id]))).status).toBe(404);
  });

  it("opens one thread per person and campaign; asking again goes to it", async () => {
    const res = await startThread(cookies[backer.id]!);
    expect(res.status).toBe(302);
    const threadId = threadIdOf(res);
    const again = await call(newLoader, get(`/messages/new?campaign=${campaign.slug}`, cookies[backer.id]));
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe(`/messages/${threadId}`);
    // Posting the form again (another tab) adds to the same thread instead of a second one.
    const second = await startThread(cookies[backer.id]!, { body: "Also: is there a warranty?" });
    expect(threadIdOf(second)).toBe(threadId);
    const rows = await db()
      .selectFrom("message_threads")
      .select("id")
      .where("participant_id", "=", backer.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("answers bad input at the fields with a 400", async () => {
    const res = await startThread(cookies[stranger.id]!, { subject: "x", body: "   " });
    expect(res.status).toBe(400);
    const reply = (await res.json()) as { error: Record<string, string[]> };
    expect(reply.error.subject?.[0]).toMatch(/subject of 3 to 150/);
    expect(reply.error.body?.[0]).toBe("Write your message.");
  });
});

describe("who can read and write a thread", () => {
  let threadId: string;
  beforeAll(async () => {
    const row = await db()
      .selectFrom("message_threads")
      .select("id")
      .where("participant_id", "=", backer.id)
      .executeTakeFirstOrThrow();
    threadId = row.id;
  });

  it("lets the participant and the campaign's creator read it, nobody else", async () => {
    expect((await openThread(threadId, cookies[backer.id]!)).status).toBe(200);
    expect((await openThread(threadId, cookies[creator.id]!)).status).toBe(200);
    expect((await openThread(threadId, cookies[stranger.id]!)).status).toBe(404);
    expect((await openThread(threadId, cookies[otherCreator.id]!)).status).toBe(404);
    const anon = await openThread(threadId, undefined as unknown as string);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login/);
  });

  it("refuses a reply from anyone else (404) and a malformed id (404, not 500)", async () => {
    expect((await reply(threadId, cookies[stranger.id]!, "Let me in")).status).toBe(404);
    expect((await reply(threadId, cookies[otherCreator.id]!, "Let me in too")).status).toBe(404);
    expect((await openThread("not-a-uuid", cookies[backer.id]!)).status).toBe(404);
    expect((await reply("1234' or 1=1 --", cookies[backer.id]!, "Hello")).status).toBe(404);
    const stored = await db().selectFrom("messages").select("body_md").where("body_md", "like", "Let me in%").execute();
    expect(stored).toHaveLength(0);
  });

  it("shows the creator whether the person backs the campaign, and with which tier", async () => {
    const asCreator = (await (await openThread(threadId, cookies[creator.id]!)).json()) as {
      backing: Array<{ tierTitle: string }> | null;
    };
    expect(asCreator.backing?.map((b) => b.tierTitle)).toEqual(["Early bird"]);
    const asBacker = (await (await openThread(threadId, cookies[backer.id]!)).json()) as { backing: unknown };
    expect(asBacker.backing).toBeNull();

    // Someone who has not backed the campaign is shown as such.
    const res = await startThread(cookies[stranger.id]!, { subject: "A question", body: "When does it ship?" });
    const strangerThread = threadIdOf(res);
    const data = (await (await openThread(strangerThread, cookies[creator.id]!)).json()) as {
      backing: unknown[];
    };
    expect(data.backing).toEqual([]);
    const html = renderRoute({
      path: "/messages/:threadId",
      url: `/messages/${strangerThread}`,
      Component: Thread,
      data,
    });
    expect(html).toContain("Not a backer of this project");
    // The inbox says it too, on the creator's side only.
    const rows = (await inbox(cookies[creator.id]!)).threads;
    expect(rows.find((r) => r.id === threadId)?.participantBacks).toBe(true);
    expect(rows.find((r) => r.id === strangerThread)?.participantBacks).toBe(false);
    const own = (await inbox(cookies[backer.id]!)).threads;
    expect(own.find((r) => r.id === threadId)?.participantBacks).toBe(false);
  });

  it("refuses a suspended account with a 403, and still lets it read", async () => {
    const suspended = await makeUser(db(), "Sus Pended");
    const cookie = await sessionCookie(suspended.id);
    const res = await startThread(cookie, { subject: "Before suspension", body: "Hello there" });
    const own = threadIdOf(res);
    await db()
      .updateTable("users")
      .set({ suspended_at: new Date(), suspension_reason: "spam" })
      .where("id", "=", suspended.id)
      .execute();
    expect((await reply(own, cookie, "After suspension")).status).toBe(403);
    expect((await startThread(cookie, { body: "Another" })).status).toBe(403);
    expect((await openThread(own, cookie)).status).toBe(200);
  });
});

describe("unread counts", () => {
  it("go up for the other side and drop when they open the thread", async () => {
    const person = await makeUser(db(), "Una Unread");
    const cookie = await sessionCookie(person.id);
    const before = await unreadInHeader(cookies[creator.id]!);
    const threadId = threadIdOf(await startThread(cookie, { subject: "Colours", body: "Which colours are there?" }));
    await reply(threadId, cookie, "And sizes?");

    expect(await unreadInHeader(cookies[creator.id]!)).toBe(before + 2);
    // The header of the thread's own page leaves that thread out: the page marks it read.
    const header = (await (await call(rootLoader, get(`/messages/${threadId}`, cookies[creator.id]))).json()) as {
      user: { unreadMessages: number };
    };
    expect(header.user.unreadMessages).toBe(before);
    expect(await unreadInHeader(cookie)).toBe(0); // one's own messages are never unread
    const creatorInbox = await inbox(cookies[creator.id]!);
    const row = creatorInbox.threads.find((t) => t.id === threadId)!;
    expect(row).toMatchObject({ unread: 2, side: "creator", otherName: "Una Unread" });
    expect(creatorInbox.threads[0]!.id).toBe(threadId); // newest first

    expect((await openThread(threadId, cookies[creator.id]!)).status).toBe(200);
    expect(await unreadInHeader(cookies[creator.id]!)).toBe(before);
    expect((await inbox(cookies[creator.id]!)).threads.find((t) => t.id === threadId)!.unread).toBe(0);

    expect((await reply(threadId, cookies[creator.id]!, "Red and blue, S to XL.")).status).toBe(302);
    const personInbox = await inbox(cookie);
    expect(personInbox).toMatchObject({ unread: 1, threads: [{ id: threadId, unread: 1, side: "participant" }] });
    await openThread(threadId, cookie);
    expect(await unreadInHeader(cookie)).toBe(0);
  });

  it("show a hidden message as a placeholder, and do not count it", async () => {
    const person = await makeUser(db(), "Hidden Writer");
    const cookie = await sessionCookie(person.id);
    const threadId = threadIdOf(await startThread(cookie, { subject: "Hidden", body: "Something rude" }));
    const before = await unreadInHeader(cookies[creator.id]!);
    await db()
      .updateTable("messages")
      .set({ hidden_at: new Date(), hidden_reason: "abuse" })
      .where("thread_id", "=", threadId)
      .execute();
    expect(await unreadInHeader(cookies[creator.id]!)).toBe(before - 1);
    const data = (await (await openThread(threadId, cookies[creator.id]!)).json()) as {
      messages: Array<{ hidden: boolean; html: string }>;
    };
    expect(data.messages).toEqual([expect.objectContaining({ hidden: true, html: "" })]);
    const html = renderRoute({ path: "/messages/:threadId", url: `/messages/${threadId}`, Component: Thread, data });
    expect(html).toContain("This message was hidden by a moderator.");
    expect(html).not.toContain("Something rude");
  });
});

describe("limits", () => {
  it("answers 429 with a message at the box once the posting rate is used up", async () => {
    const flooder = await makeUser(db(), "Flo Flood");
    const cookie = await sessionCookie(flooder.id);
    for (let i = 0; i < POSTING_LIMITS.message.limit; i++) {
      await hitRateLimit(db(), postingLimitKey("message", flooder.id), POSTING_LIMITS.message);
    }
    const res = await startThread(cookie, { subject: "Flood", body: "One more" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    const answer = (await res.json()) as { error: Record<string, string[]> };
    expect(answer.error[""]).toBeUndefined();
    expect(answer.error.body?.[0]).toMatch(/a lot of messages in a short time\. Try again in \d+ minutes?/);
    expect(
      await db().selectFrom("message_threads").select("id").where("participant_id", "=", flooder.id).execute(),
    ).toEqual([]);
  });

  it("refuses the same message twice in a row, at the field", async () => {
    const person = await makeUser(db(), "Dup Licate");
    const cookie = await sessionCookie(person.id);
    const threadId = threadIdOf(await startThread(cookie, { subject: "Twice", body: "Is it waterproof?" }));
    const res = await reply(threadId, cookie, "  is it WATERPROOF ");
    expect(res.status).toBe(409);
    const answer = (await res.json()) as { error: Record<string, string[]>; initialValue: Record<string, string> };
    expect(answer.error.body?.[0]).toMatch(/just sent this same message/);
    expect(answer.initialValue.body).toBe("  is it WATERPROOF ");
    const count = await db().selectFrom("messages").select("id").where("thread_id", "=", threadId).execute();
    expect(count).toHaveLength(1);
  });

  it("refuses a message longer than the limit", async () => {
    const res = await reply(
      (
        await db()
          .selectFrom("message_threads")
          .select("id")
          .where("participant_id", "=", backer.id)
          .executeTakeFirstOrThrow()
      ).id,
      cookies[backer.id]!,
      "a".repeat(MAX_LENGTH.message + 1),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: Record<string, string[]> }).error.body?.[0]).toBe(
      "A message can be at most 10,000 characters.",
    );
  });
});

describe("user text is inert", () => {
  it("in the subject, the body and the sender's name, on the thread page", async () => {
    const attacker = await makeUser(db(), '<img src=x onerror="alert(1)">');
    const cookie = await sessionCookie(attacker.id);
    const res = await startThread(cookie, {
      subject: "<script>alert('subject')</script>",
      body: 'Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href="javascript:alert(4)">a</a>',
    });
    const threadId = threadIdOf(res);
    const data = await (await openThread(threadId, cookies[creator.id]!)).json();
    const html = renderRoute({ path: "/messages/:threadId", url: `/messages/${threadId}`, Component: Thread, data });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    // The attacker's name is shown as text (escaped), never as a tag with a handler.
    expect(html).not.toMatch(/<[a-z][^>]*onerror/i);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain("&lt;script&gt;alert(&#x27;subject&#x27;)&lt;/script&gt;");
  });
});

describe("the email to the other side", () => {
  it("is queued once per thread until the recipient reads it, in their language, with the text and a link", async () => {
    await db().updateTable("users").set({ locale: "es" }).where("id", "=", otherCreator.id).execute();
    const spanishCampaign = await makeLiveCampaign(db(), { creatorId: otherCreator.id });
    const person = await makeUser(db(), "Pepa Email");
    const cookie = await sessionCookie(person.id);
    const threadId = threadIdOf(
      await startThread(cookie, {
        campaign: spanishCampaign.slug,
        subject: "Envíos",
        body: "¿Enviáis a **Canarias**?",
      }),
    );
    await reply(threadId, cookie, "Y a Baleares?");
    let mail = await outboxTo(otherCreator.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ category: "messages", locale: "es", to_user_id: otherCreator.id });
    expect(mail[0]!.subject).toBe(`Pepa Email te ha enviado un mensaje sobre ${"Campaign " + spanishCampaign.slug}`);
    expect(mail[0]!.body_text).toContain("¿Enviáis a Canarias?");
    expect(mail[0]!.body_text).toContain(`https://colecta.example/messages/${threadId}`);
    expect(mail[0]!.body_text).toMatch(/https:\/\/colecta\.example\/unsubscribe\/\S+/);

    await openThread(threadId, await sessionCookie(otherCreator.id));
    await reply(threadId, cookie, "Gracias!");
    mail = await outboxTo(otherCreator.email);
    expect(mail).toHaveLength(2);
  });

  it("is not queued when the recipient turned message emails off", async () => {
    const person = await makeUser(db(), "Quiet Person");
    const cookie = await sessionCookie(person.id);
    await setNotificationPreferences(db(), person.id, { messages: false });
    const threadId = threadIdOf(await startThread(cookie, { subject: "Quiet", body: "Please reply here only" }));
    expect((await reply(threadId, cookies[creator.id]!, "Sure, here it is.")).status).toBe(302);
    expect(await outboxTo(person.email)).toEqual([]);
    // The creator, who did not turn them off, got theirs.
    expect((await outboxTo(creator.email)).some((m) => m.body_text.includes("Please reply here only"))).toBe(true);
  });
});
