// Contract: the platform balance (pending until `available_on`, GET /v1/balance), transfers
// limited to available funds or funded by a `source_transaction`, transfer reversals and the
// connected account's own balance.
//
// Against real Stripe test mode only the checks that need neither the emulator's clock nor a
// Connect account run: onboarding a connected account needs a browser there (as in
// connect.test.ts), and exact balance figures depend on what the test account already holds.

import type Stripe from "stripe";
import { emulatorOnly, makeFundsAvailable, useTarget } from "../support/stripe";
import { admin, stripeError, useLocalServer } from "./support.js";

const target = await useTarget();
const { stripe } = target;
const site = await useLocalServer();

const DAY = 24 * 60 * 60;
/** The emulator's default fee, 2.9% + 30, as real test mode charges US cards. */
const fee = (amount: number) => Math.round(amount * 0.029) + 30;

async function charge(amount: number, card = "pm_card_visa"): Promise<Stripe.Charge> {
  const customer = await stripe.customers.create({ email: "backer@example.com" });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  const pi = await stripe.paymentIntents.create({
    amount,
    currency: "usd",
    customer: customer.id,
    payment_method: pm.id,
    confirm: true,
    off_session: true,
  });
  expect(pi.status).toBe("succeeded");
  return stripe.charges.retrieve(pi.latest_charge as string, { expand: ["balance_transaction"] });
}

async function usd(): Promise<{ available: number; pending: number }> {
  const balance = await stripe.balance.retrieve();
  return {
    available: balance.available.find((b) => b.currency === "usd")?.amount ?? 0,
    pending: balance.pending.find((b) => b.currency === "usd")?.amount ?? 0,
  };
}

/** A connected Express account that completed the emulator's hosted onboarding. */
async function connectedAccount(): Promise<string> {
  const account = await stripe.accounts.create({
    type: "express",
    country: "US",
    capabilities: { transfers: { requested: true } },
  });
  const link = await stripe.accountLinks.create({
    account: account.id,
    type: "account_onboarding",
    refresh_url: `${site.url}/refresh`,
    return_url: `${site.url}/return`,
  });
  expect((await fetch(link.url, { method: "POST", redirect: "manual" })).status).toBe(303);
  return account.id;
}

/** Platform funds that a transfer without source_transaction may spend. */
async function availableFunds(amount: number): Promise<void> {
  await charge(amount);
  await makeFundsAvailable(target.emulator!);
}

describe("balance", () => {
  it("GET /v1/balance answers Stripe's Balance object", async () => {
    const balance = await stripe.balance.retrieve();
    expect(balance).toMatchObject({ object: "balance", livemode: false });
    for (const list of [balance.available, balance.pending]) {
      expect(list.length).toBeGreaterThan(0);
      for (const b of list) {
        expect(Number.isInteger(b.amount)).toBe(true);
        expect(b.currency).toMatch(/^[a-z]{3}$/);
      }
    }
  });

  it("a card charge's funds are pending, net of the fee, until available_on two days later", async () => {
    const before = await usd();
    const ch = await charge(10_000);
    const txn = ch.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({ status: "pending", amount: 10_000, fee: fee(10_000), net: 10_000 - fee(10_000) });
    expect(txn.available_on).toBeGreaterThan(txn.created);
    const after = await usd();
    expect(after.pending - before.pending).toBe(10_000 - fee(10_000));
    expect(after.available).toBe(before.available);
  });
});

emulatorOnly("balance on the emulator clock", () => {
  it("pending turns available once the clock passes available_on, wherever the line is read", async () => {
    await makeFundsAvailable(target.emulator!); // earlier tests' charges
    const ch = await charge(5_000);
    const txn = ch.balance_transaction as Stripe.BalanceTransaction;
    expect(txn.available_on).toBe(txn.created + 2 * DAY);
    const before = await usd();

    await admin(target.emulator!, "POST", "/_emulator/clock/advance", { seconds: 2 * DAY - 60 });
    expect((await stripe.balanceTransactions.retrieve(txn.id)).status).toBe("pending");
    expect(await usd()).toEqual(before);

    await admin(target.emulator!, "POST", "/_emulator/clock/advance", { seconds: 120 });
    expect((await stripe.balanceTransactions.retrieve(txn.id)).status).toBe("available");
    const expanded = await stripe.charges.retrieve(ch.id, { expand: ["balance_transaction"] });
    expect((expanded.balance_transaction as Stripe.BalanceTransaction).status).toBe("available");
    const listed = await stripe.balanceTransactions.list({ source: ch.id });
    expect(listed.data.map((t) => t.status)).toEqual(["available"]);
    const after = await usd();
    expect(after.available - before.available).toBe(5_000 - fee(5_000));
    expect(before.pending - after.pending).toBe(5_000 - fee(5_000));
  });

  it("adds up a charge, a refund, a dispute, a transfer and a reversal as Stripe does", async () => {
    await makeFundsAvailable(target.emulator!);
    const start = await usd();
    const delta = async () => {
      const now = await usd();
      return { available: now.available - start.available, pending: now.pending - start.pending };
    };

    const paid = await charge(10_000);
    expect(await delta()).toEqual({ available: 0, pending: 9_680 });

    // Refunds come out of the available balance at once (it may go below zero), not the pending one.
    await stripe.refunds.create({ charge: paid.id, amount: 2_500 });
    expect(await delta()).toEqual({ available: -2_500, pending: 9_680 });

    // A dispute withdraws the amount and the 15.00 dispute fee from the available balance.
    const disputed = await charge(4_000, "pm_card_createDispute");
    await vi.waitFor(async () => expect((await stripe.disputes.list({ charge: disputed.id })).data).toHaveLength(1));
    expect(await delta()).toEqual({ available: -2_500 - 4_000 - 1_500, pending: 9_680 + 4_000 - fee(4_000) });

    await makeFundsAvailable(target.emulator!);
    expect(await delta()).toEqual({ available: 9_680 - 2_500 + 3_854 - 5_500, pending: 0 });

    const account = await connectedAccount();
    const transfer = await stripe.transfers.create({ amount: 1_000, currency: "usd", destination: account });
    expect(await delta()).toEqual({ available: 5_534 - 1_000, pending: 0 });
    await stripe.transfers.createReversal(transfer.id, { amount: 400 });
    expect(await delta()).toEqual({ available: 5_534 - 600, pending: 0 });
  });
});

// Connect accounts need a browser to onboard on real Stripe (see connect.test.ts).
emulatorOnly("transfers and the platform balance", () => {
  it("a transfer beyond the available balance is refused with balance_insufficient and nothing is created", async () => {
    const account = await connectedAccount();
    await charge(20_000); // pending: not spendable without source_transaction
    const { available, pending } = await usd();
    expect(pending).toBeGreaterThan(0);
    const amount = Math.max(available, 0) + 1;
    const eventsBefore = (await stripe.events.list({ type: "transfer.created", limit: 100 })).data.length;

    const refused = await stripeError(
      stripe.transfers.create({ amount, currency: "usd", destination: account }, { idempotencyKey: `pay-${account}` }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.type).toBe("StripeInvalidRequestError");
    expect(refused.code).toBe("balance_insufficient");
    expect(refused.message).toMatch(/^You have insufficient available funds in your Stripe account\./);
    expect((await stripe.transfers.list({ destination: account })).data).toEqual([]);
    expect((await stripe.events.list({ type: "transfer.created", limit: 100 })).data).toHaveLength(eventsBefore);
    expect(await usd()).toEqual({ available, pending });

    // The refusal ran the endpoint, so the same key replays it (for 24 hours), as on Stripe.
    const replayed = await stripeError(
      stripe.transfers.create({ amount, currency: "usd", destination: account }, { idempotencyKey: `pay-${account}` }),
    );
    expect(replayed.code).toBe("balance_insufficient");
    expect(replayed.headers?.["idempotent-replayed"]).toBe("true");
  });

  it("the same transfer with source_transaction is funded by the pending charge, and becomes available with it", async () => {
    const account = await connectedAccount();
    const before = await usd();
    // More than the available balance could pay, out of a charge whose funds are still pending.
    const amount = Math.max(before.available, 0) + 4_000;
    const ch = await charge(amount + 1_000);
    const chargeTxn = ch.balance_transaction as Stripe.BalanceTransaction;
    const withCharge = await usd();

    const transfer = await stripe.transfers.create({
      amount,
      currency: "usd",
      destination: account,
      source_transaction: ch.id,
      expand: ["balance_transaction"],
    });
    expect(transfer).toMatchObject({ amount, source_transaction: ch.id, destination: account });
    const txn = transfer.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({ type: "transfer", amount: -amount, status: "pending" });
    expect(txn.available_on).toBe(chargeTxn.available_on);
    expect(await usd()).toEqual({ available: before.available, pending: withCharge.pending - amount });

    // What is left of the charge: 1000, less what is refunded.
    const tooMuch = await stripeError(
      stripe.transfers.create({ amount: 1_001, currency: "usd", destination: account, source_transaction: ch.id }),
    );
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.param).toBe("amount");
    await stripe.refunds.create({ charge: ch.id, amount: 500 });
    const afterRefund = await stripeError(
      stripe.transfers.create({ amount: 600, currency: "usd", destination: account, source_transaction: ch.id }),
    );
    expect(afterRefund.statusCode).toBe(400);
    await stripe.transfers.create({ amount: 500, currency: "usd", destination: account, source_transaction: ch.id });

    const mismatch = await stripeError(
      stripe.transfers.create({ amount: 100, currency: "eur", destination: account, source_transaction: ch.id }),
    );
    expect(mismatch.param).toBe("currency");
    const missing = await stripeError(
      stripe.transfers.create({ amount: 100, currency: "usd", destination: account, source_transaction: "ch_nope" }),
    );
    expect(missing.statusCode).toBe(404);

    // The connected account holds the money as pending too, until the charge's funds are available.
    const path = `/_emulator/accounts/${account}/balance`;
    const pendingThere = await admin<{ balance: Stripe.Balance }>(target.emulator!, "GET", path);
    expect(pendingThere.body.balance.pending).toMatchObject([{ amount: amount + 500, currency: "usd" }]);
    await makeFundsAvailable(target.emulator!);
    expect((await stripe.balanceTransactions.retrieve(txn.id)).status).toBe("available");
    const held = await admin<{ balance: Stripe.Balance }>(target.emulator!, "GET", path);
    expect(held.body.balance.available).toEqual([
      { amount: amount + 500, currency: "usd", source_types: { card: amount + 500 } },
    ]);
    expect(held.body.balance.pending).toMatchObject([{ amount: 0, currency: "usd" }]);
  });
});

emulatorOnly("transfer reversals", () => {
  it("reverses part, then the rest, then refuses one more; the platform is credited each time", async () => {
    const account = await connectedAccount();
    const ch = await charge(3_000);
    const transfer = await stripe.transfers.create({
      amount: 3_000,
      currency: "usd",
      destination: account,
      source_transaction: ch.id,
    });
    const before = await usd();

    const part = await stripe.transfers.createReversal(
      transfer.id,
      { amount: 1_000, metadata: { refund_id: "r_1" }, description: "Backer refunded" },
      { idempotencyKey: `reverse-${transfer.id}-1` },
    );
    expect(part.id).toMatch(/^trr_/);
    expect(part).toMatchObject({
      object: "transfer_reversal",
      amount: 1_000,
      currency: "usd",
      transfer: transfer.id,
      metadata: { refund_id: "r_1" },
    });
    // The transfer was funded by a charge still pending: the money comes back pending with it.
    const txn = await stripe.balanceTransactions.retrieve(part.balance_transaction as string);
    expect(txn).toMatchObject({
      type: "transfer_refund",
      reporting_category: "transfer_reversal",
      amount: 1_000,
      net: 1_000,
      status: "pending",
      available_on: (ch.balance_transaction as Stripe.BalanceTransaction).available_on,
      source: part.id,
    });
    expect(await usd()).toEqual({ available: before.available, pending: before.pending + 1_000 });
    let now = await stripe.transfers.retrieve(transfer.id);
    expect(now).toMatchObject({ amount_reversed: 1_000, reversed: false });
    expect(now.reversals.data.map((r) => r.id)).toEqual([part.id]);

    // The same Idempotency-Key replays the reversal instead of reversing again.
    const again = await stripe.transfers.createReversal(
      transfer.id,
      { amount: 1_000, metadata: { refund_id: "r_1" }, description: "Backer refunded" },
      { idempotencyKey: `reverse-${transfer.id}-1` },
    );
    expect(again.id).toBe(part.id);
    expect((await stripe.transfers.retrieve(transfer.id)).amount_reversed).toBe(1_000);

    const beyond = await stripeError(stripe.transfers.createReversal(transfer.id, { amount: 2_001 }));
    expect(beyond.statusCode).toBe(400);
    expect(beyond.param).toBe("amount");
    expect((await stripe.transfers.retrieve(transfer.id)).amount_reversed).toBe(1_000);

    const rest = await stripe.transfers.createReversal(transfer.id);
    expect(rest.amount).toBe(2_000);
    now = await stripe.transfers.retrieve(transfer.id);
    expect(now).toMatchObject({ amount_reversed: 3_000, reversed: true });
    expect(now.reversals.data.map((r) => r.id)).toEqual([rest.id, part.id]);
    expect(await usd()).toEqual({ available: before.available, pending: before.pending + 3_000 });

    const oneTooMany = await stripeError(stripe.transfers.createReversal(transfer.id, { amount: 1 }));
    expect(oneTooMany.statusCode).toBe(400);
    expect(oneTooMany.message).toBe(`The transfer ${transfer.id} is already fully reversed.`);

    const listed = await stripe.transfers.listReversals(transfer.id);
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, part.id]);
    expect((await stripe.transfers.retrieveReversal(transfer.id, part.id)).amount).toBe(1_000);
    const updated = await stripe.transfers.updateReversal(transfer.id, part.id, { metadata: { note: "x" } });
    expect(updated.metadata).toEqual({ refund_id: "r_1", note: "x" });
    const otherTransfer = await stripe.transfers.create({
      amount: 100,
      currency: "usd",
      destination: account,
      source_transaction: (await charge(1_000)).id,
    });
    expect((await stripeError(stripe.transfers.retrieveReversal(otherTransfer.id, part.id))).statusCode).toBe(404);

    const events = (await stripe.events.list({ type: "transfer.reversed", limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.Transfer).id === transfer.id,
    );
    expect(events.map((e) => (e.data.object as Stripe.Transfer).amount_reversed)).toEqual([3_000, 1_000]);
    expect(events[1]!.data.previous_attributes).toMatchObject({ amount_reversed: 0 });
  });

  it("after the connected account paid out to its bank, a reversal it cannot cover is refused with balance_insufficient", async () => {
    const account = await connectedAccount();
    await availableFunds(5_000);
    const transfer = await stripe.transfers.create({ amount: 2_000, currency: "usd", destination: account });

    const paidOut = await admin<{ payouts: Array<{ amount: number; currency: string }>; balance: Stripe.Balance }>(
      target.emulator!,
      "POST",
      `/_emulator/accounts/${account}/pay_out`,
    );
    expect(paidOut.status).toBe(200);
    expect(paidOut.body.payouts).toMatchObject([{ amount: 2_000, currency: "usd" }]);
    expect(paidOut.body.balance.available).toMatchObject([{ amount: 0, currency: "usd" }]);
    const before = await usd();

    const refused = await stripeError(stripe.transfers.createReversal(transfer.id, { amount: 500 }));
    expect(refused.statusCode).toBe(400);
    expect(refused.code).toBe("balance_insufficient");
    expect(refused.message).toMatch(/connected account/);
    expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({ amount_reversed: 0, reversed: false });
    expect((await stripe.transfers.listReversals(transfer.id)).data).toEqual([]);
    expect(await usd()).toEqual(before);

    // Money that reaches the account again can be reversed.
    await stripe.transfers.create({ amount: 500, currency: "usd", destination: account });
    expect((await stripe.transfers.createReversal(transfer.id, { amount: 500 })).amount).toBe(500);
  });

  it("pay_out needs an account that can be paid out", async () => {
    const pending = await stripe.accounts.create({ type: "express", country: "US" });
    const notReady = await admin(target.emulator!, "POST", `/_emulator/accounts/${pending.id}/pay_out`);
    expect(notReady.status).toBe(400);
    expect(notReady.body).toMatchObject({ error: { message: expect.stringMatching(/Payouts are not enabled/) } });
    expect((await admin(target.emulator!, "POST", "/_emulator/accounts/acct_nope/pay_out")).status).toBe(404);
  });
});
