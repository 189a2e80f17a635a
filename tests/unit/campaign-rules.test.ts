import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";
import { campaignDraftSchema, slugify } from "~/domain/campaign-form";
import { endDateProblem, fixedFieldChanges } from "~/domain/campaign-terms";
import { launchChecklist } from "~/domain/launch-checklist";
import { tierChangeProblems, tierDeletionProblem, tierSchema } from "~/domain/tier-rules";
import { translatorFor } from "~/i18n";

const en = translatorFor("en");
/** The English reader's words and number format, as an action passes them. */
const EN = { t: en, locale: "en" as const };

/** Reads fields as a form action does (through Conform), keeping the first message per field. */
function readFields<Output>(schema: z.ZodType<Output>, fields: Record<string, string>) {
  const submission = parseWithZod(new URLSearchParams(fields), { schema });
  if (submission.status === "success") return { ok: true as const, data: submission.value };
  const fieldErrors: Record<string, string | undefined> = {};
  for (const [name, messages] of Object.entries(submission.error ?? {})) fieldErrors[name] = messages?.[0];
  return { ok: false as const, fieldErrors };
}

const NOW = new Date("2027-03-10T12:00:00Z");

const draft = (overrides: Record<string, string> = {}) => ({
  title: "Solar Kettle",
  slug: "",
  blurb: "Tea anywhere the sun shines",
  storyMd: "A kettle.",
  category: "hardware",
  coverAlt: "",
  goal: "5000",
  currency: "usd",
  deadlineMode: "duration",
  durationDays: "30",
  endDate: "",
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
  ...overrides,
});

describe("slugs", () => {
  it.each([
    ["Solar Kettle: Tea, anywhere!", "solar-kettle-tea-anywhere"],
    ["Crème Brûlée Torch", "creme-brulee-torch"],
    ["  --Bits & Bobs--  ", "bits-and-bobs"],
    ["日本語", ""],
  ])("makes %j into %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("derives the slug from the title when none is typed, and checks a typed one", () => {
    const parsed = readFields(campaignDraftSchema(en, "en", NOW), draft());
    expect(parsed.ok && parsed.data.slug).toBe("solar-kettle");
    const bad = readFields(campaignDraftSchema(en, "en", NOW), draft({ slug: "Not a slug!" }));
    expect(!bad.ok && bad.fieldErrors.slug).toMatch(/lowercase letters, digits and single hyphens/);
    const noLatin = readFields(campaignDraftSchema(en, "en", NOW), draft({ title: "日本語" }));
    expect(!noLatin.ok && noLatin.fieldErrors.slug).toMatch(/type one here/);
  });
});

describe("the campaign draft form", () => {
  it("reads a complete draft into minor units", () => {
    const parsed = readFields(campaignDraftSchema(en, "en", NOW), draft({ goal: "1,250.50" }));
    expect(parsed).toEqual({
      ok: true,
      data: expect.objectContaining({
        goalAmount: 125050,
        currency: "usd",
        durationDays: 30,
        endDate: null,
        fundingModel: "all_or_nothing",
      }),
    });
  });

  it.each([
    [{ goal: "0" }, /more than zero/],
    [{ goal: "-5" }, /must be positive/],
    [{ goal: "12.5", currency: "jpy" }, /JPY has no decimal places/],
    [{ goal: "12.505" }, /at most 2 decimal places/],
    [{ goal: "abc" }, /as a number/],
    [{ goal: "99999999" }, /at most/],
    [{ goal: "" }, /Enter your funding goal/],
  ])("refuses the goal %o with a clear message", (fields, message) => {
    const parsed = readFields(campaignDraftSchema(en, "en", NOW), draft(fields));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors.goal).toMatch(message);
  });

  it("accepts a whole-yen goal", () => {
    const parsed = readFields(campaignDraftSchema(en, "en", NOW), draft({ goal: "150000", currency: "jpy" }));
    expect(parsed.ok && parsed.data.goalAmount).toBe(150000);
  });

  it.each([
    [{ durationDays: "0" }, "durationDays", /1 to 60 days/],
    [{ durationDays: "61" }, "durationDays", /1 to 60 days/],
    [{ durationDays: "7.5" }, "durationDays", /1 to 60 days/],
    [{ deadlineMode: "date", endDate: "2027-03-01" }, "endDate", /in the future/],
    [{ deadlineMode: "date", endDate: "2027-03-10" }, "endDate", /in the future/],
    [{ deadlineMode: "date", endDate: "2027-05-10" }, "endDate", /at most 60 days.*2027-05-09/],
    [{ deadlineMode: "date", endDate: "2027-02-30" }, "endDate", /as a date/],
    [{ deadlineMode: "date", endDate: "" }, "endDate", /Choose the date/],
  ])("refuses the deadline %o", (fields, field, message) => {
    const parsed = readFields(campaignDraftSchema(en, "en", NOW), draft(fields));
    expect(!parsed.ok && parsed.fieldErrors[field]).toMatch(message);
  });

  it("accepts an end date from tomorrow to 60 days out", () => {
    expect(endDateProblem("2027-03-11", NOW, en)).toBeNull();
    expect(endDateProblem("2027-05-09", NOW, en)).toBeNull();
    const parsed = readFields(
      campaignDraftSchema(en, "en", NOW),
      draft({ deadlineMode: "date", endDate: "2027-04-01" }),
    );
    expect(parsed.ok && parsed.data).toMatchObject({ durationDays: null, endDate: "2027-04-01" });
  });

  it("refuses unknown categories, currencies and terms", () => {
    const parsed = readFields(
      campaignDraftSchema(en, "en", NOW),
      draft({ category: "weapons", currency: "btc", fundingModel: "keep-it-all", collection: "whenever" }),
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors).toMatchObject({
      category: "Choose a category.",
      currency: "Choose a currency.",
      fundingModel: "Choose a funding model.",
      collection: "Choose when backers are charged.",
    });
  });
});

describe("fixed terms after launch", () => {
  const current = {
    slug: "solar-kettle",
    goalAmount: 500000,
    currency: "usd" as const,
    durationDays: 30,
    deadline: new Date("2027-04-09T12:00:00Z"),
    fundingModel: "all_or_nothing" as const,
    collection: "at_deadline" as const,
  };
  it("reports each attempted change", () => {
    expect(
      fixedFieldChanges(
        current,
        {
          goal: "4000",
          currency: "eur",
          fundingModel: "flexible",
          collection: "immediate",
          durationDays: "40",
          slug: "x-y",
        },
        EN,
      ),
    ).toEqual({
      goal: expect.stringMatching(/goal is fixed/),
      currency: expect.stringMatching(/currency is fixed/),
      fundingModel: expect.stringMatching(/funding model is fixed/),
      collection: expect.stringMatching(/fixed once the campaign is live/),
      durationDays: expect.stringMatching(/deadline is fixed/),
      slug: expect.stringMatching(/web address is fixed/),
    });
  });
  it("treats unchanged or absent fields as no change", () => {
    expect(
      fixedFieldChanges(current, { goal: "5,000.00", currency: "usd", durationDays: "30", title: "New title" }, EN),
    ).toEqual({});
  });
});

describe("reward tiers", () => {
  const tier = (overrides: Record<string, string> = {}) => ({
    title: "Early bird",
    description: "One kettle",
    minimum: "79",
    quantityLimit: "",
    estimatedDelivery: "2027-09",
    shipping: "none",
    ...overrides,
  });

  it("reads a tier with shipping to chosen destinations", () => {
    const parsed = readFields(
      tierSchema(en, "en", "usd", NOW),
      tier({ shipping: "ships", ship_US: "10", ship_ROW: "25.50", ship_GB: "", quantityLimit: "100" }),
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        title: "Early bird",
        description: "One kettle",
        minimumAmount: 7900,
        quantityLimit: 100,
        estimatedDelivery: "2027-09-01",
        ships: true,
        shippingRates: [
          { destination: "US", amount: 1000 },
          { destination: "ROW", amount: 2550 },
        ],
      },
    });
  });

  it.each([
    [tier({ minimum: "20000000" }), "minimum", /at most \$10,000,000/],
    [tier({ minimum: "0" }), "minimum", /more than zero/],
    [tier({ minimum: "5.5" }), "minimum", /JPY has no decimal/, "jpy"],
    [tier({ quantityLimit: "0" }), "quantityLimit", /whole number from 1/],
    [tier({ quantityLimit: "2.5" }), "quantityLimit", /whole number/],
    [tier({ estimatedDelivery: "2027-13" }), "estimatedDelivery", /YYYY-MM/],
    [tier({ estimatedDelivery: "2026-01" }), "estimatedDelivery", /past/],
    [tier({ shipping: "ships" }), "shipping", /at least one destination/],
    [tier({ shipping: "ships", ship_US: "-3" }), "ship_US", /positive/],
  ])("refuses %o at %s", (fields, field, message, currency = "usd") => {
    const parsed = readFields(tierSchema(en, "en", currency as "usd" | "jpy", NOW), fields);
    expect(!parsed.ok && parsed.fieldErrors[field]).toMatch(message);
  });

  it("ignores shipping prices when the reward does not ship", () => {
    const parsed = readFields(tierSchema(en, "en", "usd", NOW), tier({ shipping: "none", ship_US: "10" }));
    expect(parsed.ok && parsed.data.shippingRates).toEqual([]);
  });

  describe("after launch", () => {
    const current = { minimumAmount: 5000, quantityLimit: 100, claimedCount: 40, pledgeCount: 42 };
    it("refuses a lower minimum once there are pledges, and a limit under the claimed count", () => {
      const problems = tierChangeProblems({
        ...EN,
        campaignState: "live",
        currency: "usd",
        current,
        next: { minimumAmount: 4000, quantityLimit: 39 },
      });
      expect(problems.minimum).toMatch(/already pledged at \$50\.00 or more, so the minimum can't be lowered/);
      expect(problems.quantityLimit).toMatch(
        /40 backers have already claimed this reward, so the limit can't be lower than 40/,
      );
    });
    it("allows raising the minimum, raising or removing the limit, and any change in a draft", () => {
      expect(
        tierChangeProblems({
          ...EN,
          campaignState: "live",
          currency: "usd",
          current,
          next: { minimumAmount: 6000, quantityLimit: 40 },
        }),
      ).toEqual({});
      expect(
        tierChangeProblems({
          ...EN,
          campaignState: "live",
          currency: "usd",
          current,
          next: { minimumAmount: 5000, quantityLimit: null },
        }),
      ).toEqual({});
      expect(
        tierChangeProblems({
          ...EN,
          campaignState: "draft",
          currency: "usd",
          current: { ...current, claimedCount: 0, pledgeCount: 0 },
          next: { minimumAmount: 100, quantityLimit: 1 },
        }),
      ).toEqual({});
    });
    it("allows lowering the minimum of a live tier nobody has pledged for", () => {
      expect(
        tierChangeProblems({
          ...EN,
          campaignState: "live",
          currency: "usd",
          current: { ...current, claimedCount: 0, pledgeCount: 0 },
          next: { minimumAmount: 100, quantityLimit: 5 },
        }),
      ).toEqual({});
    });
    it("refuses every change once the campaign has ended", () => {
      expect(
        tierChangeProblems({
          ...EN,
          campaignState: "funded",
          currency: "usd",
          current,
          next: { minimumAmount: 5000, quantityLimit: 100 },
        }).form,
      ).toMatch(/ended/);
    });
    it("hides rather than deletes a tier with pledges, and deletes only in a draft", () => {
      expect(tierDeletionProblem({ campaignState: "draft", pledgeCount: 0, t: en })).toBeNull();
      expect(tierDeletionProblem({ campaignState: "live", pledgeCount: 3, t: en })).toMatch(/Hide it instead/);
      expect(tierDeletionProblem({ campaignState: "live", pledgeCount: 0, t: en })).toMatch(
        /only be deleted before launch/,
      );
    });
  });
});

describe("the launch checklist", () => {
  const ready = {
    title: "Solar Kettle",
    blurb: "Tea anywhere",
    storyMd: "x".repeat(200),
    goalAmount: 500000,
    currency: "usd" as const,
    coverImageId: "b1e7b0a4-7c53-4c43-9a86-3c8c1a1d6a11",
    coverAlt: "A kettle",
    durationDays: 30,
    deadline: null,
  };
  it("is complete for a ready campaign", () => {
    expect(launchChecklist(ready, { visibleTierCount: 1, now: NOW, t: en }).every((i) => i.done)).toBe(true);
  });
  it("lists what is missing, with how to fix it", () => {
    const items = launchChecklist(
      {
        ...ready,
        storyMd: "short",
        coverImageId: null,
        coverAlt: " ",
        durationDays: null,
        deadline: new Date("2027-03-01T23:59:59Z"),
      },
      { visibleTierCount: 0, now: NOW, t: en },
    );
    const missing = Object.fromEntries(items.filter((i) => !i.done).map((i) => [i.key, i.fix]));
    expect(Object.keys(missing).sort()).toEqual(["cover", "coverAlt", "deadline", "story", "tier"]);
    expect(missing.story).toMatch(/5 characters.*195 more/);
    expect(missing.deadline).toMatch(/in the future/);
  });
  it("refuses an end date that drifted beyond 60 days (a draft saved long ago)", () => {
    const items = launchChecklist(
      { ...ready, durationDays: null, deadline: new Date("2027-06-01T23:59:59Z") },
      { visibleTierCount: 1, now: NOW, t: en },
    );
    expect(items.find((i) => i.key === "deadline")?.done).toBe(false);
  });
});

describe("the rules in Spanish", () => {
  const es = translatorFor("es");
  const ES = { t: es, locale: "es" as const };

  it("reads a goal typed 1.500,50 as 150050 minor units, and words every mistake in Spanish", () => {
    const parsed = readFields(campaignDraftSchema(es, "es", NOW), draft({ goal: "1.500,50", currency: "eur" }));
    expect(parsed.ok && parsed.data.goalAmount).toBe(150_050);
    const bad = readFields(
      campaignDraftSchema(es, "es", NOW),
      draft({ slug: "No vale", goal: "0", deadlineMode: "date", endDate: "2027-05-10" }),
    );
    expect(!bad.ok && bad.fieldErrors).toMatchObject({
      slug: "Usa solo minúsculas, números y guiones sueltos, por ejemplo hervidor-solar.",
      goal: "El importe debe ser mayor que cero.",
      endDate: "Las campañas pueden durar como máximo 60 días: elige una fecha de fin no posterior al 2027-05-09.",
    });
    const noTitle = readFields(campaignDraftSchema(es, "es", NOW), draft({ title: "", category: "x" }));
    expect(!noTitle.ok && noTitle.fieldErrors).toMatchObject({
      title: "Ponle un título a tu campaña.",
      category: "Elige una categoría.",
    });
    const long = readFields(campaignDraftSchema(es, "es", NOW), draft({ storyMd: "x".repeat(50_001) }));
    expect(!long.ok && long.fieldErrors.storyMd).toBe("La historia puede tener como máximo 50.000 caracteres.");
  });

  it("reads Spanish amounts in rewards and words their refusals in Spanish", () => {
    const tier = {
      title: "Madrugador",
      description: "",
      minimum: "1.250,5",
      quantityLimit: "",
      estimatedDelivery: "2027-09",
      shipping: "ships",
      ship_EU: "12,50",
    };
    const parsed = readFields(tierSchema(es, "es", "eur", NOW), tier);
    expect(parsed.ok && parsed.data).toMatchObject({
      minimumAmount: 125_050,
      shippingRates: [{ destination: "EU", amount: 1_250 }],
    });
    const bad = readFields(tierSchema(es, "es", "eur", NOW), { ...tier, quantityLimit: "0", ship_EU: "" });
    expect(!bad.ok && bad.fieldErrors).toMatchObject({
      quantityLimit: "Escribe un número entero de 1 a 1.000.000, o déjalo vacío para no poner límite.",
      shipping: "Indica un precio de envío para al menos un destino (0 para el envío gratuito).",
    });
    const problems = tierChangeProblems({
      ...ES,
      campaignState: "live",
      currency: "eur",
      current: { minimumAmount: 5000, quantityLimit: 100, claimedCount: 1, pledgeCount: 1 },
      next: { minimumAmount: 4000, quantityLimit: 0 },
    });
    expect(problems.minimum).toMatch(/^Ya hay patrocinadores que han aportado 50,00\u00a0€ o más/);
    expect(problems.quantityLimit).toBe(
      "1 patrocinador ya ha elegido esta recompensa, así que el límite no puede ser inferior a 1.",
    );
    expect(tierDeletionProblem({ campaignState: "live", pledgeCount: 0, t: es })).toMatch(/^Las recompensas solo/);
  });

  it("lists what is missing before launch, and what is fixed after, in Spanish", () => {
    const items = launchChecklist(
      {
        title: "Hervidor",
        blurb: "Té al sol",
        storyMd: "corta",
        goalAmount: 500_000,
        currency: "eur",
        coverImageId: null,
        coverAlt: "",
        durationDays: 30,
        deadline: null,
      },
      { visibleTierCount: 0, now: NOW, t: es },
    );
    const story = items.find((i) => i.key === "story")!;
    expect(story.label).toBe("Una historia de al menos 200 caracteres");
    expect(story.fix).toMatch(/Tu historia tiene 5 caracteres.*te faltan 195/);
    expect(items.find((i) => i.key === "deadline")).toMatchObject({
      label: "Un final dentro de 1 a 60 días",
      done: true,
    });

    const current = {
      slug: "hervidor",
      goalAmount: 500_000,
      currency: "eur" as const,
      durationDays: 30,
      deadline: new Date("2027-04-09T12:00:00Z"),
      fundingModel: "all_or_nothing" as const,
      collection: "at_deadline" as const,
    };
    expect(fixedFieldChanges(current, { goal: "5.000,00", durationDays: "30" }, ES)).toEqual({});
    expect(fixedFieldChanges(current, { goal: "4.000", currency: "usd" }, ES)).toEqual({
      goal: "El objetivo queda fijo cuando la campaña está activa: los patrocinadores hicieron sus aportaciones con él.",
      currency: "La moneda queda fija cuando la campaña está activa.",
    });
  });
});
