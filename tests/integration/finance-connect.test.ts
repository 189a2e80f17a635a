import type Stripe from "stripe";
import { loader as payoutsLoader, action as payoutsAction } from "~/routes/creator.payouts";
import { loader as returnLoader } from "~/routes/creator.payouts.return";
import { loader as refreshLoader } from "~/routes/creator.payouts.refresh";
import { startOnboarding } from "~/services/finance/connect.server";
import { useTestDatabase } from "../support/database";
import { makeSettledCampaign } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { call, sessionCookie } from "../support/routes";
import { deliverStripeEvent, useTestEmulator } from "../support/stripe";

const database = useTestDatabase({ APP_URL: "http://colecta.test" });
const { emulator, stripe } = await useTestEmulator({ asAppClient: true });

const db = () => database().db;

const account = (userId: string) =>
  db().selectFrom("payout_accounts").selectAll().where("user_id", "=", userId).executeTakeFirst();

describe("connecting a creator's payout account", () => {
  it("creates one Express account, sends the creator to onboarding, and records the result on return", async () => {
    const creator = await makeUser(db(), "Creator");
    const cookie = await sessionCookie(creator.id);
    const post = () =>
      new Request("http://localhost/creator/payouts", {
        method: "POST",
        body: new URLSearchParams({ intent: "connect" }),
        headers: { Cookie: cookie },
      });
    const first = await call(payoutsAction, post());
    expect(first.status).toBe(303);
    const second = await call(payoutsAction, post());
    expect(second.status).toBe(303);
    const row = (await account(creator.id))!;
    expect(row).toMatchObject({
      stripe_account_id: expect.stringMatching(/^acct_/),
      payouts_enabled: false,
      details_submitted: false,
    });
    expect(
      (await stripe.accounts.list({ limit: 100 })).data.filter((a) => a.metadata?.user_id === creator.id),
    ).toHaveLength(1);

    // The hosted onboarding page sends the creator back to the return route.
    const done = await fetch(first.headers.get("Location")!, { method: "POST", redirect: "manual" });
    expect(done.headers.get("Location")).toBe("http://colecta.test/creator/payouts/return");
    const back = await call(
      returnLoader,
      new Request("http://localhost/creator/payouts/return", { headers: { Cookie: cookie } }),
    );
    expect(back.headers.get("Location")).toBe("/creator/payouts?connected=1");
    expect(await account(creator.id)).toMatchObject({
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
    });

    const page = await (
      await call(payoutsLoader, new Request("http://localhost/creator/payouts", { headers: { Cookie: cookie } }))
    ).json();
    expect(page).toMatchObject({ status: "ready", accountId: row.stripe_account_id });
  });

  it("an expired link is refreshed with a new one", async () => {
    const creator = await makeUser(db(), "Creator");
    const cookie = await sessionCookie(creator.id);
    await startOnboarding(db(), stripe, { user: creator, appUrl: "http://colecta.test" });
    const res = await call(
      refreshLoader,
      new Request("http://localhost/creator/payouts/refresh", { headers: { Cookie: cookie } }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^${emulator.url}`));
  });

  it("the account.updated webhook updates the account too (no return visit needed)", async () => {
    const creator = await makeUser(db(), "Creator");
    const url = await startOnboarding(db(), stripe, { user: creator, appUrl: "http://colecta.test" });
    await fetch(url, { method: "POST", redirect: "manual" });
    const { stripe_account_id } = (await account(creator.id))!;
    const event = (await stripe.events.list({ type: "account.updated", limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Account).id === stripe_account_id,
    )!;
    await deliverStripeEvent(db(), stripe, event);
    expect(await account(creator.id)).toMatchObject({ payouts_enabled: true });
  });

  it("a funded campaign waiting for the account is shown to its creator", async () => {
    const c = await makeSettledCampaign(db(), stripe, { connected: false, title: "Solar Kettle" });
    const cookie = await sessionCookie(c.creator.id);
    const page = await (
      await call(payoutsLoader, new Request("http://localhost/creator/payouts", { headers: { Cookie: cookie } }))
    ).json();
    expect(page.status).toBe("none");
    expect(page.waiting).toEqual([
      { id: c.campaignId, title: "Solar Kettle", state: "Waiting for your payout account", amount: null },
    ]);
  });
});
