// Contract: a dispute through its life, as Stripe test mode lives it. Evidence staged and
// submitted; `winning_evidence` wins (the amount comes back in a dispute_reversal adjustment),
// `losing_evidence` loses; a closed dispute takes no more evidence. Runs against the emulator,
// or real Stripe test mode with STRIPE_SECRET_KEY=sk_test_...; the clock-driven deadline is
// emulator-only.

import type Stripe from "stripe";
import { emulatorOnly, useTarget } from "../support/stripe";
import { eventually, stripeError } from "./support.js";

const target = await useTarget();
const { stripe } = target;

/** A charge on pm_card_createDispute and the dispute Stripe opens on it a moment later. */
async function disputedCharge(amount = 3000) {
  const customer = await stripe.customers.create({ email: "backer@example.com" });
  const pm = await stripe.paymentMethods.attach("pm_card_createDispute", { customer: customer.id });
  const pi = await stripe.paymentIntents.create({
    amount,
    currency: "usd",
    customer: customer.id,
    payment_method: pm.id,
    confirm: true,
    off_session: true,
  });
  return eventually(async () => (await stripe.disputes.list({ payment_intent: pi.id })).data[0], 60_000);
}

async function eventsOf(type: string, disputeId: string) {
  const list = await stripe.events.list({ type, limit: 50 });
  return list.data.filter((e) => (e.data.object as Stripe.Dispute).id === disputeId);
}

describe("a dispute through its life", () => {
  it("opens needing a response, with a deadline and no evidence", async () => {
    const dispute = await disputedCharge();
    expect(dispute.status).toBe("needs_response");
    expect(dispute.evidence_details).toMatchObject({ has_evidence: false, submission_count: 0, past_due: false });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expect(dispute.evidence.uncategorized_text).toBeNull();
  });

  it("stages evidence with submit=false (still needs a response), then submits it: under review", async () => {
    const dispute = await disputedCharge();
    const staged = await stripe.disputes.update(dispute.id, {
      evidence: { product_description: "A ceramic kit, pledged on a crowdfunding campaign" },
      submit: false,
    });
    expect(staged.status).toBe("needs_response");
    expect(staged.evidence.product_description).toBe("A ceramic kit, pledged on a crowdfunding campaign");
    expect(staged.evidence_details).toMatchObject({ has_evidence: true, submission_count: 0 });
    const submitted = await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "Some facts" } });
    expect(submitted.status).toBe("under_review");
    expect(submitted.evidence.product_description).toBe("A ceramic kit, pledged on a crowdfunding campaign");
    expect(submitted.evidence_details).toMatchObject({ has_evidence: true, submission_count: 1 });
    await eventually(async () => (await eventsOf("charge.dispute.updated", dispute.id)).length >= 2);
    // Evidence can be submitted once.
    const again = await stripeError(stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "More" } }));
    expect(again.statusCode).toBe(400);
  });

  it("winning_evidence wins: the disputed amount comes back in a dispute_reversal adjustment", async () => {
    const dispute = await disputedCharge(3300);
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" }, submit: true });
    const won = await eventually(async () => {
      const d = await stripe.disputes.retrieve(dispute.id);
      return d.status === "won" ? d : null;
    }, 120_000);
    const reinstated = won.balance_transactions.find((bt) => bt.amount > 0);
    expect(reinstated).toMatchObject({ amount: 3300, reporting_category: "dispute_reversal", type: "adjustment" });
    expect(won.balance_transactions.find((bt) => bt.amount < 0)).toMatchObject({ amount: -3300 });
    await eventually(async () => (await eventsOf("charge.dispute.funds_reinstated", dispute.id)).length === 1, 60_000);
    const closed = await eventually(async () => (await eventsOf("charge.dispute.closed", dispute.id))[0], 60_000);
    expect((closed.data.object as Stripe.Dispute).status).toBe("won");
    const refused = await stripeError(stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "x" } }));
    expect(refused.statusCode).toBe(400);
  });

  it("losing_evidence loses, with no money back, and the dispute is closed for good", async () => {
    const dispute = await disputedCharge(3100);
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "losing_evidence" } });
    const lost = await eventually(async () => {
      const d = await stripe.disputes.retrieve(dispute.id);
      return d.status === "lost" ? d : null;
    }, 120_000);
    expect(lost.balance_transactions.filter((bt) => bt.amount > 0)).toHaveLength(0);
    const closed = await eventually(async () => (await eventsOf("charge.dispute.closed", dispute.id))[0], 60_000);
    expect((closed.data.object as Stripe.Dispute).status).toBe("lost");
    expect(
      (await stripeError(stripe.disputes.update(dispute.id, { evidence: { product_description: "x" } }))).statusCode,
    ).toBe(400);
    expect((await stripeError(stripe.disputes.close(dispute.id))).statusCode).toBe(400);
  });

  it("closing a dispute accepts it: lost", async () => {
    const dispute = await disputedCharge();
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe("lost");
  });
});

emulatorOnly("the emulator's dispute rules", () => {
  it("other evidence stays under review", async () => {
    const dispute = await disputedCharge();
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "The backer got the kit" } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("under_review");
  });

  it("refuses unknown evidence fields, text over Stripe's limit and text where a file id goes", async () => {
    const dispute = await disputedCharge();
    const unknown = await stripeError(
      stripe.disputes.update(dispute.id, { evidence: { backer_mood: "angry" } as Stripe.DisputeUpdateParams.Evidence }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, param: "evidence[backer_mood]" });
    const long = await stripeError(
      stripe.disputes.update(dispute.id, { evidence: { product_description: "x".repeat(20_001) } }),
    );
    expect(long).toMatchObject({ statusCode: 400, param: "evidence[product_description]" });
    const file = await stripeError(
      stripe.disputes.update(dispute.id, { evidence: { customer_communication: "We emailed them" } }),
    );
    expect(file).toMatchObject({ statusCode: 400, param: "evidence[customer_communication]" });
    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details.has_evidence).toBe(false);
  });

  it("no evidence by the deadline: lost when the clock passes due_by; evidence after it is refused", async () => {
    const emulator = target.emulator!;
    const first = await disputedCharge();
    const second = await disputedCharge();
    await stripe.disputes.update(second.id, { evidence: { uncategorized_text: "The backer got the kit" } });
    emulator.advanceClock(7 * 24 * 3600 + 60);
    expect((await stripe.disputes.retrieve(first.id)).status).toBe("lost");
    expect(await eventsOf("charge.dispute.closed", first.id)).toHaveLength(1);
    // Evidence submitted in time is not lost by the deadline.
    expect((await stripe.disputes.retrieve(second.id)).status).toBe("under_review");
    const third = await disputedCharge();
    await stripe.disputes.update(third.id, { evidence: { product_description: "staged" }, submit: false });
    emulator.advanceClock(7 * 24 * 3600 + 60);
    const late = await stripeError(stripe.disputes.update(third.id, { evidence: { uncategorized_text: "late" } }));
    expect(late.statusCode).toBe(400);
    expect((await stripe.disputes.retrieve(third.id)).status).toBe("lost");
  });
});
