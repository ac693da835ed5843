import path from "node:path";
import Database from "better-sqlite3";
import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_API_KEYS } from "../lib/server/seed/demo-accounts";
import { serveArgs } from "../scripts/serve-command";

export { DEMO_ACCOUNTS };

export function demoAccount(email: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.email === email);
  if (!account) throw new Error(`No demo account ${email}`);
  return account;
}

export async function signIn(page: Page, email: string, password = demoAccount(email).password) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Read-only look into the e2e database, for ids the UI does not show. */
export function queryE2eDatabase<T>(sql: string, ...params: unknown[]): T[] {
  const file = path.join(process.env.E2E_DATA_DIR!, "e2e.db");
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export async function expectOnPath(page: Page, pathname: string) {
  await expect.poll(() => new URL(page.url()).pathname).toBe(pathname);
}

/** axe on the page as it is now: no serious or critical violation (WCAG 2.x A/AA rules). */
export async function expectNoSeriousA11yViolations(page: Page, label: string) {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
  expect(serious, `axe on ${label}`).toEqual([]);
}

export function demoApiKey(orgName: string): string {
  const key = DEMO_API_KEYS.find((k) => k.orgName === orgName);
  if (!key) throw new Error(`No demo API key for ${orgName}`);
  return key.plaintext;
}

export type SecondInstance = { baseURL: string; stop: () => Promise<void> };

/**
 * A second app instance on the same build and the same database as the one Playwright started (the
 * way a deployment runs several): `next start` on a free port with the first one's secrets. For
 * checks that a change made through one instance takes effect on the next request to the other.
 */
export async function startSecondInstance(): Promise<SecondInstance> {
  const { spawn } = await import("node:child_process");
  const { readFileSync } = await import("node:fs");
  const net = await import("node:net");
  const dataDir = process.env.E2E_DATA_DIR!;
  const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { authSecret: string; encryptionKey: string };
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, serveArgs(process.cwd()), {
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dataDir, "e2e.db")}`,
      NEXTAUTH_SECRET: secrets.authSecret,
      ENCRYPTION_KEY: secrets.encryptionKey,
      NEXTAUTH_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      // The first instance runs the background jobs; this one only serves.
      BLOCKABLE_BACKGROUND_JOBS: "off",
    },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The second instance exited with ${child.exitCode}`);
    const isUp = await fetch(`${baseURL}/login`).then((r) => r.ok, () => false);
    if (isUp) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error("The second instance did not answer within 60 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseURL,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
