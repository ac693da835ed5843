import path from "node:path";
import Database from "better-sqlite3";
import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_API_KEYS } from "../lib/server/seed/demo-accounts";

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
