import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["**/*.db.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // Each file creates its own databases; files run one at a time to keep 2 cores honest.
          fileParallelism: false,
          // Webhook tests deliver to receivers on 127.0.0.1; the tests of the refusal opt out.
          env: { BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS: "1" },
        },
      },
    ],
  },
});
