import { action as pledgeAction, loader as pledgeLoader } from "~/routes/me.pledges.$id";
import { loader as pledgesLoader } from "~/routes/me.pledges._index";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { pledgeThroughCheckout } from "../support/pledges";
import { call, get, post, sessionCookie } from "../support/routes";
import { useTestEmulator } from "../support/stripe";

// The backer's pledge page answers in the reader's language: validation and refusals at the
// field, amounts typed and shown the Spanish way (es-ES money); English unchanged.

const database = useTestDatabase({ APP_URL: "http://colecta.test" });
const { stripe } = await useTestEmulator({ asAppClient: true });

async function activePledge() {
  const { db } = database();
  const creator = await makeUser(db, "Creadora");
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    currency: "eur",
    tiers: [{ title: "Lámpara", minimum: 2_500 }],
  });
  const backer = await makeUser(db, "Lucía");
  const { pledgeId } = await pledgeThroughCheckout(db, stripe, {
    slug: campaign.slug,
    backer,
    form: { tier: campaign.tiers[0]!.id, amount: "25" },
    appUrl: "http://colecta.test",
  });
  const session = await sessionCookie(backer.id);
  return { db, campaign, pledgeId, tierId: campaign.tiers[0]!.id, session };
}

const change = (pledgeId: string, cookie: string, fields: Record<string, string>) =>
  call(pledgeAction, post(`/me/pledges/${pledgeId}`, { intent: "change", ...fields }, cookie), { id: pledgeId });

describe("the backer's pledge page in Spanish", () => {
  it("refuses an amount under the reward's minimum at the field, in Spanish with es-ES money", async () => {
    const { pledgeId, tierId, session } = await activePledge();
    const res = await change(pledgeId, `${session}; colecta_lang=es`, { tier: tierId, amount: "10,50" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.amount[0]).toBe("«Lámpara» requiere una aportación de al menos 25,00\u00a0€.");
  });

  it("says what is wrong with the amount and the missing reward in Spanish", async () => {
    const { pledgeId, tierId, session } = await activePledge();
    const es = { Cookie: `${session}`, "Accept-Language": "es-ES,es;q=0.9" };
    const typo = await call(
      pledgeAction,
      new Request(`http://localhost/me/pledges/${pledgeId}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "change", tier: tierId, amount: "veinte" }),
        headers: es,
      }),
      { id: pledgeId },
    );
    expect(typo.status).toBe(400);
    expect((await typo.json()).error.amount[0]).toMatch(/número/);

    const noTier = await change(pledgeId, `${session}; colecta_lang=es`, { amount: "" });
    expect(noTier.status).toBe(400);
    const body = await noTier.json();
    expect(body.error.tier[0]).toBe("Elige una recompensa, o ninguna.");
    expect(body.error.amount[0]).toBe("Escribe el importe de tu aportación.");
  });

  it("reads a Spanish amount with a decimal comma", async () => {
    const { db, pledgeId, tierId, session } = await activePledge();
    const res = await change(pledgeId, `${session}; colecta_lang=es`, { tier: tierId, amount: "30,50" });
    expect(res.status).toBe(302);
    const row = await db
      .selectFrom("pledges")
      .select("base_amount")
      .where("id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    expect(row.base_amount).toBe(3_050);
  });

  it("answers an unknown pledge with a Spanish 404", async () => {
    const { session } = await activePledge();
    const missing = "00000000-0000-4000-8000-000000000000";
    const res = await call(pledgeLoader, get(`/me/pledges/${missing}`, `${session}; colecta_lang=es`), { id: missing });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("No hemos encontrado esa aportación.");
  });

  it("keeps English for an English reader", async () => {
    const { pledgeId, tierId, session } = await activePledge();
    const res = await change(pledgeId, session, { tier: tierId, amount: "10.50" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.amount[0]).toBe('"Lámpara" needs a pledge of at least €25.00.');
    const list = await call(pledgesLoader, get("/me/pledges", session));
    expect((await list.json()).pledges[0]).toMatchObject({ amount: 2_500, currency: "eur", state: "active" });
  });
});
