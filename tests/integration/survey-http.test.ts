import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { questionFormSchema } from "~/domain/survey";
import { translatorFor } from "~/i18n";
import { saveQuestion, sendSurvey, startSurvey } from "~/services/surveys/builder.server";
import { useTestDatabase } from "../support/database";
import { useHttpApp } from "../support/http-app";
import { sessionCookie } from "../support/routes";
import { makeCollectedBacker, makeFundedCampaign } from "../support/surveys";

// The survey through the production HTTP stack: the creator's tab and the backer's form render
// as pages, a cross-site post is refused before the route, and the backer's address reaches no
// public page.

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;
const app = useHttpApp();
const t = translatorFor("en");

it("serves the builder and the backer's form, refuses a cross-site answer, and keeps the address off public pages", async () => {
  const world = await makeFundedCampaign(db());
  const owner = { campaignId: world.campaign.id, creatorId: world.creator.id };
  await startSurvey(db(), { ...owner, t });
  await saveQuestion(db(), {
    ...owner,
    form: questionFormSchema(t).parse({ kind: "address", prompt: "Ship to", allTiers: true }),
    t,
  });
  const backer = await makeCollectedBacker(db(), {
    campaignId: world.campaign.id,
    tierId: world.shirt.id,
    destination: "GB",
  });
  await sendSurvey(db(), {
    ...owner,
    lockAt: new Date(Date.now() + 7 * 86_400_000),
    intro: "",
    actorId: world.creator.id,
    t,
  });

  const creatorCookie = await sessionCookie(world.creator.id);
  const builder = await fetch(`${app()}/creator/campaigns/${world.campaign.id}/survey`, {
    headers: { Cookie: creatorCookie },
  });
  expect(builder.status).toBe(200);
  const builderHtml = await builder.text();
  expect(builderHtml).toContain("Backer survey");
  expect(builderHtml).toContain("0 of 1 backers answered (0%)");

  const cookie = await sessionCookie(backer.id);
  const surveyUrl = `${app()}/me/pledges/${backer.pledgeId}/survey`;
  const page = await fetch(surveyUrl, { headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("You paid shipping to United Kingdom.");
  expect(html).toContain('<label for="addr_postalCode">Postcode</label>');

  const fields = new URLSearchParams({
    intent: "save",
    addr_fullName: "Grace Hopper",
    addr_line1: "221B Baker Street",
    addr_city: "London",
    addr_postalCode: "NW1 6XE",
    addr_country: "GB",
  });
  const crossSite = await fetch(surveyUrl, {
    method: "POST",
    headers: { Cookie: cookie, Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
    redirect: "manual",
  });
  expect(crossSite.status).toBe(403);
  expect(await db().selectFrom("shipping_addresses").selectAll().execute()).toHaveLength(0);

  const saved = await fetch(surveyUrl, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app(), "Content-Type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
    redirect: "manual",
  });
  expect(saved.status).toBe(302);
  expect(await db().selectFrom("shipping_addresses").select("city").execute()).toEqual([{ city: "London" }]);

  for (const path of [`/projects/${world.campaign.slug}`, `/projects/${world.campaign.slug}/comments`]) {
    const res = await fetch(`${app()}${path}`);
    const text = await res.text();
    expect(text).not.toContain("Baker Street");
    expect(text).not.toContain("NW1 6XE");
  }
}, 120_000);
