import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { seedDemoSurvey } from "../../scripts/demo/surveys";
import { useTestDatabase } from "../support/database";
import { makeCollectedBacker, makeFundedCampaign } from "../support/surveys";

// The demo's survey: built, sent and answered by some backers through the real services.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

it("sends the demo survey and has some backers answer it, never past the limited edition's stock", async () => {
  const world = await makeFundedCampaign(db());
  const destinations = ["US", "EU", "GB", "CA", "JP", "AU", "ROW"];
  for (let i = 0; i < 20; i++)
    await makeCollectedBacker(db(), {
      campaignId: world.campaign.id,
      tierId: i % 4 === 3 ? world.digital.id : world.shirt.id,
      destination: i % 4 === 3 ? null : destinations[i % destinations.length]!,
      name: `Demo Backer ${i}`,
    });
  expect(await seedDemoSurvey(db(), { campaignId: world.campaign.id, answerShare: 0.6 })).toBe(12);
  const statuses = await db().selectFrom("fulfilments").select("status").execute();
  expect(statuses.filter((s) => s.status === "ready")).toHaveLength(12);
  const copper = await db()
    .selectFrom("survey_options")
    .selectAll()
    .where("label", "=", "Limited copper edition")
    .executeTakeFirstOrThrow();
  expect(copper.taken_count).toBeLessThanOrEqual(5);
});
