import fs from "node:fs";
import path from "node:path";
import { REPORT_REASONS, SUBJECT_ACTIONS } from "~/domain/moderation";
import { CATALOGUES, translatorFor } from "~/i18n";

// The moderation code asks for some keys by template (`desk.action.${action}`), which the
// catalogue test in locale.test.ts cannot see; this names every one of them, and every literal
// key in a template string, and checks both languages have it.

const root = path.resolve(import.meta.dirname, "../..");

function leaf(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

function has(locale: "en" | "es", key: string) {
  const [ns, rest] = key.split(":") as [keyof (typeof CATALOGUES)["en"], string];
  const tree = CATALOGUES[locale][ns];
  return typeof leaf(tree, rest) === "string" || typeof leaf(tree, `${rest}_other`) === "string";
}

const dynamicKeys = [
  ...SUBJECT_ACTIONS.map((a) => `moderation:desk.action.${a}`),
  ...SUBJECT_ACTIONS.map((a) => `moderation:desk.done.${a}`),
  ...["hidden", "deleted"].map((s) => `moderation:desk.state.${s}`),
  ...REPORT_REASONS.map((r) => `moderation:reason.${r}`),
  ...["approve", "changes"].flatMap((i) => [`moderation:reviews.${i}.title`, `moderation:reviews.${i}.button`]),
  ...["approve", "changes"].map((i) => `moderation:reviews.done.${i}`),
  ...["suspend", "lift"].map((i) => `moderation:user.done.${i}`),
];

describe("the moderation catalogue", () => {
  it("has every key asked for by template, in English and Spanish", () => {
    for (const key of dynamicKeys) {
      expect(has("en", key), `${key} (en)`).toBe(true);
      expect(has("es", key), `${key} (es)`).toBe(true);
    }
  });

  it("has every moderation key the app names, however it is quoted", () => {
    const files = fs.readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" });
    const used = new Set<string>();
    for (const file of files.filter((f) => /\.tsx?$/.test(f) && !f.startsWith("locales"))) {
      const source = fs.readFileSync(path.join(root, "app", file), "utf8");
      for (const match of source.matchAll(/["`](moderation:[A-Za-z0-9_.]+)["`]/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(60);
    for (const key of used) {
      expect(has("en", key), `${key} (en)`).toBe(true);
      expect(has("es", key), `${key} (es)`).toBe(true);
    }
  });

  it("pluralises and interpolates in both languages", () => {
    const en = translatorFor("en");
    const es = translatorFor("es");
    expect(en("moderation:desk.reportCount", { count: 1 })).toBe("1 report");
    expect(en("moderation:desk.reportCount", { count: 3 })).toBe("3 reports");
    expect(es("moderation:desk.reportCount", { count: 1 })).toBe("1 denuncia");
    expect(es("moderation:reviews.days", { count: 30 })).toBe("30 días desde el lanzamiento");
    expect(es("moderation:email.changes.subject", { campaign: "Tetera" })).toBe(
      "Hay que hacer cambios antes de lanzar «Tetera»",
    );
  });
});
