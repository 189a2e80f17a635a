// Contract: Connect Express accounts, onboarding links and the hosted onboarding page,
// transfers and destination charges. Emulator only: real Stripe needs Connect enabled on the
// platform account and a browser for onboarding.

import type Stripe from "stripe";
import { emulatorOnly, makeFundsAvailable, useTarget } from "../support/stripe";
import { stripeError, useLocalServer } from "./support.js";

const target = await useTarget();
const { stripe } = target;
const site = await useLocalServer();

async function onboard(accountId: string): Promise<string> {
  const link = await stripe.accountLinks.create({
    account: accountId,
    type: "account_onboarding",
    refresh_url: `${site.url}/creator/payouts/refresh`,
    return_url: `${site.url}/creator/payouts/return`,
  });
  expect(link.object).toBe("account_link");
  const pageHtml = await (await fetch(link.url)).text();
  expect(pageHtml).toContain("Complete onboarding (test mode)");
  const res = await fetch(link.url, { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
  return res.headers.get("location")!;
}

emulatorOnly("Connect", () => {
  it("creates an express account that cannot receive transfers until onboarded", async () => {
    const account = await stripe.accounts.create({
      type: "express",
      country: "US",
      email: "maker@example.com",
      capabilities: { transfers: { requested: true }, card_payments: { requested: true } },
    });
    expect(account.id).toMatch(/^acct_/);
    expect(account).toMatchObject({ details_submitted: false, charges_enabled: false, payouts_enabled: false });
    const refused = await stripeError(
      stripe.transfers.create({ amount: 1000, currency: "usd", destination: account.id }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.code).toBe("insufficient_capabilities_for_transfer");

    expect(await onboard(account.id)).toBe(`${site.url}/creator/payouts/return`);
    const ready = await stripe.accounts.retrieve(account.id);
    expect(ready).toMatchObject({ details_submitted: true, charges_enabled: true, payouts_enabled: true });
    expect(ready.capabilities?.transfers).toBe("active");
    const events = await stripe.events.list({ type: "account.updated" });
    expect(events.data.some((e) => (e.data.object as Stripe.Account).id === account.id)).toBe(true);

    // A transfer without source_transaction spends available funds: a charge, two days on.
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    await stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    await makeFundsAvailable(target.emulator!);
    const transfer = await stripe.transfers.create({
      amount: 1000,
      currency: "usd",
      destination: account.id,
      transfer_group: "campaign_1",
      metadata: { payout_id: "po_1" },
    });
    expect(transfer.id).toMatch(/^tr_/);
    expect(transfer).toMatchObject({ amount: 1000, destination: account.id, transfer_group: "campaign_1" });
    expect((await stripe.transfers.list({ destination: account.id })).data.map((t) => t.id)).toEqual([transfer.id]);
    expect((await stripe.accounts.list({ limit: 100 })).data.some((a) => a.id === account.id)).toBe(true);
  });

  it("a used onboarding link sends the user to refresh_url", async () => {
    const account = await stripe.accounts.create({ type: "express", country: "US" });
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: `${site.url}/refresh`,
      return_url: `${site.url}/return`,
    });
    await fetch(link.url, { method: "POST", redirect: "manual" });
    const again = await fetch(link.url, { redirect: "manual" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(`${site.url}/refresh`);
  });

  it("destination charges record transfer_data, the application fee and a transfer", async () => {
    const account = await stripe.accounts.create({
      type: "express",
      country: "US",
      capabilities: { transfers: { requested: true } },
    });
    await onboard(account.id);
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const pi = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
      transfer_data: { destination: account.id },
      application_fee_amount: 500,
    });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string, { expand: ["transfer"] });
    expect(charge.transfer_data?.destination).toBe(account.id);
    expect(charge.application_fee_amount).toBe(500);
    expect((charge.transfer as Stripe.Transfer).amount).toBe(9_500);
    const missing = await stripeError(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", application_fee_amount: 10 }),
    );
    expect(missing.statusCode).toBe(400);
  });
});
