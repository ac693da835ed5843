import js from "@eslint/js";
import tseslint from "typescript-eslint";

const DOMAIN_LAYER_MESSAGE =
  "lib/domain is the pure rule layer: no framework, database or server code (see ARCHITECTURE.md). Pass what you need in as arguments.";

export default tseslint.config(
  {
    ignores: ["node_modules/**", ".next/**", "lib/server/db/generated/**", "test-results/**", "playwright-report/**", ".ci/out/**", "next-env.d.ts", "**/*.js", "**/*.cjs"],
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
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
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
            { group: ["@/lib/server", "@/lib/server/*", "**/lib/server/**", "**/server/db/**"], message: DOMAIN_LAYER_MESSAGE },
          ],
        },
      ],
    },
  },
);
