import { getConfig } from "~/config.server";
import { action, loader } from "~/routes/pledges.$id.fix";
import { startUserSession } from "~/services/accounts/auth.server";
import { runDueSettlements } from "~/services/settlement/runner.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase({ APP_URL: "https://colecta.example", STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator({ asAppClient: true });

async function call(
  fn: (args: any) => Promise<unknown>,
  {
    path,
    params,
    cookie,
    method = "GET",
  }: { path: string; params: Record<string, string>; cookie?: string; method?: string },
) {
  const request = new Request(`https://colecta.example${path}`, {
    method,
    headers: { ...(cookie ? { Cookie: cookie } : {}), Origin: "https://colecta.example" },
  });
  try {
    return (await fn({ request, params, context: { clientIp: "203.0.113.9" } })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function sessionFor(userId: string) {
  const res = await startUserSession({
    request: new Request("https://colecta.example/login"),
    userId,
    ip: "203.0.113.9",
    redirectTo: "/",
  });
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

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

    const page = await call(loader, { path, params, cookie: await sessionFor(p.backer.id) });
    expect(page.status).toBe(200);
    const { pledge } = await page.json();
    expect(pledge).toMatchObject({
      fixable: true,
      amount: "$25.00",
      reason: expect.stringMatching(/insufficient funds/i),
      graceEndsAt: expect.stringMatching(/UTC$/),
    });

    const pay = await call(action, { path, params, cookie: await sessionFor(p.backer.id), method: "POST" });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("Location")).toMatch(new RegExp(`^${emulator.url}/c/pay/cs_`));

    const stranger = await makeUser(db, "Stranger");
    expect((await call(loader, { path, params, cookie: await sessionFor(stranger.id) })).status).toBe(404);
    expect((await call(action, { path, params, cookie: await sessionFor(stranger.id), method: "POST" })).status).toBe(
      404,
    );
    expect((await call(loader, { path, params })).status).toBe(302);
  });
});
