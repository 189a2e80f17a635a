import { formatMoney, formatNumber, parseAmount, percentOf, toInputValue } from "~/domain/money";

/** Intl separates amount and symbol with a no-break space; tests write a plain one. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money", () => {
  it("formats minor units in the currency, zero-decimal JPY included", () => {
    expect(formatMoney(125_050, "usd")).toBe("$1,250.50");
    expect(formatMoney(1_250, "eur")).toBe("€12.50");
    expect(formatMoney(150_000, "jpy")).toBe("¥150,000");
    expect(formatMoney(14_000_000, "usd")).toBe("$140,000");
    expect(formatMoney(1_800_00, "gbp", { compact: true })).toBe("£1.8K");
    // The cached formatter for one shape does not leak into another.
    expect(formatMoney(1_250, "usd")).toBe("$12.50");
  });

  it("formats by the reader's language: English as in the US, Spanish as in Spain", () => {
    expect(formatMoney(123_456, "eur", { locale: "en" })).toBe("€1,234.56");
    expect(plain(formatMoney(123_456, "eur", { locale: "es" }))).toBe("1.234,56 €");
    expect(plain(formatMoney(123_456, "usd", { locale: "es" }))).toBe("1.234,56 US$");
    expect(formatMoney(123_456, "gbp", { locale: "en" })).toBe("£1,234.56");
    expect(plain(formatMoney(123_456, "gbp", { locale: "es" }))).toBe("1.234,56 GBP");
    expect(formatMoney(150_000, "jpy", { locale: "en" })).toBe("¥150,000");
    expect(plain(formatMoney(150_000, "jpy", { locale: "es" }))).toBe("150.000 JPY");
    expect(plain(formatMoney(1_800_00, "eur", { compact: true, locale: "es" }))).toBe("1,8 mil €");
    // A cached Spanish formatter does not leak into the English default.
    expect(formatMoney(1_250, "eur")).toBe("€12.50");
    expect(formatNumber(12_345, "es")).toBe("12.345");
    expect(formatNumber(12_345.5)).toBe("12,345.5");
  });

  it("reads typed amounts exactly, never through floating point", () => {
    expect(parseAmount("1,250.50", "usd")).toEqual({ ok: true, amount: 125_050 });
    expect(parseAmount("0.29", "usd")).toEqual({ ok: true, amount: 29 });
    expect(parseAmount("¥5000", "jpy")).toEqual({ ok: true, amount: 5_000 });
    expect(parseAmount("12.5", "jpy")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no decimal places/),
    });
    expect(parseAmount("12.555", "usd")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at most 2 decimal/),
    });
    expect(parseAmount("-5", "usd")).toMatchObject({ ok: false, message: "The amount must be positive." });
    expect(parseAmount("0", "usd")).toMatchObject({ ok: false, message: "The amount must be more than zero." });
    expect(parseAmount("1e3", "usd").ok).toBe(false);
    expect(parseAmount("99999999999", "usd")).toMatchObject({ ok: false, message: expect.stringMatching(/at most/) });
  });

  it("shows amounts in form fields and takes basis-point shares rounded half up", () => {
    expect(toInputValue(125_000, "usd")).toBe("1250.00");
    expect(toInputValue(5_000, "jpy")).toBe("5000");
    expect(percentOf(1_999, 500)).toBe(100);
    expect(percentOf(10, 500)).toBe(1);
    expect(percentOf(9, 500)).toBe(0);
  });
});
