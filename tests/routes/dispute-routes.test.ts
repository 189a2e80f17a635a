// The finance pledge page's disputes: what it shows (status, deadline, outcome) and the evidence
// intent (second factor, a reason, Stripe's limits at the field, once per form, audited).

import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { getConfig } from "~/config.server";
import { loader as indexLoader } from "~/routes/finance._index";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/finance.pledges.$id/route";
import { recordDispute } from "~/services/settlement/disputes.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { call, get, post, sessionCookie } from "../support/routes";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { stripe } = await useTestEmulator({ asAppClient: true });
let financeCookie: string;

beforeAll(async () => {
  const finance = await makeFinanceUser(database().db, { name: "Fiona" });
  financeCookie = await sessionCookie(finance.id);
});

async function disputedPledge(amount = 4_000) {
  const { db } = database();
  const campaign = await makeDueCampaign(db, { goal: 1_000 });
  const pledge = await addPledge(db, stripe, { campaign, amount, card: "pm_card_createDispute" });
  await runDueSettlements({
    db,
    stripe,
    config: getConfig(),
    now: new Date(),
    log: () => {},
    campaignSlug: campaign.slug,
  });
  const pi = (
    await db
      .selectFrom("pledges")
      .select("stripe_payment_intent_id")
      .where("id", "=", pledge.id)
      .executeTakeFirstOrThrow()
  ).stripe_payment_intent_id!;
  let dispute: Stripe.Dispute | undefined;
  for (let i = 0; i < 100 && !dispute; i++) {
    await new Promise((r) => setTimeout(r, 20));
    dispute = (await stripe.disputes.list({ payment_intent: pi })).data[0];
  }
  await recordDispute(db, stripe, dispute!.id);
  const row = await db
    .selectFrom("disputes")
    .selectAll()
    .where("stripe_dispute_id", "=", dispute!.id)
    .executeTakeFirstOrThrow();
  return { pledgeId: pledge.id, dispute: dispute!, row };
}

const page = async (pledgeId: string, cookie = financeCookie) =>
  (await call(pledgeLoader, get(`/finance/pledges/${pledgeId}`, cookie), { id: pledgeId })).json();

const evidence = (pledgeId: string, fields: Record<string, string>, cookie = financeCookie) =>
  call(
    pledgeAction,
    post(
      `/finance/pledges/${pledgeId}`,
      { intent: "dispute-evidence", reason: "Backer got the reward", requestKey: randomUUID(), ...fields },
      cookie,
    ),
    { id: pledgeId },
  );

describe("the pledge page's disputes", () => {
  it("shows the dispute's status, reason, amount and deadline, and offers the evidence form", async () => {
    const { pledgeId, dispute, row } = await disputedPledge(4_000);
    const data = await page(pledgeId);
    expect(data.disputes).toHaveLength(1);
    expect(data.disputes[0]).toMatchObject({
      id: row.id,
      stripeId: dispute.id,
      status: "needs_response",
      statusLabel: "Needs a response",
      reason: "Fraudulent",
      amount: "$40.00",
      dueBy: new Date(dispute.evidence_details.due_by! * 1000).toISOString(),
      dueSoon: false,
      outcome: null,
      evidenceClosed: null,
    });
    // The desk's overview names the status and the deadline beside the disputed pledge.
    const desk = await (await call(indexLoader, get("/finance", financeCookie))).json();
    expect(desk.alerts.disputes.find((d: { id: string }) => d.id === pledgeId)).toMatchObject({
      disputeStatus: "Needs a response",
      dueBy: new Date(dispute.evidence_details.due_by! * 1000).toISOString(),
    });
  });

  it("flags a deadline within three days", async () => {
    const { db } = database();
    const { pledgeId, row } = await disputedPledge(4_100);
    await db
      .updateTable("disputes")
      .set({ evidence_due_by: new Date(Date.now() + 2 * 86_400_000) })
      .where("id", "=", row.id)
      .execute();
    expect((await page(pledgeId)).disputes[0]).toMatchObject({ dueSoon: true, pastDue: false });
  });
});

describe("submitting evidence", () => {
  it("refuses bad input at the field with 400, keeping what was typed, and sends nothing", async () => {
    const { pledgeId, dispute, row } = await disputedPledge(4_200);
    const tooLong = await evidence(pledgeId, { disputeId: row.id, product_description: "x".repeat(20_001) });
    expect(tooLong.status).toBe(400);
    const body = await tooLong.json();
    expect(body.error.product_description).toEqual(["Too long: at most 20000 characters."]);
    expect(body.initialValue).toMatchObject({ intent: "dispute-evidence", reason: "Backer got the reward" });

    const empty = await evidence(pledgeId, { disputeId: row.id, uncategorized_text: "   " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error[""]).toEqual(["Fill in at least one piece of evidence."]);

    const noReason = await evidence(pledgeId, { disputeId: row.id, uncategorized_text: "Facts", reason: " " });
    expect(noReason.status).toBe(400);

    const otherDispute = await evidence(pledgeId, { disputeId: randomUUID(), uncategorized_text: "Facts" });
    expect(otherDispute.status).toBe(404);

    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details).toMatchObject({
      has_evidence: false,
      submission_count: 0,
    });
    expect(
      await database()
        .db.selectFrom("audit_log")
        .select("id")
        .where("action", "=", "dispute.evidence_submitted")
        .where("subject_id", "=", pledgeId)
        .execute(),
    ).toHaveLength(0);
  });

  it("sends staff without a second factor to enrolment, sending nothing", async () => {
    const { db } = database();
    const { pledgeId, dispute, row } = await disputedPledge(4_300);
    const staff = await makeFinanceUser(db, { twoFactor: false });
    const res = await evidence(
      pledgeId,
      { disputeId: row.id, uncategorized_text: "Facts" },
      await sessionCookie(staff.id, { twoFactor: false }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/settings\/two-factor\?required=1/);
    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details.has_evidence).toBe(false);
  });

  it("submits through the form once, audited; then the page says why there is no form", async () => {
    const { db } = database();
    const { pledgeId, dispute, row } = await disputedPledge(4_400);
    const res = await evidence(pledgeId, {
      disputeId: row.id,
      product_description: "A ceramics kit, the Supporter reward",
      shipping_carrier: "Correos",
      shipping_tracking_number: "PK123",
      uncategorized_text: "The backer wrote to thank us",
    });
    expect(res.status).toBe(200);
    expect((await res.json()).notice).toBe(
      `Evidence submitted to the bank (dispute ${dispute.id}). Stripe tells us the outcome.`,
    );
    const atStripe = await stripe.disputes.retrieve(dispute.id);
    expect(atStripe.status).toBe("under_review");
    expect(atStripe.evidence).toMatchObject({ shipping_carrier: "Correos", shipping_tracking_number: "PK123" });
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "dispute.evidence_submitted")
      .where("subject_id", "=", pledgeId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ reason: "Backer got the reward", ip: "203.0.113.7" });
    const after = (await page(pledgeId)).disputes[0];
    expect(after).toMatchObject({ status: "under_review", evidenceClosed: "submitted", submittedBy: "Fiona" });

    // A second form for the same dispute is refused: evidence goes once.
    const again = await evidence(pledgeId, { disputeId: row.id, uncategorized_text: "More" });
    expect(again.status).toBe(409);
    expect((await again.json()).error[""]).toEqual([
      "Evidence was submitted; the bank is reviewing it. It can be sent only once.",
    ]);
    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details.submission_count).toBe(1);
  });

  it("prefills the shipping fields from the fulfilment record", async () => {
    const { db } = database();
    const { pledgeId } = await disputedPledge(4_500);
    const pledge = await db
      .selectFrom("pledges")
      .select("campaign_id")
      .where("id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto("fulfilments")
      .values({
        pledge_id: pledgeId,
        campaign_id: pledge.campaign_id,
        status: "delivered",
        carrier: "DHL",
        tracking_number: "JD0002",
        shipped_at: new Date("2026-11-18T10:00:00Z"),
        delivered_at: new Date("2026-11-20T10:00:00Z"),
      })
      .execute();
    expect((await page(pledgeId)).disputes[0].prefill).toEqual({
      service_date: "2026-11-20",
      shipping_carrier: "DHL",
      shipping_tracking_number: "JD0002",
    });
  });
});
