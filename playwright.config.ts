import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// One free port and one fresh demo database per run, shared with the workers through the
// environment (workers re-evaluate this file but inherit the variables set here).
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, ["-e", "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"]).toString();
}
if (!process.env.E2E_DATA_DIR) process.env.E2E_DATA_DIR = mkdtempSync(path.join(tmpdir(), "blockable-e2e-"));

const port = process.env.E2E_PORT;
const dataDir = process.env.E2E_DATA_DIR;
export const e2eDatabaseFile = path.join(dataDir, "e2e.db");

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `node_modules/.bin/tsx --conditions=react-server scripts/start.ts`,
    url: `http://127.0.0.1:${port}/login`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: port,
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dataDir, "e2e.db")}`,
      BLOCKABLE_SECRETS_FILE: path.join(dataDir, "secrets.json"),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      BLOCKABLE_SEED_SCALE: process.env.BLOCKABLE_SEED_SCALE ?? "0.1",
      // The desk test sends a webhook to a receiver on 127.0.0.1 (refused by default: SSRF).
      BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS: "1",
    },
  },
});
