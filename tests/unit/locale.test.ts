import fs from "node:fs";
import path from "node:path";
import { fromAcceptLanguage, resolveLocale, toLocale } from "~/domain/locale";
import { CATALOGUES, translatorFor } from "~/i18n";

const root = path.resolve(import.meta.dirname, "../..");

describe("the request's language", () => {
  it("prefers the signed-in user's choice, then the cookie, then Accept-Language, then English", () => {
    const all = { preference: "es", cookie: "en", acceptLanguage: "en-US" };
    expect(resolveLocale(all)).toBe("es");
    expect(resolveLocale({ ...all, preference: null })).toBe("en");
    expect(resolveLocale({ preference: null, cookie: "es", acceptLanguage: "en" })).toBe("es");
    expect(resolveLocale({ acceptLanguage: "es-MX,es;q=0.9" })).toBe("es");
    expect(resolveLocale({})).toBe("en");
  });

  it("lets the URL's ?lang= win over everything else, and ignores one it does not speak", () => {
    const all = { preference: "en", cookie: "en", acceptLanguage: "en-US" };
    expect(resolveLocale({ ...all, param: "es" })).toBe("es");
    expect(resolveLocale({ preference: "es", cookie: "es", acceptLanguage: "es", param: "en" })).toBe("en");
    expect(resolveLocale({ param: "es" })).toBe("es");
    for (const param of ["fr", "", "ES", "es-ES", "es;drop", null, undefined])
      expect(resolveLocale({ param, preference: null, cookie: "es" }), String(param)).toBe("es");
    expect(resolveLocale({ param: "xx", preference: "en", cookie: "es" })).toBe("en");
  });

  it("falls back quietly past anything it does not speak", () => {
    expect(resolveLocale({ preference: "fr", cookie: "xx", acceptLanguage: "de-DE" })).toBe("en");
    expect(resolveLocale({ preference: "<script>", cookie: "es" })).toBe("es");
    expect(resolveLocale({ cookie: "ES-es", acceptLanguage: "es" })).toBe("es");
    expect(resolveLocale({ acceptLanguage: ";;;,q=,*" })).toBe("en");
  });

  it("honours q-values and regional tags in Accept-Language", () => {
    expect(fromAcceptLanguage("fr-FR, es-MX;q=0.8, en;q=0.5")).toBe("es");
    expect(fromAcceptLanguage("en;q=0.4, es;q=0.9")).toBe("es");
    expect(fromAcceptLanguage("es;q=0, en;q=0.1")).toBe("en");
    expect(fromAcceptLanguage("pt-BR, de")).toBeUndefined();
    expect(fromAcceptLanguage("es;q=abc, en")).toBe("en");
    expect(toLocale("es_AR")).toBe("es");
  });
});

/** Every key of a catalogue, as "ns:path.to.key". */
function keysOf(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const name = prefix ? (prefix.endsWith(":") ? `${prefix}${key}` : `${prefix}.${key}`) : `${key}:`;
    return typeof value === "string" ? [name] : keysOf(value as object, name);
  });
}

describe("the catalogues", () => {
  it("have the same keys in every language", () => {
    const english = keysOf(CATALOGUES.en).sort();
    for (const [locale, catalogue] of Object.entries(CATALOGUES))
      expect(keysOf(catalogue).sort(), `${locale} differs from en`).toEqual(english);
  });

  it("hold every key the app asks for", () => {
    const files = fs.readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" });
    const used = new Set<string>();
    for (const file of files.filter((f) => /\.tsx?$/.test(f))) {
      const source = fs.readFileSync(path.join(root, "app", file), "utf8");
      for (const match of source.matchAll(/\bt\(\s*"([^"]+)"/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    const t = translatorFor("en");
    const es = translatorFor("es");
    for (const key of used) {
      const name = key.includes(":") ? key : `common:${key}`;
      // A plural key is asked for without its suffix.
      const exists = (k: string) => keysOf(CATALOGUES.en).includes(k);
      expect(exists(name) || exists(`${name}_other`), `${key} is not in the catalogue`).toBe(true);
      expect(es(key, { count: 2 }), `${key} has no Spanish`).not.toBe(key);
      expect(t(key, { count: 2 })).not.toBe(key);
    }
  });

  it("pluralise and interpolate by language", () => {
    const es = translatorFor("es");
    const en = translatorFor("en");
    expect(es("backers", { count: 1 })).toBe("1 patrocinador");
    expect(es("backers", { count: 36 })).toBe("36 patrocinadores");
    expect(en("backers", { count: 1 })).toBe("1 backer");
    expect(en("backers", { count: 0 })).toBe("0 backers");
    expect(es("auth:refusal.wait", { count: 1 })).toBe("un minuto");
    expect(en("auth:refusal.wait", { count: 15 })).toBe("15 minutes");
    expect(es("auth:validation.passwordTooShort", { min: 10 })).toBe("Usa al menos 10 caracteres.");
  });
});

describe("amounts typed in the reader's language", () => {
  it("reads Spanish decimal commas and grouping dots, and English commas as grouping", async () => {
    const { parseAmount } = await import("~/domain/money");
    expect(parseAmount("25,50", "eur", { locale: "es" })).toEqual({ ok: true, amount: 2550 });
    expect(parseAmount("1.250,50 €", "eur", { locale: "es" })).toEqual({ ok: true, amount: 125050 });
    expect(parseAmount("1.250", "eur", { locale: "es" })).toEqual({ ok: true, amount: 125000 });
    expect(parseAmount("25.50", "eur", { locale: "es" })).toEqual({ ok: true, amount: 2550 });
    expect(parseAmount("1,250.50", "usd")).toEqual({ ok: true, amount: 125050 });
    expect(parseAmount("12,5", "jpy", { locale: "es", t: translatorFor("es") })).toEqual({
      ok: false,
      message: "JPY no tiene decimales; escribe un número entero.",
    });
    expect(parseAmount("", "eur", { t: translatorFor("es") })).toEqual({ ok: false, message: "Introduce un importe." });
  });
});

describe("the reasons the system writes into a pledge's history", () => {
  it("read in Spanish on a Spanish page, as stored in English, and a person's own words untouched", async () => {
    const { historyReason, SYSTEM_REASONS } = await import("~/domain/backer-pledges");
    const es = translatorFor("es");
    const en = translatorFor("en");
    expect(historyReason(es, "Card saved through Stripe Checkout")).toBe(
      "Tarjeta guardada en la página de pago de Stripe",
    );
    expect(historyReason(es, "Retrying the charge (attempt 3)")).toBe("Reintentando el cobro (intento 3)");
    expect(historyReason(es, "Duplicate charge, agreed with the backer")).toBe(
      "Duplicate charge, agreed with the backer",
    );
    // Each reason is still written by the code that records it, and reads back unchanged in English.
    const services = fs
      .readdirSync(path.join(root, "app/services"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => fs.readFileSync(path.join(root, "app/services", f), "utf8"))
      .join("\n");
    for (const stored of Object.keys(SYSTEM_REASONS)) {
      expect(services, `${stored} is no longer written anywhere`).toContain(`"${stored}"`);
      expect(historyReason(en, stored)).toBe(stored);
      expect(historyReason(es, stored)).not.toBe(stored);
    }
  });
});
