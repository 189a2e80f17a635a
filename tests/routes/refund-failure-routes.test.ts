import { getConfig } from "~/config.server";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/finance.pledges.$id/route";
import { loader as statementLoader } from "~/routes/finance.campaigns.$id._index/route";
import { runDueSettlements } from "~/services/settlement/due.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { useTestEmulator } from "../support/stripe";

// The finance pledge page's retry of a settlement refund Stripe refused: finance only, with a
// second factor, a reason, audited; bad input is answered at the field and changes nothing.

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator({ asAppClient: true });
let parkedId: string;
let refundedId: string;
let campaignId: string;
let financeId: string;
let financeCookie: string;

const attempts = (pledgeId: string) =>
  database()
    .db.selectFrom("charge_attempts")
    .select(["attempt", "status"])
    .where("pledge_id", "=", pledgeId)
    .orderBy("attempt")
    .execute();
const retry = (fields: Record<string, string>, cookie?: string, id = parkedId) =>
  call(pledgeAction, post(`/finance/pledges/${id}`, { intent: "retry-settlement-refund", ...fields }, cookie), { id });

beforeAll(async () => {
  const { db } = database();
  const campaign = await makeDueCampaign(db, { goal: 100_000, collection: "immediate" });
  campaignId = campaign.id;
  const fine = await addPledge(db, stripe, { campaign, amount: 2_000 });
  const disputed = await addPledge(db, stripe, { campaign, amount: 4_000, card: "pm_card_createDispute" });
  const chargeId = (await stripe.paymentIntents.retrieve(disputed.paymentIntentId!)).latest_charge as string;
  for (let i = 0; i < 50 && !(await stripe.charges.retrieve(chargeId)).disputed; i++) {
    emulator.advanceClock(1);
    await new Promise((r) => setTimeout(r, 10));
  }
  await runDueSettlements({
    db,
    stripe,
    config: getConfig(),
    now: new Date(),
    log: () => {},
    campaignSlug: campaign.slug,
  });
  parkedId = disputed.id;
  refundedId = fine.id;
  const finance = await makeFinanceUser(db);
  financeId = finance.id;
  financeCookie = await sessionCookie(finance.id);
});

describe("retrying a refused settlement refund from the finance pledge page", () => {
  it("is refused to anyone but a finance user with a second factor, changing nothing", async () => {
    const { db } = database();
    const backer = await makeUser(db, "Backer");
    const anonymous = await retry({ reason: "Try again" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await retry({ reason: "Try again" }, await sessionCookie(backer.id))).status).toBe(404);
    // A finance user whose session has not passed the second factor, and one who never set it up.
    const notVerified = await retry({ reason: "Try again" }, await sessionCookie(financeId, { twoFactor: false }));
    expect(notVerified.status).toBe(302);
    expect(notVerified.headers.get("Location")).toMatch(/^\/login\/two-factor/);
    const unenrolled = await makeFinanceUser(db, { twoFactor: false });
    const noFactor = await retry({ reason: "Try again" }, await sessionCookie(unenrolled.id));
    expect(noFactor.status).toBe(302);
    expect(noFactor.headers.get("Location")).toMatch(/^\/settings\/two-factor/);
    expect(await attempts(parkedId)).toEqual([{ attempt: 1, status: "failed" }]);
  });

  it("answers bad input at the field, and a pledge with nothing to retry with 409", async () => {
    const empty = await retry({ reason: "" }, financeCookie);
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.reason).toEqual([expect.any(String)]);
    const notParked = await retry({ reason: "Try again" }, financeCookie, refundedId);
    expect(notParked.status).toBe(409);
    expect((await notParked.json()).error[""]).toEqual([
      "The pledge is refunded; there is no refused refund to retry.",
    ]);
    const noPledge = await call(
      pledgeAction,
      post(`/finance/pledges/not-a-uuid`, { intent: "retry-settlement-refund", reason: "x" }, financeCookie),
      { id: "not-a-uuid" },
    );
    expect(noPledge.status).toBe(404);
    expect(await attempts(parkedId)).toEqual([{ attempt: 1, status: "failed" }]);
  });

  it("shows the refused refund on the pledge and campaign pages, and retries it with a new attempt, audited", async () => {
    const page = await (
      await call(pledgeLoader, get(`/finance/pledges/${parkedId}`, financeCookie), { id: parkedId })
    ).json();
    expect(page.settlementRefund).toEqual({ held: "$40.00", message: expect.stringContaining("charged back") });
    const campaign = await (
      await call(statementLoader, get(`/finance/campaigns/${campaignId}`, financeCookie), { id: campaignId })
    ).json();
    expect(campaign.openItems).toEqual([expect.objectContaining({ pledgeId: parkedId, held: "$40.00" })]);

    // Stripe still refuses (the charge is disputed): the answer says so, the attempt is recorded.
    const res = await retry({ reason: "Backer's bank asked us to retry" }, financeCookie);
    expect(res.status).toBe(502);
    expect((await res.json()).error[""]).toEqual([expect.stringContaining("Stripe refused the refund again")]);
    expect(await attempts(parkedId)).toEqual([
      { attempt: 1, status: "failed" },
      { attempt: 2, status: "failed" },
    ]);
    const audit = await database()
      .db.selectFrom("audit_log")
      .select(["actor_id", "action", "reason"])
      .where("subject_id", "=", parkedId)
      .execute();
    expect(audit).toContainEqual({
      actor_id: financeId,
      action: "pledge.retry_settlement_refund",
      reason: "Backer's bank asked us to retry",
    });
  });
});
