import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../db/schema";
import { canonicalJson, monthOf, monthRange, type PeriodDocument } from "~/domain/period-close";
import { computeStatement } from "~/domain/statement";
import { journalLinesOfMonth } from "~/models/period-close.server";
import { loader as periodsLoader, action as periodsAction } from "~/routes/finance.periods";
import { loader as documentLoader } from "~/routes/finance.periods_.$month.document[.]json";
import { loader as linesLoader } from "~/routes/finance.periods_.$month.lines[.]csv";
import { loader as statementsLoader } from "~/routes/finance.periods_.$month.statements[.]csv";
import { checkPeriod, closePeriod } from "~/services/finance/period-close.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";

const database = useTestDatabase();
const db = () => database().db;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The month `back` months before this one (UTC), as "YYYY-MM". */
function monthsAgo(back: number) {
  const now = new Date();
  return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)));
}
/** A moment inside a month: its `day`th day at noon UTC. */
const inMonth = (month: string, day = 10) =>
  new Date(monthRange(month).start.getTime() + (day - 1) * 86_400_000 + 12 * 3_600_000);

let seq = 0;
/**
 * A balanced journal transaction dated `at`, written as a backdated import would: the only way a
 * journal row gets a created_at other than now().
 */
async function bookAt(
  d: Db,
  {
    campaignId,
    at,
    kind = "charge",
    amount,
    accounts = ["stripe_balance", "backer_funds_held"],
  }: {
    campaignId: string;
    at: Date;
    kind?: "charge" | "stripe_fee" | "refund";
    amount: number;
    accounts?: [string, string];
  },
) {
  return d.transaction().execute(async (trx) => {
    const tx = await trx
      .insertInto("journal_transactions")
      .values({ kind, campaign_id: campaignId, idempotency_key: `backdated-${seq++}-${Date.now()}`, created_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("journal_lines")
      .values([
        { transaction_id: tx.id, account_code: accounts[0] as never, amount, currency: "usd", campaign_id: campaignId },
        {
          transaction_id: tx.id,
          account_code: accounts[1] as never,
          amount: -amount,
          currency: "usd",
          campaign_id: campaignId,
        },
      ])
      .execute();
    return Number(tx.id);
  });
}

const M3 = monthsAgo(3);
const M2 = monthsAgo(2);
const M4 = monthsAgo(4);
let campaignId: string;
let otherCampaignId: string;
let fiona: { id: string; name: string };
let sam: { id: string; name: string };

beforeAll(async () => {
  const creator = await makeUser(db(), "Cora Creator");
  campaignId = (await makeLiveCampaign(db(), { creatorId: creator.id })).id;
  otherCampaignId = (await makeLiveCampaign(db(), { creatorId: creator.id })).id;
  fiona = await makeFinanceUser(db(), { name: "Fiona Finance" });
  sam = await makeFinanceUser(db(), { name: "Sam Second" });
  // M3: two charges and a fee on one campaign, a charge on another; M2: a refund. This month: a charge.
  await bookAt(db(), { campaignId, at: inMonth(M3, 3), amount: 5_000 });
  await bookAt(db(), { campaignId, at: inMonth(M3, 9), amount: 2_500 });
  await bookAt(db(), {
    campaignId,
    at: inMonth(M3, 9),
    kind: "stripe_fee",
    amount: 245,
    accounts: ["processing_fees", "stripe_balance"],
  });
  await bookAt(db(), { campaignId: otherCampaignId, at: inMonth(M3, 28), amount: 1_000 });
  await bookAt(db(), {
    campaignId,
    at: inMonth(M2, 2),
    kind: "refund",
    amount: 500,
    accounts: ["refunds", "stripe_balance"],
  });
  await bookAt(db(), { campaignId, at: new Date(), amount: 700 });
});

describe("closing a month", () => {
  it("refuses this month, a malformed month and a month without journal lines", async () => {
    const current = await closePeriod(db(), { month: monthOf(new Date()), actorId: fiona.id, reason: "Too early" });
    expect(current).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/has not ended yet/) });
    const future = await closePeriod(db(), { month: "2999-01", actorId: fiona.id, reason: "Way too early" });
    expect(future).toMatchObject({ ok: false, status: 409 });
    const malformed = await closePeriod(db(), { month: "2026-13", actorId: fiona.id, reason: "Typo" });
    expect(malformed).toMatchObject({ ok: false, status: 400, fieldErrors: { month: "Choose a month as YYYY-MM." } });
    const empty = await closePeriod(db(), { month: M4, actorId: fiona.id, reason: "Nothing there" });
    expect(empty).toMatchObject({ ok: false, status: 409, formError: `${M4} has no journal lines to close.` });
    expect(await db().selectFrom("period_closes").select("checksum").execute()).toHaveLength(0);
  });

  it("refuses a finance user without a second factor", async () => {
    const unenrolled = await makeFinanceUser(db(), { twoFactor: false });
    const refused = await closePeriod(db(), { month: M3, actorId: unenrolled.id, reason: "No 2FA" });
    expect(refused).toMatchObject({ ok: false, status: 403 });
  });

  it("closes months in order: a later month waits for the earlier open one", async () => {
    const refused = await closePeriod(db(), { month: M2, actorId: fiona.id, reason: "Out of order" });
    expect(refused).toMatchObject({ ok: false, status: 409, formError: `Close ${M3} first: months close in order.` });
    expect(await db().selectFrom("period_closes").select("checksum").execute()).toHaveLength(0);
  });

  it("makes one close when two finance users close the same month at once", async () => {
    const results = await Promise.all([
      closePeriod(db(), { month: M3, actorId: fiona.id, reason: "Month end review", ip: "203.0.113.7" }),
      closePeriod(db(), { month: M3, actorId: sam.id, reason: "Month end review too" }),
    ]);
    const ok = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(ok).toHaveLength(1);
    expect(refused).toEqual([
      expect.objectContaining({
        status: 409,
        formError: expect.stringMatching(new RegExp(`^${M3} was already closed by (Fiona Finance|Sam Second) at `)),
      }),
    ]);
    expect(await db().selectFrom("period_closes").select("checksum").execute()).toHaveLength(1);
    const audits = await db()
      .selectFrom("audit_log")
      .select(["actor_id", "subject_id", "reason"])
      .where("action", "=", "period.closed")
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.subject_id).toBe(M3);
  });

  it("froze the month's journal lines and statement rows with a checksum that matches a recomputation", async () => {
    const row = await sql<{ document: string; checksum: string; line_count: number; closed_by: string }>`
      select document, checksum, line_count, closed_by from period_closes where month = ${`${M3}-01`}::date`.execute(
      db(),
    );
    const stored = row.rows[0]!;
    expect(sha256(stored.document)).toBe(stored.checksum);
    const doc = JSON.parse(stored.document) as PeriodDocument;
    // The stored text is the canonical form of itself.
    expect(canonicalJson(doc)).toBe(stored.document);
    expect(doc).toMatchObject({ month: M3, format: "colecta.period-close/1", closedBy: stored.closed_by });
    const journal = await journalLinesOfMonth(db(), { month: M3 });
    expect(journal).toHaveLength(8);
    expect(doc.lines).toEqual(journal);
    expect(Number(stored.line_count)).toBe(8);
    expect(doc.lines.every((l) => l.createdAt.startsWith(M3) && /\.\d{6}Z$/.test(l.createdAt))).toBe(true);
    expect(doc.totals).toEqual({ lines: 8, transactions: 4, byCurrency: { usd: { debits: 8_745, credits: -8_745 } } });

    // One statement row per campaign (and segment, currency); figures as computeStatement has them.
    const mine = doc.statements.find((s) => s.campaign === campaignId)!;
    const expected = computeStatement({
      currency: "usd",
      pledgedAtDeadline: 0,
      pledgesAtDeadline: 0,
      tallies: [],
      sums: {
        "charge:stripe_balance": 7_500,
        "charge:backer_funds_held": -7_500,
        "stripe_fee:processing_fees": 245,
        "stripe_fee:stripe_balance": -245,
      },
    });
    expect(mine).toMatchObject({ segment: "settlement", currency: "usd", linesInMonth: 6 });
    expect(mine.atMonthEnd).toMatchObject({
      collected: expected.collected,
      stripeFees: expected.stripeFees,
      payoutDue: expected.payoutDue,
      balanceCheck: 0,
    });
    expect(mine.atMonthEnd.collected).toBe(7_500);
    expect(mine.atMonthEnd.payoutDue).toBe(7_255);
    expect(doc.statements.find((s) => s.campaign === otherCampaignId)!.atMonthEnd.collected).toBe(1_000);

    const check = await checkPeriod(db(), { month: M3, document: stored.document, checksum: stored.checksum });
    expect(check).toMatchObject({ documentMatches: true, journalMatches: true });
  });

  it("then closes the next month, whose running figures carry the earlier month's", async () => {
    const closed = await closePeriod(db(), { month: M2, actorId: sam.id, reason: "Next month" });
    expect(closed).toMatchObject({ ok: true, lineCount: 2 });
    const row = await sql<{
      document: string;
    }>`select document from period_closes where month = ${`${M2}-01`}::date`.execute(db());
    const doc = JSON.parse(row.rows[0]!.document) as PeriodDocument;
    expect(doc.statements).toHaveLength(1);
    expect(doc.statements[0]!.inMonth).toMatchObject({ refunded: 500, collected: 0 });
    expect(doc.statements[0]!.atMonthEnd).toMatchObject({
      collected: 7_500,
      refunded: 500,
      payoutDue: 6_755,
      balanceCheck: 0,
    });
  });

  it("the database refuses a backdated journal insert into a closed month, or before it", async () => {
    await expect(bookAt(db(), { campaignId, at: inMonth(M3, 15), amount: 100 })).rejects.toThrow(/closed up to/);
    await expect(bookAt(db(), { campaignId, at: inMonth(M4, 15), amount: 100 })).rejects.toThrow(/closed up to/);
    // A line added to an old transaction of a closed month is refused too.
    const old = await db()
      .selectFrom("journal_transactions")
      .select("id")
      .where("created_at", "<", monthRange(M3).end)
      .executeTakeFirstOrThrow();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto("journal_lines")
            .values([
              {
                transaction_id: old.id,
                account_code: "stripe_balance",
                amount: 1,
                currency: "usd",
                campaign_id: campaignId,
              },
              {
                transaction_id: old.id,
                account_code: "backer_funds_held",
                amount: -1,
                currency: "usd",
                campaign_id: campaignId,
              },
            ])
            .execute();
        }),
    ).rejects.toThrow(/closed up to/);
    // Today's bookings are untouched by the close.
    await expect(bookAt(db(), { campaignId, at: new Date(), amount: 300 })).resolves.toBeGreaterThan(0);
    expect(await journalLinesOfMonth(db(), { month: M3 })).toHaveLength(8);
  });

  it("the downloads are the stored document: the JSON byte for byte, the CSVs row for row", async () => {
    const cookie = await sessionCookie(fiona.id);
    const stored = (
      await sql<{
        document: string;
        checksum: string;
      }>`select document, checksum from period_closes where month = ${`${M3}-01`}::date`.execute(db())
    ).rows[0]!;
    const doc = JSON.parse(stored.document) as PeriodDocument;

    const json = await call(documentLoader, get(`/finance/periods/${M3}/document.json`, cookie), { month: M3 });
    expect(json.status).toBe(200);
    const text = await json.text();
    expect(text).toBe(stored.document);
    expect(sha256(text)).toBe(stored.checksum);
    expect(json.headers.get("X-Checksum-Sha256")).toBe(stored.checksum);

    const lines = await call(linesLoader, get(`/finance/periods/${M3}/lines.csv`, cookie), { month: M3 });
    const rows = (await lines.text()).trimEnd().split("\r\n");
    expect(rows[0]).toBe(
      "line_id,transaction_id,created_at_utc,kind,campaign_id,pledge_id,account,amount_minor_units,side,currency,segment,stripe_object_id",
    );
    expect(rows.slice(1)).toEqual(
      doc.lines.map(
        (l) =>
          `${l.line},${l.transaction},${l.createdAt},${l.kind},${l.campaign},,${l.account},${Math.abs(l.amount)},${l.amount > 0 ? "debit" : "credit"},USD,settlement,`,
      ),
    );

    const statements = await call(statementsLoader, get(`/finance/periods/${M3}/statements.csv`, cookie), {
      month: M3,
    });
    const srows = (await statements.text()).trimEnd().split("\r\n");
    expect(srows[0]).toBe(
      "month,campaign_id,campaign_title,segment,currency,lines_in_month,figure,in_month_minor_units,at_month_end_minor_units",
    );
    expect(srows).toContain(`${M3},${campaignId},${await title(campaignId)},settlement,USD,6,collected,7500,7500`);
    expect(srows).toContain(`${M3},${campaignId},${await title(campaignId)},settlement,USD,6,payoutDue,7255,7255`);

    // An open month has no downloads.
    const open = await call(documentLoader, get(`/finance/periods/${monthOf(new Date())}/document.json`, cookie), {
      month: monthOf(new Date()),
    });
    expect(open.status).toBe(404);
    const junk = await call(linesLoader, get(`/finance/periods/nope/lines.csv`, cookie), { month: "nope" });
    expect(junk.status).toBe(404);
  });

  it("the periods page lists each month with its checks, and closes through the form", async () => {
    const cookie = await sessionCookie(fiona.id);
    const page = await (await call(periodsLoader, get("/finance/periods", cookie))).json();
    const months = page.periods.map((p: { month: string; status: string }) => [p.month, p.status]);
    expect(months).toEqual([
      [M3, "closed"],
      [M2, "closed"],
      [monthOf(new Date()), "current"],
    ]);
    expect(page.periods[0]).toMatchObject({
      lines: 8,
      close: { documentMatches: true, journalMatches: true, by: expect.stringMatching(/Fiona Finance|Sam Second/) },
      problems: [],
    });
    expect(page.closable).toBeNull();

    const current = await call(
      periodsAction,
      post("/finance/periods", { intent: "close-period", month: monthOf(new Date()), reason: "Try it" }, cookie),
    );
    expect(current.status).toBe(409);
    expect((await current.json()).error[""][0]).toMatch(/has not ended yet/);
    const noReason = await call(
      periodsAction,
      post("/finance/periods", { intent: "close-period", month: M3, reason: "" }, cookie),
    );
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.reason[0]).toMatch(/Give a reason/);
  });

  it("answers 404 to anyone without the finance role", async () => {
    const backer = await makeUser(db(), "Backer");
    const cookie = await sessionCookie(backer.id);
    for (const [fn, path, params] of [
      [periodsLoader, "/finance/periods", {}],
      [documentLoader, `/finance/periods/${M3}/document.json`, { month: M3 }],
      [linesLoader, `/finance/periods/${M3}/lines.csv`, { month: M3 }],
      [statementsLoader, `/finance/periods/${M3}/statements.csv`, { month: M3 }],
    ] as const) {
      expect((await call(fn, get(path, cookie), params)).status, path).toBe(404);
    }
    const res = await call(
      periodsAction,
      post("/finance/periods", { intent: "close-period", month: M3, reason: "x" }, cookie),
    );
    expect(res.status).toBe(404);
  });

  // Two connections at once: only a PostgreSQL server has them (the embedded database runs one
  // transaction at a time, so a write in flight cannot overlap a close there at all).
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "a close waits for a journal write still in flight in its month, and freezes it",
    async () => {
      const M1 = monthsAgo(1);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const wrote = new Promise<void>((resolve) => (inserted = resolve));
      const writer = db()
        .transaction()
        .execute(async (trx) => {
          const tx = await trx
            .insertInto("journal_transactions")
            .values({
              kind: "charge",
              campaign_id: campaignId,
              idempotency_key: `in-flight-${Date.now()}`,
              created_at: inMonth(M1),
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await trx
            .insertInto("journal_lines")
            .values([
              {
                transaction_id: tx.id,
                account_code: "stripe_balance",
                amount: 4_200,
                currency: "usd",
                campaign_id: campaignId,
              },
              {
                transaction_id: tx.id,
                account_code: "backer_funds_held",
                amount: -4_200,
                currency: "usd",
                campaign_id: campaignId,
              },
            ])
            .execute();
          inserted();
          await held;
        });
      await wrote;
      let settled = false;
      const closing = closePeriod(db(), { month: M1, actorId: fiona.id, reason: "Month end" }).finally(() => {
        settled = true;
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(settled).toBe(false);
      release();
      await writer;
      expect(await closing).toMatchObject({ ok: true, lineCount: 2 });
    },
  );

  it("shows in red a line that reached a closed month behind the trigger's back, and a tampered document", async () => {
    // Only by switching the guard off (as a superuser could) can the journal and a close disagree.
    await sql`alter table journal_transactions disable trigger journal_transactions_closed_period`.execute(db());
    await sql`alter table journal_lines disable trigger journal_lines_closed_period`.execute(db());
    try {
      await bookAt(db(), { campaignId, at: inMonth(M3, 20), amount: 999 });
    } finally {
      await sql`alter table journal_transactions enable trigger journal_transactions_closed_period`.execute(db());
      await sql`alter table journal_lines enable trigger journal_lines_closed_period`.execute(db());
    }
    const cookie = await sessionCookie(fiona.id);
    let page = await (await call(periodsLoader, get("/finance/periods", cookie))).json();
    expect(page.periods[0]).toMatchObject({ month: M3, close: { documentMatches: true, journalMatches: false } });
    expect(page.periods[0].problems).toEqual([
      expect.stringMatching(/^Booked later, dated in this month: line \d+ \(charge, stripe_balance, \$9\.99\)$/),
      expect.stringMatching(/^Booked later, dated in this month: line \d+ \(charge, backer_funds_held, .\$9\.99\)$/),
      "Statement figures differ from the frozen rows",
    ]);
    // M2's running figures include M3's lines, so it notices too.
    expect(page.periods[1]).toMatchObject({ month: M2, close: { journalMatches: false } });

    await sql`alter table period_closes disable trigger period_closes_no_update_delete`.execute(db());
    try {
      await sql`update period_closes set document = replace(document, '"amount":5000', '"amount":4000') where month = ${`${M3}-01`}::date`.execute(
        db(),
      );
    } finally {
      await sql`alter table period_closes enable trigger period_closes_no_update_delete`.execute(db());
    }
    page = await (await call(periodsLoader, get("/finance/periods", cookie))).json();
    expect(page.periods[0].close.documentMatches).toBe(false);
  });
});

async function title(id: string) {
  return (await db().selectFrom("campaigns").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title;
}
