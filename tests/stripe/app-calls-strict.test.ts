// Every Stripe call the app makes (app/ and scripts/demo), with the parameters it passes, against
// the emulator, which refuses what Stripe refuses (unknown parameters, unexpandable paths). A
// call that appears in the source but not in CALLS below fails the first test: add it here with
// its exact parameters. Calls are reproduced literally (naming the app function) where the app
// function needs a database; registerEmulatorWebhook is called itself.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Stripe from "stripe";
import type { Config } from "~/config.server";
import { EVIDENCE_FIELD_NAMES } from "~/domain/disputes";
import { CHECKOUT_TTL_SECONDS } from "~/domain/pledge-rules";
import { registerEmulatorWebhook } from "~/services/stripe/client.server";
import { emulatorOnly, makeFundsAvailable, payHostedCheckout, useTestEmulator } from "../support/stripe";
import { eventually, useLocalServer } from "./support.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCES = ["app", "scripts/demo"];
/** `stripe.checkout.sessions.create(`, `ctx.stripe.charges.retrieve(` ... */
const CALL = /\bstripe\s*\.\s*((?:[A-Za-z]+\s*\.\s*)+[A-Za-z]+)\s*\(/g;
/** Calls that never reach Stripe. */
const OFFLINE = new Set(["webhooks.constructEvent", "webhooks.generateTestHeaderString"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** `file call` for every Stripe API call in the source, with how many times it is written there. */
function callsInSource(): Map<string, number> {
  const found = new Map<string, number>();
  for (const dir of SOURCES) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(CALL)) {
        const call = m[1]!.replace(/\s+/g, "");
        if (OFFLINE.has(call)) continue;
        const site = `${relative(ROOT, file)} ${call}`;
        found.set(site, (found.get(site) ?? 0) + 1);
      }
    }
  }
  return found;
}

const { emulator, stripe } = await useTestEmulator();
const site = await useLocalServer();
const appUrl = site.url;
const dataDir = mkdtempSync(join(tmpdir(), "colecta-app-calls-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Fails with the emulator's words when it refuses a parameter; any other failure is thrown as is. */
async function accepted<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (
      error instanceof Stripe.errors.StripeError &&
      (error.code === "parameter_unknown" || error.param === "expand")
    ) {
      throw new Error(`Stripe refused a parameter the app sends: ${error.message} (param ${error.param})`);
    }
    throw error;
  }
}

const pledgeId = "7d0c52a4-6f3b-4d6e-9a59-0d5c9f3b1a11";
const campaign = { id: "2b9a6d3e-1c4f-4a8b-9e7d-5f6a7b8c9d0e", title: "Solar kiln", currency: "usd" };
const later = () => Math.floor(Date.now() / 1000) + CHECKOUT_TTL_SECONDS;
const s: {
  customer?: string;
  paymentMethod?: string;
  pi?: Stripe.PaymentIntent;
  charge?: string;
  bt?: string;
  refund?: string;
  session?: Stripe.Checkout.Session;
  dispute?: string;
  account?: string;
  transfer?: string;
} = {};

interface AppCall {
  /** The file that makes the call, and the call as written there (`stripe.` left off). */
  site: string;
  call: string;
  /** The app function (and variant) it reproduces. */
  app: string;
  run: () => Promise<unknown>;
}

// In order: later calls use what earlier ones made.
const CALLS: AppCall[] = [
  {
    site: "app/services/pledges/checkout.server.ts",
    call: "customers.create",
    app: "ensureStripeCustomer",
    run: async () => {
      const customer = await stripe.customers.create(
        { email: "backer@example.com", name: "Ada Backer", metadata: { user_id: "u_1" } },
        { idempotencyKey: `colecta-customer-${Date.now()}` },
      );
      s.customer = customer.id;
    },
  },
  {
    site: "scripts/demo/payments.ts",
    call: "paymentMethods.attach",
    app: "demo payments (saved cards)",
    run: async () => {
      s.paymentMethod = (await stripe.paymentMethods.attach("pm_card_visa", { customer: s.customer! })).id;
    },
  },
  {
    site: "scripts/demo/payments.ts",
    call: "paymentIntents.create",
    app: "demo payments (immediate pledges)",
    run: () =>
      stripe.paymentIntents.create(
        {
          amount: 2500,
          currency: "usd",
          customer: s.customer!,
          payment_method: s.paymentMethod!,
          off_session: true,
          confirm: true,
          metadata: { pledge_id: pledgeId, campaign_id: campaign.id },
        },
        { idempotencyKey: `colecta-demo-pledge-payment-${Date.now()}` },
      ),
  },
  {
    site: "app/services/settlement/attempts/call.server.ts",
    call: "paymentIntents.create",
    app: "runJob (charge at the deadline)",
    run: async () => {
      s.pi = await stripe.paymentIntents.create(
        {
          amount: 5000,
          currency: campaign.currency,
          customer: s.customer!,
          payment_method: s.paymentMethod!,
          confirm: true,
          off_session: true,
          description: `Pledge to ${campaign.title}`,
          metadata: { pledge_id: pledgeId, campaign_id: campaign.id, attempt: "1" },
          expand: ["latest_charge.balance_transaction"],
        },
        { idempotencyKey: `colecta-charge-${Date.now()}` },
      );
      const charge = s.pi.latest_charge as Stripe.Charge;
      s.charge = charge.id;
      s.bt = (charge.balance_transaction as Stripe.BalanceTransaction).id;
    },
  },
  {
    site: "app/services/settlement/attempts/call.server.ts",
    call: "paymentIntents.retrieve",
    app: "runJob (keep / refund: reads the payment)",
    run: () => stripe.paymentIntents.retrieve(s.pi!.id, { expand: ["latest_charge.balance_transaction"] }, {}),
  },
  {
    site: "app/services/settlement/attempts/call.server.ts",
    call: "charges.retrieve",
    app: "paidFrom",
    run: () => stripe.charges.retrieve(s.charge!, { expand: ["balance_transaction"] }, {}),
  },
  {
    site: "app/services/finance/refunds.server.ts",
    call: "charges.retrieve",
    app: "refundPledge (charges of the pledge)",
    run: () => stripe.charges.retrieve(s.charge!),
  },
  {
    site: "app/services/finance/refunds.server.ts",
    call: "refunds.create",
    app: "sendRefund (finance refund)",
    run: async () => {
      const refund = await stripe.refunds.create(
        {
          charge: s.charge!,
          amount: 500,
          reason: "requested_by_customer",
          metadata: { pledge_id: pledgeId, refund_id: "r_1", campaign_id: campaign.id },
        },
        { idempotencyKey: `colecta-refund-${Date.now()}` },
      );
      s.refund = refund.id;
    },
  },
  {
    site: "app/services/pledges/payment-refunds.server.ts",
    call: "refunds.create",
    app: "sendPaymentRefund",
    run: () =>
      stripe.refunds.create(
        {
          payment_intent: s.pi!.id,
          amount: 300,
          metadata: { pledge_id: pledgeId, refund_id: "r_2", purpose: "change" },
        },
        { idempotencyKey: `colecta-payment-refund-${Date.now()}` },
      ),
  },
  {
    site: "app/services/settlement/attempts/call.server.ts",
    call: "refunds.create",
    app: "runJob (unfunded campaign: refund what is left)",
    run: () =>
      stripe.refunds.create(
        { payment_intent: s.pi!.id, metadata: { pledge_id: pledgeId, campaign_id: campaign.id, purpose: "unfunded" } },
        { idempotencyKey: `colecta-unfunded-${Date.now()}` },
      ),
  },
  {
    site: "app/services/finance/reconciliation/compare.server.ts",
    call: "refunds.retrieve",
    app: "compare (booked refunds)",
    run: () => stripe.refunds.retrieve(s.refund!),
  },
  {
    site: "app/services/finance/refund-failures.server.ts",
    call: "refunds.retrieve",
    app: "syncRefundFailure",
    run: () => stripe.refunds.retrieve(s.refund!),
  },
  {
    site: "app/services/finance/reconciliation/compare.server.ts",
    call: "balanceTransactions.retrieve",
    app: "compare (booked fees)",
    run: () => stripe.balanceTransactions.retrieve(s.bt!),
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "charges.retrieve",
    app: "chargeOf",
    run: () => stripe.charges.retrieve(s.charge!, { expand: ["balance_transaction"] }),
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "paymentIntents.list",
    app: "readStripeSide",
    run: async () => {
      for await (const pi of stripe.paymentIntents.list({
        limit: 100,
        expand: ["data.latest_charge.balance_transaction"],
      }))
        void pi;
    },
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "refunds.list",
    app: "readStripeSide",
    run: async () => {
      for await (const r of stripe.refunds.list({ limit: 100 })) void r;
    },
  },
  {
    site: "app/services/pledges/checkout.server.ts",
    call: "checkout.sessions.create",
    app: "openCheckoutSession (collected at the deadline: setup mode)",
    run: () =>
      stripe.checkout.sessions.create(
        {
          locale: "es-419",
          customer: s.customer!,
          client_reference_id: pledgeId,
          metadata: { pledge_id: pledgeId },
          expires_at: later(),
          success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/pledges/${pledgeId}/return?cancelled=1`,
          mode: "setup",
          currency: campaign.currency,
          allowed_payment_method_types: ["card"],
          setup_intent_data: { metadata: { pledge_id: pledgeId }, description: `Pledge to ${campaign.title}` },
        },
        { idempotencyKey: `colecta-pledge-checkout-${Date.now()}-setup` },
      ),
  },
  {
    site: "app/services/pledges/checkout.server.ts",
    call: "checkout.sessions.create",
    app: "openCheckoutSession (late pledge: payment mode)",
    run: () =>
      stripe.checkout.sessions.create({
        customer: s.customer!,
        client_reference_id: pledgeId,
        metadata: { pledge_id: pledgeId, purpose: "late_pledge" },
        expires_at: later(),
        success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/pledges/${pledgeId}/return?cancelled=1`,
        mode: "payment",
        allowed_payment_method_types: ["card"],
        line_items: [
          {
            quantity: 1,
            price_data: { currency: campaign.currency, unit_amount: 2500, product_data: { name: "Pledge" } },
          },
        ],
        payment_intent_data: {
          metadata: { pledge_id: pledgeId, purpose: "late_pledge" },
          description: `Late pledge to ${campaign.title}`,
        },
      }),
  },
  {
    site: "app/services/pledges/checkout.server.ts",
    call: "checkout.sessions.create",
    app: "openCheckoutSession (paid up front: payment mode, card kept)",
    run: async () => {
      s.session = await stripe.checkout.sessions.create(
        {
          locale: "en",
          customer: s.customer!,
          client_reference_id: pledgeId,
          metadata: { pledge_id: pledgeId },
          expires_at: later(),
          success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/pledges/${pledgeId}/return?cancelled=1`,
          mode: "payment",
          allowed_payment_method_types: ["card"],
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: campaign.currency,
                unit_amount: 4000,
                product_data: { name: `Pledge to ${campaign.title}` },
              },
            },
          ],
          payment_intent_data: {
            metadata: { pledge_id: pledgeId },
            setup_future_usage: "off_session",
            description: `Pledge to ${campaign.title}`,
          },
        },
        { idempotencyKey: `colecta-pledge-checkout-${Date.now()}` },
      );
      const paid = await payHostedCheckout(s.session.url!);
      expect(paid.status).toBe(303);
    },
  },
  {
    site: "app/services/pledges/checkout-sync.server.ts",
    call: "checkout.sessions.retrieve",
    app: "syncCheckoutSession",
    run: () =>
      stripe.checkout.sessions.retrieve(s.session!.id, {
        expand: ["setup_intent.payment_method", "payment_intent.payment_method"],
      }),
  },
  {
    site: "app/services/pledges/up-front-changes.server.ts",
    call: "checkout.sessions.retrieve",
    app: "reconcileOpenRaises",
    run: () => stripe.checkout.sessions.retrieve(s.session!.id, { expand: ["payment_intent"] }),
  },
  {
    site: "app/services/settlement/fix-payment.server.ts",
    call: "checkout.sessions.retrieve",
    app: "openFixPaymentCheckout (the open session)",
    run: () => stripe.checkout.sessions.retrieve(s.session!.id),
  },
  {
    site: "app/services/settlement/fix-payment.server.ts",
    call: "checkout.sessions.retrieve",
    app: "syncFixPaymentSession",
    run: () => stripe.checkout.sessions.retrieve(s.session!.id, {}, {}),
  },
  {
    site: "app/services/settlement/fix-payment.server.ts",
    call: "paymentIntents.retrieve",
    app: "syncFixPaymentSession (the payment)",
    run: async () => {
      const session = await stripe.checkout.sessions.retrieve(s.session!.id);
      await stripe.paymentIntents.retrieve(
        session.payment_intent as string,
        { expand: ["latest_charge.balance_transaction", "payment_method"] },
        {},
      );
    },
  },
  {
    site: "app/services/pledges/late-pledge.server.ts",
    call: "paymentIntents.retrieve",
    app: "syncLatePledgeSession",
    run: async () => {
      const session = await stripe.checkout.sessions.retrieve(s.session!.id);
      await stripe.paymentIntents.retrieve(session.payment_intent as string, {
        expand: ["latest_charge.balance_transaction", "payment_method"],
      });
    },
  },
  {
    site: "app/services/pledges/management.server.ts",
    call: "checkout.sessions.create",
    app: "openCardUpdate",
    run: () =>
      stripe.checkout.sessions.create({
        mode: "setup",
        locale: "es",
        currency: campaign.currency,
        allowed_payment_method_types: ["card"],
        customer: s.customer!,
        metadata: { pledge_id: pledgeId, purpose: "card_update" },
        client_reference_id: pledgeId,
        success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/me/pledges/${pledgeId}`,
      }),
  },
  {
    site: "app/services/pledges/up-front-changes.server.ts",
    call: "checkout.sessions.create",
    app: "openRaiseCheckout",
    run: async () => {
      const metadata = { pledge_id: pledgeId, purpose: "change", change_id: "c_1" };
      s.session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          locale: "es",
          customer: s.customer!,
          client_reference_id: pledgeId,
          metadata,
          allowed_payment_method_types: ["card"],
          line_items: [
            { quantity: 1, price_data: { currency: "usd", unit_amount: 1000, product_data: { name: "Aumento" } } },
          ],
          payment_intent_data: { metadata, description: `Raise of your pledge to ${campaign.title}` },
          expires_at: later(),
          success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/me/pledges/${pledgeId}?raise=cancelled`,
        },
        { idempotencyKey: `colecta-pledge-change-${Date.now()}` },
      );
    },
  },
  {
    site: "app/services/pledges/up-front-changes.server.ts",
    call: "checkout.sessions.expire",
    app: "expireSessions",
    run: () => stripe.checkout.sessions.expire(s.session!.id),
  },
  {
    site: "app/services/settlement/fix-payment.server.ts",
    call: "checkout.sessions.create",
    app: "openFixPaymentCheckout",
    run: async () => {
      const metadata = { pledge_id: pledgeId, purpose: "fix_payment", attempt: "2" };
      s.session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          locale: "en",
          customer: s.customer!,
          client_reference_id: pledgeId,
          allowed_payment_method_types: ["card"],
          metadata,
          line_items: [
            { quantity: 1, price_data: { currency: "usd", unit_amount: 5000, product_data: { name: "Pledge" } } },
          ],
          payment_intent_data: {
            metadata: { ...metadata, campaign_id: campaign.id },
            setup_future_usage: "off_session",
            description: `Pledge to ${campaign.title}`,
          },
          success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/pledges/${pledgeId}/fix`,
        },
        { idempotencyKey: `colecta-fix-${Date.now()}` },
      );
    },
  },
  {
    site: "app/routes/pledges.$id.return.tsx",
    call: "checkout.sessions.expire",
    app: "pledges.$id.return loader (cancelled)",
    run: () => stripe.checkout.sessions.expire(s.session!.id),
  },
  {
    site: "app/services/settlement/disputes.server.ts",
    call: "paymentIntents.retrieve",
    app: "pledgeOfDispute",
    run: async () => {
      const pm = await stripe.paymentMethods.attach("pm_card_createDispute", { customer: s.customer! });
      const pi = await stripe.paymentIntents.create({
        amount: 3000,
        currency: "usd",
        customer: s.customer!,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
      });
      const dispute = await eventually(async () => (await stripe.disputes.list({ payment_intent: pi.id })).data[0]);
      s.dispute = dispute.id;
      await stripe.paymentIntents.retrieve(pi.id);
    },
  },
  {
    site: "app/services/settlement/disputes.server.ts",
    call: "disputes.retrieve",
    app: "syncDispute",
    run: () => stripe.disputes.retrieve(s.dispute!),
  },
  {
    site: "app/services/finance/reconciliation/compare.server.ts",
    call: "disputes.retrieve",
    app: "compare (booked disputes)",
    run: () => stripe.disputes.retrieve(s.dispute!),
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "disputes.list",
    app: "readStripeSide",
    run: async () => {
      for await (const d of stripe.disputes.list({ limit: 100 })) void d;
    },
  },
  {
    site: "app/services/settlement/disputes.server.ts",
    call: "disputes.update",
    app: "submitDisputeEvidence (every evidence field the form has)",
    run: () =>
      stripe.disputes.update(
        s.dispute!,
        { evidence: Object.fromEntries(EVIDENCE_FIELD_NAMES.map((name) => [name, `Our ${name}`])), submit: true },
        { idempotencyKey: `colecta-dispute-evidence-${Date.now()}` },
      ),
  },
  {
    site: "app/services/finance/connect.server.ts",
    call: "accounts.create",
    app: "startOnboarding",
    run: async () => {
      const account = await stripe.accounts.create(
        {
          type: "express",
          email: "maker@example.com",
          metadata: { user_id: "u_2" },
          capabilities: { transfers: { requested: true } },
        },
        { idempotencyKey: `colecta-connect-account-${Date.now()}` },
      );
      s.account = account.id;
    },
  },
  {
    site: "app/services/finance/connect.server.ts",
    call: "accountLinks.create",
    app: "startOnboarding",
    run: async () => {
      const link = await stripe.accountLinks.create({
        account: s.account!,
        refresh_url: `${appUrl}/creator/payouts/refresh`,
        return_url: `${appUrl}/creator/payouts/return`,
        type: "account_onboarding",
      });
      // The maker completes the hosted onboarding, so transfers can reach the account.
      const done = await fetch(link.url, { method: "POST", redirect: "manual" });
      expect(done.status).toBe(303);
    },
  },
  {
    site: "app/services/finance/connect.server.ts",
    call: "accounts.retrieve",
    app: "syncPayoutAccount",
    run: () => stripe.accounts.retrieve(s.account!),
  },
  {
    site: "app/services/finance/payouts.server.ts",
    call: "transfers.create",
    app: "sendApprovedPayout",
    run: async () => {
      await makeFundsAvailable(emulator);
      const transfer = await stripe.transfers.create(
        {
          amount: 1000,
          currency: "usd",
          destination: s.account!,
          transfer_group: campaign.id,
          metadata: { payout_id: "po_1", campaign_id: campaign.id },
        },
        { idempotencyKey: `colecta-payout-${Date.now()}` },
      );
      s.transfer = transfer.id;
    },
  },
  {
    site: "app/services/finance/payouts.server.ts",
    call: "transfers.list",
    app: "findSentTransfer (before sending a payout's transfer)",
    run: async () => {
      for await (const t of stripe.transfers.list({ transfer_group: campaign.id, limit: 100 })) void t;
    },
  },
  {
    site: "app/services/finance/recoveries.server.ts",
    call: "transfers.createReversal",
    app: "sendRecovery",
    run: () =>
      stripe.transfers.createReversal(
        s.transfer!,
        { amount: 200, metadata: { recovery_id: "rc_1", refund_id: "r_1", campaign_id: campaign.id } },
        { idempotencyKey: `colecta-recovery-${Date.now()}` },
      ),
  },
  {
    site: "app/services/finance/reconciliation/compare.server.ts",
    call: "transfers.retrieve",
    app: "compare (booked payouts)",
    run: () => stripe.transfers.retrieve(s.transfer!),
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "transfers.list",
    app: "readStripeSide",
    run: async () => {
      for await (const t of stripe.transfers.list({ limit: 100 })) void t;
    },
  },
  {
    site: "app/services/finance/reconciliation/stripe-side.server.ts",
    call: "transfers.listReversals",
    app: "listStripeSide (a transfer with more than ten reversals)",
    run: async () => {
      for await (const r of stripe.transfers.listReversals(s.transfer!, { limit: 100 })) void r;
    },
  },
  {
    site: "app/services/stripe/client.server.ts",
    call: "webhookEndpoints.create",
    app: "registerEmulatorWebhook (first start: list, create)",
    run: () => registerEmulatorWebhook(stripe, { DATA_DIR: dataDir } as Config, `${appUrl}/webhooks/stripe`),
  },
  {
    site: "app/services/stripe/client.server.ts",
    call: "webhookEndpoints.del",
    app: "registerEmulatorWebhook (secret lost: list, delete, create)",
    run: async () => {
      rmSync(join(dataDir, "stripe-webhook-secret"));
      await registerEmulatorWebhook(stripe, { DATA_DIR: dataDir } as Config, `${appUrl}/webhooks/stripe`);
    },
  },
  {
    site: "app/services/stripe/client.server.ts",
    call: "webhookEndpoints.list",
    app: "registerEmulatorWebhook (known secret: list only)",
    run: () => registerEmulatorWebhook(stripe, { DATA_DIR: dataDir } as Config, `${appUrl}/webhooks/stripe`),
  },
];

emulatorOnly("every Stripe call the app makes passes the strict emulator", () => {
  it("lists every Stripe call in app/ and scripts/demo (add a new one to CALLS with its parameters)", () => {
    const inSource = callsInSource();
    const listed = new Map<string, number>();
    for (const c of CALLS) listed.set(`${c.site} ${c.call}`, (listed.get(`${c.site} ${c.call}`) ?? 0) + 1);
    const missing = [...inSource].filter(([site, n]) => (listed.get(site) ?? 0) < n).map(([site]) => site);
    const stale = [...listed.keys()].filter((site) => !inSource.has(site));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  for (const c of CALLS) {
    it(`stripe.${c.call}: ${c.app} (${c.site})`, async () => {
      await accepted(c.run());
    });
  }

  it("answered none of them with an error", async () => {
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as {
      byStatus: Record<string, number>;
    };
    expect(Object.keys(stats.byStatus).filter((status) => Number(status) >= 400)).toEqual([]);
  });
});
