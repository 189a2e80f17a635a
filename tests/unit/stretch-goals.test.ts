import {
  mayEditStretchGoals,
  showsStretchLadder,
  STRETCH_GOALS_MAX,
  stretchChangeRefusal,
  stretchGoalSchema,
  stretchLadder,
} from "~/domain/stretch-goals";
import { translatorFor } from "~/i18n";

// Stretch goals as rules: the form reads amounts in the reader's language into minor units and
// wants them above the goal; a ladder changes only while the campaign is a draft or live, holds at
// most ten goals, and a reached goal keeps its amount and its place; the ladder a reader sees
// says which goal is next and how far the total is from it.

const en = translatorFor("en");
const es = translatorFor("es");
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
const REACHED = "2026-12-01T10:00:00.000Z";

describe("the stretch goal form", () => {
  const parse = (fields: Record<string, string>, { t = en, locale = "en" as const, currency = "usd" as const } = {}) =>
    stretchGoalSchema(t, locale, currency, 100_000).safeParse(fields);
  const errorsOf = (result: ReturnType<typeof parse>) =>
    result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));

  it("reads the amount exactly into minor units, as the reader types it", () => {
    expect(parse({ title: "Metal tokens", description: "", amount: "1,500.50" })).toMatchObject({
      success: true,
      data: { title: "Metal tokens", description: "", amount: 150_050 },
    });
    expect(
      stretchGoalSchema(es, "es", "eur", 100_000).parse({ title: "Mapa", description: "Plegable", amount: "1.500,50" }),
    ).toEqual({ title: "Mapa", description: "Plegable", amount: 150_050 });
    expect(stretchGoalSchema(en, "en", "jpy", 100_000).parse({ title: "Gold", amount: "150000" }).amount).toBe(150_000);
  });

  it("wants a title, an amount above the campaign's goal and no more decimals than the currency has", () => {
    expect(errorsOf(parse({ title: " ", amount: "2000" }))).toEqual({ title: "Give the stretch goal a title." });
    expect(errorsOf(parse({ title: "At the goal", amount: "1000" }))).toEqual({
      amount: "A stretch goal starts above the campaign's goal of $1,000.00.",
    });
    expect(errorsOf(parse({ title: "Cents", amount: "1500.505" }))).toEqual({
      amount: "Use at most 2 decimal places.",
    });
    expect(errorsOf(parse({ title: "Empty", amount: "" }))).toEqual({
      amount: "Enter the amount the total must reach.",
    });
    expect(errorsOf(parse({ title: "x".repeat(81), amount: "2000" }))).toEqual({
      title: "Keep the title under 80 characters.",
    });
    const spanish = stretchGoalSchema(es, "es", "eur", 100_000).safeParse({ title: "Mapa", amount: "900" });
    expect(plain(errorsOf(spanish).amount!)).toBe(
      "Un objetivo adicional tiene que superar el objetivo de la campaña, 1.000,00 €.",
    );
  });
});

describe("changing a ladder", () => {
  it("is for drafts and live campaigns only", () => {
    expect(["draft", "live"].every((s) => mayEditStretchGoals(s as never))).toBe(true);
    for (const state of ["settling", "funded", "unfunded", "cancelled"] as const) {
      expect(mayEditStretchGoals(state)).toBe(false);
      expect(stretchChangeRefusal({ change: "create", campaignState: state, goalCount: 0, t: en })).toMatchObject({
        status: 409,
        formError: "Stretch goals can be changed while the campaign is a draft or live.",
      });
    }
  });

  it("holds at most ten goals", () => {
    expect(
      stretchChangeRefusal({ change: "create", campaignState: "live", goalCount: STRETCH_GOALS_MAX - 1, t: en }),
    ).toBeNull();
    expect(
      stretchChangeRefusal({ change: "create", campaignState: "live", goalCount: STRETCH_GOALS_MAX, t: en }),
    ).toMatchObject({ status: 409, formError: "A campaign can have at most 10 stretch goals." });
  });

  it("keeps a reached goal's amount and place, while its words may be corrected", () => {
    const update = { change: "update", campaignState: "live", t: en } as const;
    expect(stretchChangeRefusal({ ...update, reached: true, amountChanged: false })).toBeNull();
    expect(stretchChangeRefusal({ ...update, reached: false, amountChanged: true })).toBeNull();
    expect(stretchChangeRefusal({ ...update, reached: true, amountChanged: true })).toMatchObject({
      status: 409,
      fieldErrors: { amount: "This goal has been reached, so its amount can't change." },
    });
    expect(stretchChangeRefusal({ change: "delete", campaignState: "live", reached: true, t: en })).toMatchObject({
      status: 409,
      fieldErrors: { goalId: "This goal has been reached, so it stays on the ladder." },
    });
    expect(stretchChangeRefusal({ change: "delete", campaignState: "draft", reached: false, t: en })).toBeNull();
  });

  it("is shown on the project page unless the campaign failed or was cancelled", () => {
    expect(["draft", "live", "settling", "funded"].every((s) => showsStretchLadder(s as never))).toBe(true);
    expect(showsStretchLadder("unfunded") || showsStretchLadder("cancelled")).toBe(false);
  });
});

describe("the ladder", () => {
  const goals = [
    { id: "c", amount: 300_000, reachedAt: null },
    { id: "a", amount: 150_000, reachedAt: REACHED },
    { id: "b", amount: 200_000, reachedAt: null },
  ];

  it("orders the goals and marks them reached, next and ahead, with the way to the next one", () => {
    const ladder = stretchLadder({ goal: 100_000, pledged: 175_000, goals });
    expect(ladder.rungs.map((r) => [r.id, r.state])).toEqual([
      ["a", "reached"],
      ["b", "next"],
      ["c", "ahead"],
    ]);
    // From the rung below (1,500) to the next (2,000): 1,750 is half way.
    expect(ladder.next).toEqual({ amount: 200_000, remaining: 25_000, percent: 50 });
    expect(ladder.reachedCount).toBe(1);
  });

  it("measures the first rung from the campaign's goal, and starts at zero under the goal", () => {
    const none = goals.map((g) => ({ ...g, reachedAt: null }));
    expect(stretchLadder({ goal: 100_000, pledged: 125_000, goals: none }).next).toEqual({
      amount: 150_000,
      remaining: 25_000,
      percent: 50,
    });
    expect(stretchLadder({ goal: 100_000, pledged: 40_000, goals: none }).next).toEqual({
      amount: 150_000,
      remaining: 110_000,
      percent: 0,
    });
  });

  it("has no next goal once every goal is reached, and none at all without goals", () => {
    const all = goals.map((g) => ({ ...g, reachedAt: REACHED }));
    const ladder = stretchLadder({ goal: 100_000, pledged: 320_000, goals: all });
    expect(ladder.next).toBeNull();
    expect(ladder.rungs.every((r) => r.state === "reached")).toBe(true);
    expect(stretchLadder({ goal: 100_000, pledged: 0, goals: [] })).toEqual({ rungs: [], next: null, reachedCount: 0 });
  });

  it("takes the database's word for what is reached, even when the total has since fallen", () => {
    // Settlement refunded a pledge after the deadline: the goal reached by then stays reached.
    const ladder = stretchLadder({ goal: 100_000, pledged: 140_000, goals });
    expect(ladder.rungs[0]!.state).toBe("reached");
    expect(ladder.next).toEqual({ amount: 200_000, remaining: 60_000, percent: 0 });
  });
});
