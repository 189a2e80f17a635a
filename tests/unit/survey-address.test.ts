import {
  countryMatchesDestination,
  countryName,
  countryOptions,
  countryRules,
  postalCodeValid,
  validateAddress,
} from "~/domain/address";
import { translatorFor } from "~/i18n";

// Shipping addresses by destination country: which fields each needs, postal code formats, and
// that the country is inside the destination the backer paid shipping for.

const t = translatorFor("en");
const check = (input: Record<string, string>, destination: string | null = null) =>
  validateAddress(input, { destination, t, locale: "en" });

const base = { fullName: "Ada Lovelace", line1: "1 Main Street", city: "Springfield" };

describe("postal codes by country", () => {
  it.each([
    ["US", "94105", true],
    ["US", "94105-1234", true],
    ["US", "9410", false],
    ["US", "ABCDE", false],
    ["CA", "K1A 0B1", true],
    ["CA", "k1a0b1", true],
    ["CA", "D1A 0B1", false],
    ["GB", "SW1A 1AA", true],
    ["GB", "M1 1AE", true],
    ["GB", "12345", false],
    ["JP", "100-0001", true],
    ["JP", "1000001", true],
    ["JP", "100-001", false],
    ["AU", "2000", true],
    ["AU", "20000", false],
    ["DE", "10115", true],
    ["DE", "1011", false],
    ["ES", "28013", true],
    ["ES", "53001", false],
    ["NL", "1012 AB", true],
    ["NL", "1012", false],
    ["PL", "00-950", true],
    ["PL", "00950", false],
    ["PT", "1000-001", true],
    ["IE", "D02 X285", true],
    ["IE", "12345", false],
    ["FR", "75001", true],
    ["SE", "114 55", true],
    ["BR", "01310-100", true],
    ["BR", "!", false],
  ])("%s %s -> %s", (country, code, ok) => {
    expect(postalCodeValid(country, code)).toBe(ok);
  });
});

describe("the fields each country needs", () => {
  it("asks a state of the US, Canada and Australia and none elsewhere", () => {
    expect(countryRules("US").regionRequired).toBe(true);
    expect(countryRules("CA").regionRequired).toBe(true);
    expect(countryRules("AU").regionRequired).toBe(true);
    expect(countryRules("DE").regionRequired).toBe(false);
  });

  it("refuses a US address without a state, with a bad ZIP code, each at its field", () => {
    const result = check({ ...base, country: "US", postalCode: "941" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.region).toBe("Choose the state.");
    expect(result.errors.postalCode).toBe("This is not a ZIP code of United States: they look like 94105.");
  });

  it("accepts a state by name and stores its code", () => {
    const result = check({ ...base, country: "US", region: "texas", postalCode: "73301" });
    expect(result).toMatchObject({ ok: true, address: { region: "TX", country: "US", postalCode: "73301" } });
  });

  it("refuses a province that is not Canadian", () => {
    const result = check({ ...base, country: "CA", region: "TX", postalCode: "K1A 0B1" });
    expect(!result.ok && result.errors.region).toContain("a province of Canada");
  });

  it("requires the postal code where countries have one, and not where they do not", () => {
    const de = check({ ...base, country: "DE" });
    expect(!de.ok && de.errors.postalCode).toBe("Enter the postal code.");
    expect(check({ ...base, country: "HK" }).ok).toBe(true);
    expect(check({ ...base, country: "IE" }).ok).toBe(true);
  });

  it("lists the missing name, street and city, and an unknown country", () => {
    const result = check({ country: "ZZ" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["city", "country", "fullName", "line1"]);
    expect(result.errors.country).toBe("Choose a country from the list.");
  });

  it("takes a phone loosely and refuses one that is not a number", () => {
    expect(check({ ...base, country: "GB", postalCode: "SW1A 1AA", phone: "+44 (20) 7946-0958" }).ok).toBe(true);
    const bad = check({ ...base, country: "GB", postalCode: "SW1A 1AA", phone: "call me" });
    expect(!bad.ok && bad.errors.phone).toMatch(/phone number/);
  });

  it("names countries in the reader's language", () => {
    expect(countryName("DE", "es")).toBe("Alemania");
    expect(countryOptions("en").length).toBeGreaterThan(240);
  });
});

describe("the country must be inside the destination paid for", () => {
  it.each([
    ["US", "US", true],
    ["CA", "US", false],
    ["DE", "EU", true],
    ["GB", "EU", false],
    ["BR", "ROW", true],
    ["FR", "ROW", false],
    ["JP", "ROW", false],
    ["JP", "JP", true],
    ["NZ", "AU", false],
  ])("%s in %s -> %s", (country, destination, ok) => {
    expect(countryMatchesDestination(country, destination)).toBe(ok);
  });

  it("explains the difference and how to change it at the country field", () => {
    const result = check({ ...base, country: "CA", region: "ON", postalCode: "K1A 0B1" }, "US");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.country).toBe(
      "You paid shipping to United States, which does not include Canada. To ship to Canada, change your pledge's destination on your pledge page before the campaign's deadline (the shipping price may change), or message the creator.",
    );
    const es = validateAddress(
      { ...base, country: "FR", postalCode: "75001" },
      { destination: "ROW", t: translatorFor("es"), locale: "es" },
    );
    expect(!es.ok && es.errors.country).toContain("no incluye Francia");
  });
});
