import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";

// The layering the README describes, held by ESLint: these probes are what a reviewer would try.
const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === "import-x/no-restricted-paths").map((m) => m.message);
}

describe("words come from the catalogues", () => {
  async function literalStrings(source: string) {
    const [result] = await eslint.lintText(source, { filePath: path.join(root, "app/components/probe.tsx") });
    return result!.messages.filter((m) => m.ruleId === "i18next/no-literal-string").map((m) => m.message);
  }

  it("refuses English left in JSX text, in an expression and in the attributes that speak", async () => {
    const errors = await literalStrings(
      'export const Probe = ({ on }: { on: boolean }) => (\n  <p title="Hello">\n    Back this project <b>{on ? "Yes" : "No"}</b>\n    <img alt="A lamp" src="/x.png" />\n  </p>\n);\n',
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('title="Hello"'),
        expect.stringContaining("Back this project"),
        expect.stringContaining('on ? "Yes" : "No"'),
        expect.stringContaining('alt="A lamp"'),
      ]),
    );
  });

  it("lets through catalogue keys, symbols, numbers, paths and names in code", async () => {
    const errors = await literalStrings(
      'import { useTranslation } from "react-i18next";\nexport function P() {\n  const { t } = useTranslation();\n  return (\n    <p className="muted" id="x">\n      {t("common:nav.discover")} · 12 € <a href="/discover">Colecta</a> <input type="text" name="q" />\n    </p>\n  );\n}\n',
    );
    expect(errors).toEqual([]);
  });
});

describe("import boundaries", () => {
  it("refuses a domain rule that imports a model", async () => {
    const errors = await boundaryErrors(
      "app/domain/probe.ts",
      'import { getUserById } from "../models/user.server";\nexport const probe = getUserById;\n',
    );
    expect(errors).toEqual([expect.stringContaining("app/domain holds pure rules")]);
  });

  it("refuses a model that imports a service, and a component that imports a model", async () => {
    expect(
      await boundaryErrors(
        "app/models/probe.server.ts",
        'import { signUp } from "../services/accounts/accounts.server";\nexport const probe = signUp;\n',
      ),
    ).toEqual([expect.stringContaining("app/models are queries")]);
    expect(
      await boundaryErrors(
        "app/components/probe.tsx",
        'import { getUserById } from "~/models/user.server";\nexport const probe = getUserById;\n',
      ),
    ).toEqual([expect.stringContaining("app/components draw the UI")]);
  });

  it("keeps the Stripe emulator self-contained", async () => {
    const errors = await boundaryErrors(
      "scripts/stripe-emulator/probe.ts",
      'import { formatMoney } from "../../app/domain/money";\nexport const probe = formatMoney;\n',
    );
    expect(errors).toEqual([expect.stringContaining("The Stripe emulator is self-contained")]);
  });

  it("lets a route call a service and a service call a model", async () => {
    expect(
      await boundaryErrors(
        "app/routes/probe.tsx",
        'import { signUp } from "~/services/accounts/accounts.server";\nexport const probe = signUp;\n',
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "app/services/probe.server.ts",
        'import { getUserById } from "../models/user.server";\nexport const probe = getUserById;\n',
      ),
    ).toEqual([]);
  });
});

describe("the README's architecture section", () => {
  it("names only folders and files that exist, and every folder under app/", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const block = readme.split("## Architecture")[1]!.split("```")[1]!;
    const named: string[] = [];
    const parents: string[] = [];
    for (const line of block.split("\n")) {
      const match = /^( *)(\S+)/.exec(line);
      // Deeply indented lines continue the description on the line above.
      if (!match || match[1]!.length >= 8) continue;
      const depth = match[1]!.length / 2;
      parents.length = depth;
      const entry = path.join(...parents, match[2]!).replace(/\/$/, "");
      parents[depth] = match[2]!.replace(/\/$/, "");
      named.push(entry);
    }
    for (const entry of named)
      expect(fs.existsSync(path.join(root, entry)), `${entry} is named but missing`).toBe(true);
    const appFolders = fs
      .readdirSync(path.join(root, "app"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `app/${d.name}`);
    for (const folder of appFolders) expect(named, `${folder} exists but is not described`).toContain(folder);
  });
});
