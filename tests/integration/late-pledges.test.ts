import { sql } from "kysely";
import { latePledgeSchema } from "~/domain/late-pledges";
import { translatorFor } from "~/i18n";
import { closeLatePledges, saveLatePledges } from "~/models/late-pledges.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { approvePayout, planPayout, preparePayout } from "~/services/finance/payouts.server";
import { refundPledge } from "~/services/finance/refunds.server";
import { buildLateStatement, buildStatement } from "~/services/finance/statement.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { pledgeThroughCheckout } from "../support/pledges";
import { useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

// Late pledges: after a funded deadline the creator opens them for chosen tiers at a late price
// until a closing date; each is charged at once, booked apart, and paid out in a further payout
// approved by two finance users, while the settlement's statement and first payout stay as they were.

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";
const BPS = 500;
const t = translatorFor("en");

async function fundedCampaign() {
  const { db } = database();
  const c = await makeSettledCampaign(db, stripe, { amounts: [6_000, 4_000] });
  const tier = await db
    .selectFrom("tiers")
    .select(["id", "minimum_amount"])
    .where("campaign_id", "=", c.campaignId)
    .executeTakeFirstOrThrow();
  const actor = { userId: c.creator.id, staff: false };
  return { db, c, tier, actor };
}

async function openLate(
  f: Awaited<ReturnType<typeof fundedCampaign>>,
  { price = 3_000, limit = null as number | null } = {},
) {
  const saved = await saveLatePledges(f.db, {
    campaignId: f.c.campaignId,
    actor: f.actor,
    settings: {
      until: new Date(Date.now() + 14 * 86_400_000),
      tiers: [{ tierId: f.tier.id, latePrice: price, lateLimit: limit }],
    },
  });
  expect(saved).toEqual({ ok: true });
}

async function payFirstPayout(f: Awaited<ReturnType<typeof fundedCampaign>>) {
  const preparer = await makeFinanceUser(f.db, { name: "Pat Preparer" });
  const approver = await makeFinanceUser(f.db, { name: "Alex Approver" });
  expect(
    await preparePayout(f.db, {
      campaignId: f.c.campaignId,
      actorId: preparer.id,
      reason: "First",
      platformFeeBps: BPS,
    }),
  ).toMatchObject({ ok: true });
  expect(
    await approvePayout(f.db, stripe, {
      campaignId: f.c.campaignId,
      actorId: approver.id,
      reason: "First",
      code: await nextCode(f.db, approver.id),
    }),
  ).toMatchObject({ ok: true });
  return { preparer, approver };
}

const pledgeRow = (id: string) =>
  database().db.selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("late pledges", () => {
  it("are refused until the creator opens them, and after they close", async () => {
    const f = await fundedCampaign();
    const backer = await makeUser(f.db, "Lena Late");
    const form = { tier: f.tier.id, amount: "30" };
    expect(await startPledgeCheckout(f.db, stripe, { slug: f.c.slug, backer, form, appUrl })).toMatchObject({
      ok: false,
      status: 409,
      message: "This project is no longer accepting pledges.",
    });
    await openLate(f);
    expect(await closeLatePledges(f.db, { campaignId: f.c.campaignId, actor: f.actor })).toEqual({ ok: true });
    expect(await startPledgeCheckout(f.db, stripe, { slug: f.c.slug, backer, form, appUrl })).toMatchObject({
      ok: false,
      status: 409,
    });
    // Another creator's campaign: not found, nothing written.
    const stranger = await makeUser(f.db, "Stranger");
    expect(
      await saveLatePledges(f.db, {
        campaignId: f.c.campaignId,
        actor: { userId: stranger.id, staff: false },
        settings: {
          until: new Date(Date.now() + 86_400_000),
          tiers: [{ tierId: f.tier.id, latePrice: 100, lateLimit: null }],
        },
      }),
    ).toMatchObject({ ok: false, status: 404 });
  });

  it("charge at once at the late price or more, booked apart: the settlement's statement is unchanged", async () => {
    const f = await fundedCampaign();
    const before = (await buildStatement(f.db, { campaignId: f.c.campaignId }))!.statement;
    await openLate(f, { price: 3_000 });
    const backer = await makeUser(f.db, "Lena Late");
    const low = await startPledgeCheckout(f.db, stripe, {
      slug: f.c.slug,
      backer,
      form: { tier: f.tier.id, amount: "20" },
      appUrl,
    });
    expect(low).toMatchObject({
      ok: false,
      field: "amount",
      message: '"Supporter" needs a pledge of at least $30.00.',
    });

    const { pledgeId, outcome } = await pledgeThroughCheckout(f.db, stripe, {
      slug: f.c.slug,
      backer,
      form: { tier: f.tier.id, amount: "35" },
      appUrl,
    });
    expect(outcome).toBe("activated");
    const pledge = await pledgeRow(pledgeId);
    expect(pledge).toMatchObject({ late: true, state: "collected", amount: 3_500, collected_amount: 3_500 });
    const intent = await stripe.paymentIntents.retrieve(pledge.stripe_payment_intent_id!);
    expect(intent).toMatchObject({ amount: 3_500, status: "succeeded", metadata: { purpose: "late_pledge" } });
    // Reading the session again (webhook after the return page) collects nothing more.
    expect((await syncCheckoutSession(f.db, stripe, pledge.checkout_session_id!)).outcome).toBe("already_active");

    const journal = await f.db
      .selectFrom("journal_lines")
      .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
      .select(["journal_transactions.kind", "journal_lines.account_code", "journal_lines.amount", "journal_lines.late"])
      .where("journal_lines.pledge_id", "=", pledgeId)
      .orderBy("journal_lines.id")
      .execute();
    expect(journal.every((l) => l.late)).toBe(true);
    expect(journal.filter((l) => l.kind === "charge")).toEqual([
      { kind: "charge", account_code: "stripe_balance", amount: 3_500, late: true },
      { kind: "charge", account_code: "backer_funds_held", amount: -3_500, late: true },
    ]);
    expect((await buildStatement(f.db, { campaignId: f.c.campaignId }))!.statement).toEqual(before);
    const late = (await buildLateStatement(f.db, { campaignId: f.c.campaignId }))!.statement;
    expect(late).toMatchObject({ collected: 3_500, pledgesAtDeadline: 1, pledgedAtDeadline: 3_500, balanceCheck: 0 });
    expect(late.stripeFees).toBeGreaterThan(0);
    const { mismatches } = await compareLedgerWithStripe(f.db, stripe);
    expect(mismatches.filter((m) => m.campaignId === f.c.campaignId)).toEqual([]);
    // The confirmation says it was charged now.
    const email = await f.db
      .selectFrom("email_outbox")
      .select(["kind", "body_text"])
      .where("to_email", "=", backer.email)
      .executeTakeFirstOrThrow();
    expect(email.body_text).toContain("already funded, so your payment went through now");
  });

  it("never take more than the late limit: 50 concurrent checkouts for 5 late slots hold exactly 5", async () => {
    const f = await fundedCampaign();
    await openLate(f, { limit: 5 });
    const backers = [];
    for (let i = 0; i < 50; i++) backers.push(await makeUser(f.db, `Late ${i}`));
    const results = await Promise.all(
      backers.map((backer) =>
        startPledgeCheckout(f.db, stripe, { slug: f.c.slug, backer, form: { tier: f.tier.id, amount: "30" }, appUrl }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && /sold out/.test(r.message))).toHaveLength(45);
    const tier = await f.db
      .selectFrom("tiers")
      .select(["claimed_count", "late_claimed_count"])
      .where("id", "=", f.tier.id)
      .executeTakeFirstOrThrow();
    // The slots the campaign sold are untouched; the late ones are held.
    expect(tier).toEqual({ claimed_count: 2, late_claimed_count: 5 });
    await expect(sql`update tiers set late_claimed_count = 6 where id = ${f.tier.id}`.execute(f.db)).rejects.toThrow(
      /tiers_late_claimed_within_limit/,
    );
    await expect(sql`update tiers set late_price = 50 where id = ${f.tier.id}`.execute(f.db)).rejects.toThrow(
      /tiers_late_price_at_least_minimum/,
    );
  }, 60_000);

  it("are paid out in a further payout, prepared and approved by two people, after the first", async () => {
    const f = await fundedCampaign();
    await openLate(f);
    const backer = await makeUser(f.db, "Lena Late");
    const carried = await pledgeThroughCheckout(f.db, stripe, {
      slug: f.c.slug,
      backer,
      form: { tier: f.tier.id, amount: "40" },
      appUrl,
    });
    const early = await planPayout(f.db, { campaignId: f.c.campaignId, platformFeeBps: BPS, late: true });
    expect(early).toMatchObject({ ready: false });
    expect(early.waitingFor.join(" ")).toMatch(/first payout/);

    // The first payout pays exactly the settlement's money, as if no late pledge existed.
    const settled = (await buildStatement(f.db, { campaignId: f.c.campaignId }))!.statement;
    const { preparer, approver } = await payFirstPayout(f);
    const first = await f.db
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", f.c.campaignId)
      .where("sequence", "=", 1)
      .executeTakeFirstOrThrow();
    expect(first.amount).toBe(settled.payoutDue - Math.floor((settled.collected * BPS + 5000) / 10000));

    const plan = await planPayout(f.db, { campaignId: f.c.campaignId, platformFeeBps: BPS, late: true });
    expect(plan).toMatchObject({ ready: true, platformFee: 200 });
    expect(
      await preparePayout(f.db, {
        campaignId: f.c.campaignId,
        actorId: preparer.id,
        reason: "Late pledges",
        platformFeeBps: BPS,
        late: true,
      }),
    ).toMatchObject({ ok: true });
    const prepared = await f.db
      .selectFrom("payouts")
      .select("id")
      .where("campaign_id", "=", f.c.campaignId)
      .where("sequence", "=", 2)
      .executeTakeFirstOrThrow();
    expect((await pledgeRow(carried.pledgeId)).late_payout_id).toBe(prepared.id);
    // Its money is in a prepared payout: the desk cannot refund it now.
    const staff = await makeFinanceUser(f.db, { name: "Rita Refunds" });
    expect(
      await refundPledge(f.db, stripe, {
        pledgeId: carried.pledgeId,
        actorId: staff.id,
        amount: 500,
        reason: "Asked",
        requestKey: `late-refund-${carried.pledgeId}`,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    // An approver whose page still showed the first payout approves nothing else.
    expect(
      await approvePayout(f.db, stripe, {
        campaignId: f.c.campaignId,
        actorId: approver.id,
        reason: "Stale page",
        code: await nextCode(f.db, approver.id),
        payoutId: first.id,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    // Four eyes: the preparer cannot approve it.
    expect(
      await approvePayout(f.db, stripe, {
        campaignId: f.c.campaignId,
        actorId: preparer.id,
        reason: "Mine",
        code: await nextCode(f.db, preparer.id),
      }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      await approvePayout(f.db, stripe, {
        campaignId: f.c.campaignId,
        actorId: approver.id,
        reason: "Checked",
        code: await nextCode(f.db, approver.id),
      }),
    ).toMatchObject({ ok: true });
    const further = await f.db
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", f.c.campaignId)
      .where("sequence", "=", 2)
      .executeTakeFirstOrThrow();
    expect(further).toMatchObject({ status: "paid", amount: plan.amount, approved_by: approver.id });
    const transfers = (await stripe.transfers.list({ transfer_group: f.c.campaignId })).data;
    expect(transfers.map((tr) => tr.amount).sort((a, b) => a - b)).toEqual(
      [first.amount, further.amount].sort((a, b) => a - b),
    );

    const late = (await buildLateStatement(f.db, { campaignId: f.c.campaignId }))!.statement;
    expect(late).toMatchObject({
      collected: 4_000,
      platformFee: 200,
      paidOut: plan.amount,
      payoutDue: 0,
      balanceCheck: 0,
    });
    // The frozen statement of the settlement did not move.
    const frozen = (await buildStatement(f.db, { campaignId: f.c.campaignId }))!;
    expect(frozen.frozen).toBe(true);
    expect(frozen.statement.paidOut).toBe(first.amount);
    // Nothing more to pay until another late pledge comes in.
    expect(
      (await planPayout(f.db, { campaignId: f.c.campaignId, platformFeeBps: BPS, late: true })).waitingFor.join(" "),
    ).toMatch(/No late pledges' money/);
    // A late pledge after it is carried by no payout yet: it can be refunded.
    const after = await pledgeThroughCheckout(f.db, stripe, {
      slug: f.c.slug,
      backer: await makeUser(f.db, "Ollie Later"),
      form: { tier: f.tier.id, amount: "30" },
      appUrl,
    });
    expect((await pledgeRow(after.pledgeId)).late_payout_id).toBeNull();
    expect(
      await refundPledge(f.db, stripe, {
        pledgeId: after.pledgeId,
        actorId: staff.id,
        amount: 3_000,
        reason: "Asked",
        requestKey: `late-refund-${after.pledgeId}`,
      }),
    ).toMatchObject({ ok: true });
  });

  it("a late pledge refunded before its payout is booked in the late segment", async () => {
    const f = await fundedCampaign();
    await openLate(f);
    const backer = await makeUser(f.db, "Lena Late");
    const { pledgeId } = await pledgeThroughCheckout(f.db, stripe, {
      slug: f.c.slug,
      backer,
      form: { tier: f.tier.id, amount: "30" },
      appUrl,
    });
    const staff = await makeFinanceUser(f.db);
    const refunded = await refundPledge(f.db, stripe, {
      pledgeId,
      actorId: staff.id,
      amount: 1_000,
      reason: "Changed their mind",
      requestKey: `late-refund-${pledgeId}`,
    });
    expect(refunded).toMatchObject({ ok: true });
    const late = (await buildLateStatement(f.db, { campaignId: f.c.campaignId }))!.statement;
    expect(late).toMatchObject({ collected: 3_000, refunded: 1_000, balanceCheck: 0 });
    expect((await buildStatement(f.db, { campaignId: f.c.campaignId }))!.statement.refunded).toBe(0);
  });

  it("the creator's form: a price under the minimum, a past date, no tier, each at its field", () => {
    const schema = latePledgeSchema(t, "en", "usd", [
      { id: "tier-a", title: "A", minimum_amount: 2_500, late_claimed_count: 3 },
    ]);
    const issues = (input: Record<string, string>) => {
      const r = schema.safeParse(input);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(issues({ until: "2020-01-01", "price_tier-a": "20", "limit_tier-a": "2" })).toEqual({
      until: expect.stringMatching(/future/i),
      "price_tier-a": expect.stringContaining("$25.00"),
      "limit_tier-a": expect.stringContaining("3"),
    });
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    expect(Object.values(issues({ until: future }))).toEqual([expect.stringMatching(/at least one reward/)]);
    const ok = schema.parse({ until: future, "price_tier-a": "30", "limit_tier-a": "" });
    expect(ok.tiers).toEqual([{ tierId: "tier-a", latePrice: 3_000, lateLimit: null }]);
  });
});
