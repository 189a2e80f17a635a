import { parseWithZod } from "@conform-to/zod/v4";
import type { CurrencyCode } from "../../db/schema.js";
import {
  addOnChangeProblems,
  addOnDeletionProblem,
  addOnFormValues,
  addOnSchema,
  type AddOnTierChoice,
} from "~/domain/add-on-rules";
import { CURRENCY_CODES } from "~/domain/money";
import { translatorFor } from "~/i18n";

// The add-on form and its post-launch rules, as the creator's pages run them (through Conform,
// in English and Spanish, in every currency).

const en = translatorFor("en");
const es = translatorFor("es");

const TIERS: AddOnTierChoice[] = [
  { id: "11111111-1111-4111-8111-111111111111", title: "Early bird", ships: true },
  { id: "22222222-2222-4222-8222-222222222222", title: "Digital thanks", ships: false },
  { id: "33333333-3333-4333-8333-333333333333", title: "E-book", ships: false },
];
const [SHIPS, DIGITAL, EBOOK] = TIERS.map((tier) => tier.id) as [string, string, string];

/** The fields as a browser posts them; `tiers` may repeat, as checkboxes do. */
function post(fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body;
}

function read(
  fields: Record<string, string | string[]>,
  { currency = "usd", locale = "en" }: { currency?: CurrencyCode; locale?: "en" | "es" } = {},
) {
  const schema = addOnSchema(locale === "es" ? es : en, locale, currency, TIERS);
  const submission = parseWithZod(post(fields), { schema });
  if (submission.status === "success") return { ok: true as const, data: submission.value };
  const fieldErrors: Record<string, string | undefined> = {};
  for (const [name, messages] of Object.entries(submission.error ?? {})) fieldErrors[name] = messages?.[0];
  return { ok: false as const, fieldErrors };
}

const addOn = (overrides: Record<string, string | string[]> = {}) => ({
  title: "Spare filter",
  description: "A second filter\r\nfor the kettle",
  price: "12.50",
  quantityLimit: "",
  perBackerMax: "",
  shipping: "none",
  tiers: [SHIPS],
  ...overrides,
});

describe("the add-on form", () => {
  it("reads a shipped add-on with its surcharges, limits and rewards, in minor units", () => {
    expect(
      read(
        addOn({
          quantityLimit: "500",
          perBackerMax: "4",
          shipping: "ships",
          ship_US: "3",
          ship_ROW: "7.25",
          ship_GB: "",
          tiers: [SHIPS, SHIPS],
        }),
      ),
    ).toEqual({
      ok: true,
      data: {
        title: "Spare filter",
        description: "A second filter\nfor the kettle",
        price: 1250,
        quantityLimit: 500,
        perBackerMax: 4,
        ships: true,
        shippingRates: [
          { destination: "US", amount: 300 },
          { destination: "ROW", amount: 725 },
        ],
        tierIds: [SHIPS],
      },
    });
  });

  it.each(CURRENCY_CODES)("reads prices exactly in %s, never through floating point", (currency) => {
    const decimals = currency !== "jpy";
    const parsed = read(addOn({ price: decimals ? "19.99" : "1999" }), { currency });
    expect(parsed.ok && parsed.data.price).toBe(1999);
    const big = read(addOn({ price: decimals ? "9999999.99" : "9999999" }), { currency });
    expect(big.ok && big.data.price).toBe(decimals ? 999_999_999 : 9_999_999);
  });

  it("reads Spanish amounts, 12,50 and 1.250,50, and words its messages in Spanish", () => {
    const parsed = read(addOn({ price: "12,50", shipping: "ships", ship_EU: "1.250,50" }), {
      currency: "eur",
      locale: "es",
    });
    expect(parsed.ok && parsed.data).toMatchObject({
      price: 1250,
      shippingRates: [{ destination: "EU", amount: 125_050 }],
    });
    const refused = read(addOn({ title: "", price: "0" }), { locale: "es" });
    expect(!refused.ok && refused.fieldErrors).toMatchObject({
      title: "Ponle un título al complemento.",
      price: "El importe debe ser mayor que cero.",
    });
  });

  it.each([
    [addOn({ title: "" }), "title", /Give the add-on a title/],
    [addOn({ title: "x".repeat(81) }), "title", /under 80 characters/],
    [addOn({ description: "x".repeat(1001) }), "description", /under 1,000 characters/],
    [addOn({ price: "" }), "price", /Enter the price per unit/],
    [addOn({ price: "0" }), "price", /more than zero/],
    [addOn({ price: "-5" }), "price", /positive/],
    [addOn({ price: "12.345" }), "price", /at most 2 decimal places/],
    [addOn({ price: "twelve" }), "price", /as a number/],
    [addOn({ price: "12.5" }), "price", /no decimal places/, "jpy"],
    [addOn({ price: "20000000" }), "price", /at most/],
    [addOn({ quantityLimit: "0" }), "quantityLimit", /whole number from 1 to 1,000,000/],
    [addOn({ quantityLimit: "2.5" }), "quantityLimit", /whole number/],
    [addOn({ quantityLimit: "1000001" }), "quantityLimit", /whole number/],
    [addOn({ perBackerMax: "1001" }), "perBackerMax", /whole number from 1 to 1,000/],
    [addOn({ perBackerMax: "0" }), "perBackerMax", /whole number/],
    [addOn({ quantityLimit: "3", perBackerMax: "5" }), "perBackerMax", /more than the 3 units in stock/],
    [addOn({ shipping: "maybe" }), "shipping", /Choose whether this add-on ships/],
    [addOn({ shipping: "ships" }), "shipping", /at least one destination/],
    [addOn({ shipping: "ships", ship_US: "-3" }), "ship_US", /positive/],
    [addOn({ tiers: [] }), "tiers", /Choose at least one reward/],
    [addOn({ tiers: ["44444444-4444-4444-8444-444444444444"] }), "tiers", /not this campaign's/],
    [addOn({ tiers: [SHIPS, DIGITAL], shipping: "ships", ship_US: "3" }), "tiers", /but “Digital thanks” doesn't/],
    [
      addOn({ tiers: [DIGITAL, EBOOK], shipping: "ships", ship_US: "3" }),
      "tiers",
      /but “Digital thanks”, “E-book” don't/,
    ],
  ])("refuses %o at %s", (fields, field, message, currency = "usd") => {
    const parsed = read(fields, { currency: currency as CurrencyCode });
    expect(parsed.ok, JSON.stringify(parsed)).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors[field]).toMatch(message);
  });

  it("offers an add-on that does not ship with any reward, and ignores surcharges it was given", () => {
    const parsed = read(addOn({ tiers: [DIGITAL, SHIPS], ship_US: "3" }));
    expect(parsed.ok && parsed.data).toMatchObject({ ships: false, shippingRates: [], tierIds: [DIGITAL, SHIPS] });
  });

  it("accepts a per-backer maximum equal to the limit, and either one alone", () => {
    expect(read(addOn({ quantityLimit: "5", perBackerMax: "5" })).ok).toBe(true);
    expect(read(addOn({ perBackerMax: "1000" })).ok).toBe(true);
    expect(read(addOn({ quantityLimit: "1000000" })).ok).toBe(true);
  });

  it("gives the form back its values for editing, with the reader's decimal mark", () => {
    const row = {
      title: "Spare filter",
      description: "",
      price: 1250,
      quantity_limit: 100,
      per_backer_max: null,
      ships: true,
      shippingRates: [{ destination: "EU", amount: 350 }],
      tierIds: [SHIPS],
    };
    expect(addOnFormValues(row, "eur", "es")).toEqual({
      title: "Spare filter",
      description: "",
      price: "12,50",
      quantityLimit: "100",
      perBackerMax: "",
      shipping: "ships",
      tiers: [SHIPS],
      ship_EU: "3,50",
    });
    expect(addOnFormValues({ ...row, price: 1500, shippingRates: [] }, "jpy", "en")).toMatchObject({ price: "1500" });
    // What the form shows reads back as the same amount.
    const values = addOnFormValues(row, "eur", "es") as Record<string, string | string[]>;
    const parsed = read(values, { currency: "eur", locale: "es" });
    expect(parsed.ok && parsed.data).toMatchObject({
      price: 1250,
      shippingRates: [{ destination: "EU", amount: 350 }],
    });
  });
});

describe("after backers chose it", () => {
  it("refuses a limit under the units claimed, and allows one at or above it, or none", () => {
    const change = (quantityLimit: number | null) =>
      addOnChangeProblems({ campaignState: "live", claimedCount: 12, next: { quantityLimit }, t: en });
    expect(change(11).quantityLimit).toBe("12 units are already claimed, so the limit can't be lower than 12.");
    expect(change(12)).toEqual({});
    expect(change(null)).toEqual({});
    expect(
      addOnChangeProblems({ campaignState: "live", claimedCount: 1, next: { quantityLimit: 0 }, t: es }).quantityLimit,
    ).toBe("Ya hay 1 unidad reservada, así que el límite no puede ser menor que 1.");
  });

  it("refuses every change once the campaign has ended", () => {
    for (const campaignState of ["settling", "funded", "unfunded", "cancelled"] as const)
      expect(addOnChangeProblems({ campaignState, claimedCount: 0, next: { quantityLimit: null }, t: en })).toEqual({
        form: "This campaign has ended, so its add-ons can no longer change.",
      });
  });

  it("hides an add-on on a pledge instead of deleting it, and deletes one nobody chose", () => {
    expect(addOnDeletionProblem({ campaignState: "live", lineCount: 1, t: en })).toMatch(/Hide it instead/);
    expect(addOnDeletionProblem({ campaignState: "draft", lineCount: 0, t: en })).toBeNull();
    expect(addOnDeletionProblem({ campaignState: "live", lineCount: 0, t: en })).toBeNull();
    expect(addOnDeletionProblem({ campaignState: "funded", lineCount: 0, t: en })).toMatch(/has ended/);
    expect(addOnDeletionProblem({ campaignState: "live", lineCount: 2, t: es })).toMatch(/Ocúltalo/);
  });
});
