import { getConfig } from "~/config.server";
import { action, loader } from "~/routes/pledges.$id.fix";
import { runDueSettlements } from "~/services/settlement/due.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { call, sessionCookie } from "../support/routes";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase({ APP_URL: "https://colecta.example", STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator({ asAppClient: true });

/** A request to the site's own address, sent from its own pages (so a POST passes the same-origin check). */
const request = (path: string, { cookie, method = "GET" }: { cookie?: string; method?: string } = {}) =>
  new Request(`https://colecta.example${path}`, {
    method,
    headers: { ...(cookie ? { Cookie: cookie } : {}), Origin: "https://colecta.example" },
  });

describe("the fix-payment page", () => {
  it("shows the owner why the charge failed and sends them to Stripe Checkout; nobody else sees it", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000 });
    const p = await addPledge(db, stripe, {
      campaign,
      amount: 2_500,
      card: "pm_card_visa_chargeDeclinedInsufficientFunds",
    });
    await runDueSettlements({ db, stripe, config: getConfig(), campaignSlug: campaign.slug, log: () => {} });
    const path = `/pledges/${p.id}/fix`;
    const params = { id: p.id };

    const page = await call(loader, request(path, { cookie: await sessionCookie(p.backer.id) }), params);
    expect(page.status).toBe(200);
    const { pledge } = await page.json();
    expect(pledge).toMatchObject({
      fixable: true,
      // Raw amount and ISO date: the page formats them in the reader's language.
      amount: 2_500,
      currency: "usd",
      reason: expect.stringMatching(/insufficient funds/i),
      graceEndsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });

    const pay = await call(action, request(path, { cookie: await sessionCookie(p.backer.id), method: "POST" }), params);
    expect(pay.status).toBe(303);
    expect(pay.headers.get("Location")).toMatch(new RegExp(`^${emulator.url}/c/pay/cs_`));

    const stranger = await makeUser(db, "Stranger");
    const strangerCookie = await sessionCookie(stranger.id);
    expect((await call(loader, request(path, { cookie: strangerCookie }), params)).status).toBe(404);
    expect((await call(action, request(path, { cookie: strangerCookie, method: "POST" }), params)).status).toBe(404);
    expect((await call(loader, request(path), params)).status).toBe(302);
  });
});
