import js from "@eslint/js";
import tseslint from "typescript-eslint";

const COMPONENTS_MESSAGE =
  "components only render: server code (database, secrets, services) stays in lib/server and reaches a component as props or through a server action passed from app/. Type-only imports are fine.";

const DOMAIN_LAYER_MESSAGE =
  "lib/domain is the pure rule layer: no framework, database or server code (see ARCHITECTURE.md). Take what you need (now, config, random sources, loaded rows) as arguments, and let lib/server do the I/O.";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "lib/server/db/generated/**",
      "test-results/**",
      "playwright-report/**",
      ".ci/out/**",
      "next-env.d.ts",
      // Build outputs and vendored scripts; our own code is TypeScript (or .mjs, linted below).
      "**/*.js",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.mjs", "scripts/**/*.ts"],
    languageOptions: { globals: { process: "readonly", URL: "readonly", console: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" }],
      "no-empty-pattern": "off",
    },
  },
  {
    files: ["lib/domain/**/*.ts", "lib/domain/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["next", "react", "react-dom", "server-only"].map((name) => ({ name, message: DOMAIN_LAYER_MESSAGE })),
          patterns: [
            { group: ["next/*", "react/*", "react-dom/*", "@prisma/*"], message: DOMAIN_LAYER_MESSAGE },
            { group: ["@/lib/server", "@/lib/server/*", "**/lib/server", "**/lib/server/**"], message: DOMAIN_LAYER_MESSAGE },
            // Relative escapes from lib/domain/** into lib/server ("../server/x", "../../server/x").
            { regex: "^(\\.\\./)+server(/|$)", message: DOMAIN_LAYER_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    // Every client component lives in components/; this is the build-time half of lib/server's
    // server-only guard (lib/server/server-only.ts).
    files: ["components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "server-only", message: COMPONENTS_MESSAGE }],
          patterns: [{ group: ["@/lib/server", "@/lib/server/*", "**/lib/server", "**/lib/server/**"], message: COMPONENTS_MESSAGE, allowTypeImports: true }],
        },
      ],
    },
  },
);
