import type { Db } from "../../db/schema.js";
import { COUNTED_STATES } from "../../app/domain/pledge-states";

// Stretch goals in the demo: Oak & Ember's Night Shift (live, past twice its goal) has a ladder
// of three (one reached, the next one within reach, one ahead), and Javier's Cuaderno de campo
// (funded, in Spanish) two it reached before its deadline. Amounts are set from each campaign's
// goal (the demo rounds goals from its pledges), to tidy figures. Rows are written directly, as
// the funded campaign's ladder is read-only to the model; the database's trigger still decides
// what is reached, and the moment given here is the one the campaign's own pledges passed it.

interface DemoStretchGoal {
  title: string;
  description: string;
  /** Share of the campaign's goal, in percent (above 100). */
  percentOfGoal: number;
}

export const DEMO_STRETCH_GOALS: { slug: string; goals: DemoStretchGoal[] }[] = [
  {
    slug: "night-shift-board-game",
    goals: [
      {
        title: "Spanish and Portuguese rulebooks",
        description: "Printed rulebooks in Spanish and Portuguese in every box, not only as a PDF.",
        percentOfGoal: 110,
      },
      {
        title: "The night porter: a sixth role",
        description: "A new double-sided role board and eight event cards, written with hospital porters.",
        percentOfGoal: 250,
      },
      {
        title: "Linen-finish cards and a cloth bag",
        description: "Every card in a linen finish that lasts, and a cloth bag for the patient tokens.",
        percentOfGoal: 320,
      },
    ],
  },
  {
    slug: "cuaderno-de-campo-pirineo",
    goals: [
      {
        title: "Mapa plegable de las rutas",
        description: "Un mapa de las doce rutas del libro, plegado en la solapa trasera.",
        percentOfGoal: 115,
      },
      {
        title: "Diez láminas más de alta montaña",
        description: "Diez acuarelas nuevas de flores que crecen por encima de los 2.000 metros.",
        percentOfGoal: 135,
      },
    ],
  },
];

/** Two significant figures in major units: 1,210.00 -> 1,200.00. */
function tidy(amount: number, exponent: number) {
  const major = amount / 10 ** exponent;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(major, 1))) - 1);
  return Math.max(1, Math.round(major / magnitude)) * magnitude * 10 ** exponent;
}

/** Adds the demo ladders to campaigns that have none yet (seedDemoData runs on an empty database). */
export async function seedDemoStretchGoals(db: Db) {
  for (const spec of DEMO_STRETCH_GOALS) {
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "goal_amount", "currency"])
      .where("slug", "=", spec.slug)
      .executeTakeFirst();
    if (!campaign) continue;
    const existing = await db
      .selectFrom("stretch_goals")
      .select("id")
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirst();
    if (existing) continue;
    const exponent = campaign.currency === "jpy" ? 0 : 2;
    // The moment the campaign's total, pledge by pledge, first passed each amount.
    const pledges = await db
      .selectFrom("pledges")
      .select(["amount", "activated_at"])
      .where("campaign_id", "=", campaign.id)
      .where("state", "in", COUNTED_STATES)
      .where("activated_at", "is not", null)
      .orderBy("activated_at")
      .execute();
    const passedAt = (amount: number) => {
      let total = 0;
      for (const p of pledges) {
        total += Number(p.amount);
        if (total >= amount) return p.activated_at;
      }
      return null;
    };
    await db
      .insertInto("stretch_goals")
      .values(
        spec.goals.map((g) => {
          const amount = tidy((Number(campaign.goal_amount) * g.percentOfGoal) / 100, exponent);
          return {
            campaign_id: campaign.id,
            title: g.title,
            description: g.description,
            amount,
            reached_at: passedAt(amount),
          };
        }),
      )
      .execute();
  }
}
