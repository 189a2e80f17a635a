import http from "node:http";
import type { AddressInfo } from "node:net";
import { getConfig } from "~/config.server";
import { startFixPayment } from "~/services/settlement/fix-payment.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { processPendingStripeEvents, processStripeEvent } from "~/services/stripe/events.server";
import { receiveStripeWebhook } from "~/services/stripe/webhooks.server";
import { useTestDatabase } from "../support/database";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { payHostedCheckout, useTestEmulator } from "../support/stripe";
import { expectSettledExactlyOnce, seedCampaign } from "./support";

// The same invariants as the crash tests while Stripe misbehaves: injected 500s, responses held
// back past the client timeout (the request succeeded; only the answer is lost), 429s from a
// rate limit lower than ours, and webhooks duplicated and delivered out of order.

const database = useTestDatabase({ STRIPE_MAX_RPS: "400", SETTLEMENT_CONCURRENCY: "16" });
const { emulator, stripe } = await useTestEmulator();

type Stats = {
  injectedServerErrors: number;
  slowResponses: number;
  rateLimited: number;
  idempotentReplays: number;
  idempotencyConflicts: number;
};

describe("settlement under Stripe faults", () => {
  it("with 500s, slow responses past the timeout and 429s, every pledge is charged exactly once", async () => {
    const { db } = database();
    const count = 200;
    const campaign = await seedCampaign(db, stripe, { count });
    const before = emulator.stats() as unknown as Stats;
    emulator.configure({
      rateLimitPerSecond: 25,
      faults: { seed: 11, serverErrorRate: 0.1, slowRate: 0.04, slowMs: 1_200 },
    });
    try {
      let passes = 0;
      for (; passes < 10; passes++) {
        const summary = await runDueSettlements({
          db,
          stripe,
          config: getConfig(),
          campaignSlug: campaign.slug,
          log: () => {},
          retry: { timeoutMs: 400, baseMs: 50, capMs: 1_000, maxTries: 25 },
        });
        if (!summary.worked) break;
      }
      expect(passes).toBeLessThan(10);
    } finally {
      emulator.configure({ rateLimitPerSecond: null, faults: { serverErrorRate: 0, slowRate: 0 } });
    }
    const after = emulator.stats() as unknown as Stats;
    // Every fault really happened...
    expect(after.injectedServerErrors - before.injectedServerErrors).toBeGreaterThan(10);
    expect(after.slowResponses - before.slowResponses).toBeGreaterThan(3);
    expect(after.rateLimited - before.rateLimited).toBeGreaterThan(0);
    // ...timed-out requests were answered from the idempotency store, not run twice...
    expect(after.idempotentReplays - before.idempotentReplays).toBeGreaterThan(0);
    // ...and money moved exactly once.
    await expectSettledExactlyOnce(db, stripe, { campaignId: campaign.id, count });
  }, 120_000);

  it("duplicated and reordered webhooks: a dispute is booked once, a fixed payment is collected once", async () => {
    const { db } = database();
    const received: string[] = [];
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const receipt = await receiveStripeWebhook(db, stripe, {
        rawBody: Buffer.concat(chunks).toString("utf8"),
        signature: req.headers["stripe-signature"] as string,
        secret,
      });
      res.writeHead(receipt.status).end();
      if (receipt.status === 200) {
        received.push(receipt.event.type);
        if (!receipt.duplicate) await processStripeEvent(db, stripe, receipt.event.id);
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`,
      enabled_events: [
        "checkout.session.completed",
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "payment_intent.succeeded",
        "charge.succeeded",
      ],
    });
    const secret = endpoint.secret!;
    emulator.configure({ faults: { seed: 5, duplicateWebhookRate: 0.5, reorderWebhookRate: 0.5, reorderDelayMs: 50 } });
    try {
      const campaign = await makeDueCampaign(db, { goal: 1_000 });
      const disputed = [];
      for (let i = 0; i < 3; i++)
        disputed.push(await addPledge(db, stripe, { campaign, amount: 2_000 + i, card: "pm_card_createDispute" }));
      const failing = await addPledge(db, stripe, { campaign, amount: 1_700, card: "pm_card_chargeCustomerFail" });
      await runDueSettlements({ db, stripe, config: getConfig(), campaignSlug: campaign.slug, log: () => {} });

      // The backer fixes the failed payment; only webhooks tell us (no return visit).
      const fix = await startFixPayment(db, stripe, {
        pledgeId: failing.id,
        backerId: failing.backer.id,
        appUrl: getConfig().appUrl,
      });
      if (!fix.ok) throw new Error(fix.formError);
      expect((await payHostedCheckout(fix.url)).status).toBe(303);

      await new Promise((r) => setTimeout(r, 300)); // disputes open after the emulator's async delay
      expect(await emulator.drainWebhooks(10_000)).toBe(true);
      await processPendingStripeEvents(db, stripe, { olderThanMs: 0 });

      const stats = emulator.stats() as unknown as { webhooks?: { duplicates?: number; reorders?: number } } & Record<
        string,
        unknown
      >;
      expect(JSON.stringify(stats)).toMatch(/"duplicate/);
      expect(received.length).toBeGreaterThan(new Set(received).size);
      for (const p of disputed) {
        expect(
          (await db.selectFrom("pledges").select("state").where("id", "=", p.id).executeTakeFirstOrThrow()).state,
        ).toBe("disputed");
      }
      const journal = await db
        .selectFrom("journal_transactions")
        .select(["kind", "pledge_id"])
        .where("campaign_id", "=", campaign.id)
        .execute();
      expect(journal.filter((j) => j.kind === "dispute")).toHaveLength(3);
      expect(journal.filter((j) => j.kind === "charge" && j.pledge_id === failing.id)).toHaveLength(1);
      const fixedPledge = await db
        .selectFrom("pledges")
        .select(["state", "collected_amount"])
        .where("id", "=", failing.id)
        .executeTakeFirstOrThrow();
      expect(fixedPledge).toEqual({ state: "collected", collected_amount: 1_700 });
      const mails = await db
        .selectFrom("email_outbox")
        .select("kind")
        .where("to_email", "=", failing.backer.email)
        .execute();
      expect(mails.filter((m) => m.kind === "payment_fixed")).toHaveLength(1);
      const unprocessed = await db.selectFrom("stripe_events").select("id").where("processed_at", "is", null).execute();
      expect(unprocessed).toHaveLength(0);
    } finally {
      emulator.configure({ faults: { duplicateWebhookRate: 0, reorderWebhookRate: 0 } });
      await stripe.webhookEndpoints.del(endpoint.id);
      await new Promise((r) => server.close(r));
    }
  }, 60_000);
});
