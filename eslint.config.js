// Lint rules for the whole tree. Besides correctness rules, it holds the architecture's arrows:
// domain <- models <- services <- routes, components see only domain, the Stripe emulator is
// self-contained, and browser code never imports a `*.server` module (the classic compiler would
// silently replace it with an empty module).
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import prettier from "eslint-config-prettier";
import importX from "eslint-plugin-import-x";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import i18next from "eslint-plugin-i18next";
import globals from "globals";
import tseslint from "typescript-eslint";

const layer = (target, from, message) => ({ target, from, message });

/** One entry per arrow of the architecture that must not be crossed. */
const boundaries = [
  layer(
    "./app/domain",
    [
      "./app/models",
      "./app/services",
      "./app/web",
      "./app/routes",
      "./app/components",
      "./app/db.server.ts",
      "./app/config.server.ts",
      "./db/connect.ts",
      "./db/migrate.ts",
      "./db/pglite-dialect.ts",
    ],
    "app/domain holds pure rules: it imports no models, services, web, routes, components or runtime database code.",
  ),
  layer(
    "./app/models",
    ["./app/services", "./app/web", "./app/routes", "./app/components"],
    "app/models are queries and state tables: they import no services, web, routes or components.",
  ),
  layer(
    "./app/services",
    ["./app/routes", "./app/components"],
    "app/services are called by routes; they import no routes or components.",
  ),
  layer(
    "./app/components",
    [
      "./app/models",
      "./app/services",
      "./app/routes",
      "./app/db.server.ts",
      "./app/config.server.ts",
      "./db/connect.ts",
      "./db/migrate.ts",
      "./db/pglite-dialect.ts",
      "./db/transaction.ts",
    ],
    "app/components draw the UI: they import domain rules, never models, services, routes or the database.",
  ),
  layer(
    "./scripts/stripe-emulator",
    ["./app", "./db"],
    "The Stripe emulator is self-contained: it imports nothing from app/ or db/.",
  ),
];

export default tseslint.config(
  {
    ignores: ["build/", "public/build/", ".data/", ".data-test/", ".cache/", "node_modules/", "test-results/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: boundaries }],
      "import-x/no-duplicates": "error",
      "import-x/no-cycle": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": "off",
    },
  },
  { files: ["app/**/*.tsx"], ...react.configs.flat.recommended, settings: { react: { version: "18.3" } } },
  { files: ["app/**/*.tsx"], ...react.configs.flat["jsx-runtime"] },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      // Lists styled without bullets keep role="list": Safari's VoiceOver drops the semantics otherwise.
      "jsx-a11y/no-redundant-roles": ["error", { ul: ["list"], ol: ["list"] }],
      // Apostrophes in text are fine in React; only characters that look like markup are refused.
      "react/no-unescaped-entities": ["error", { forbid: [">", "}"] }],
      "jsx-a11y/label-has-associated-control": ["error", { assert: "either", depth: 4 }],
    },
  },
  {
    // Code that ships to the browser: components, domain rules, route modules.
    files: ["app/components/**", "app/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ regex: "\\.server(\\.[jt]sx?)?$", message: "Browser code must not import a *.server module." }],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time and typed against `Kysely<any>`, never the current schema.
    files: ["db/migrations/**", "db/migrate.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Words a reader sees come from the catalogues (app/locales), in the reader's language: no
    // literal text in JSX, nor in the attributes that speak (labels, titles, alt text, hints).
    files: ["app/root.tsx", "app/routes/**/*.tsx", "app/components/**/*.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            include: [
              "^aria-label$",
              "^title$",
              "^alt$",
              "^placeholder$",
              "^label$",
              "^hint$",
              "^description$",
              "^legend$",
            ],
          },
          // Symbols, numbers, URL paths and the brand's name are the same in every language.
          words: { exclude: [/^[\p{P}\p{S}\p{N}\s]+$/u, /^\/[\w/-]*$/, /^Colecta$/] },
          // Arguments that are names in code, not words: catalogue keys, field types, query flags.
          callees: {
            exclude: [
              "i18n(ext)?",
              "t",
              "require",
              "includes",
              "startsWith",
              "endsWith",
              "has",
              "getInputProps",
              "sortLabel",
            ],
          },
        },
      ],
    },
  },
  prettier,
);
