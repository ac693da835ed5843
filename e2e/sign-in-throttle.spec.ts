import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, signIn, startSecondInstance } from "./support";

// Sign-in throttling in the built app: 10 failures per account in 15 minutes, then a refusal that
// says how long to wait, the same for an email nobody has; counted in the database every instance
// shares. Only emails nobody has are used here, so no demo account is ever throttled. Every attempt
// comes from 127.0.0.1, which counts 20 failures towards its 100 per 15 minutes: the other specs'
// sign-ins (successes never count) stay well clear of that.

const TOO_MANY = /^Too many sign-in attempts\. Try again in (\d+) minutes?\.$/;

const nobody = () => `nobody-${randomUUID()}@example.com`;

const WINDOW_MS = 15 * 60_000;

/**
 * Failures are counted in fixed 15-minute windows (the previous one weighted by how much of it is
 * still within the last 15 minutes), so 10 failures that straddle a window's edge read as a little
 * under 10. Server and test share the machine's clock: start well inside a window.
 */
async function awayFromAWindowEdge() {
  const leftMs = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (leftMs < 60_000) await new Promise((resolve) => setTimeout(resolve, leftMs + 1_000));
}

/** One attempt through the login form at `origin`; answers the form's alert once next-auth has replied. */
async function attempt(page: Page, origin: string, email: string, password: string): Promise<string> {
  if (!page.url().startsWith(`${origin}/login`)) await page.goto(`${origin}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const replied = page.waitForResponse((response) => response.url().startsWith(`${origin}/api/auth/callback/credentials`));
  await page.getByRole("button", { name: "Sign in" }).click();
  await replied;
  const alert = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  await expect(alert).toBeVisible();
  return (await alert.textContent()) ?? "";
}

test("after 10 wrong attempts on an account the 11th is refused with the wait, even with another password", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await awayFromAWindowEdge();
  const email = nobody();
  for (let index = 1; index <= 10; index++) expect(await attempt(page, baseURL!, email, `guess-${index}`), `attempt ${index}`).toBe("Invalid email or password.");

  const refusal = await attempt(page, baseURL!, email, "guess-11");
  expect(refusal).toMatch(TOO_MANY);
  // 10 failures just now: at least 1½ and at most 16½ minutes.
  expect(Number(TOO_MANY.exec(refusal)![1])).toBeGreaterThanOrEqual(2);
  expect(Number(TOO_MANY.exec(refusal)![1])).toBeLessThanOrEqual(17);
  await expectNoSeriousA11yViolations(page, "/login, throttled");

  // Another email from the same browser is not this account: it gets its own answer.
  expect(await attempt(page, baseURL!, nobody(), "guess")).toBe("Invalid email or password.");
});

test("two instances on one database count together: 5 failures on each, then the next attempt on the first is refused", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const second = await startSecondInstance();
  const context = await browser.newContext();
  try {
    const [onA, onB] = [await context.newPage(), await context.newPage()];
    const email = nobody();
    await awayFromAWindowEdge();
    for (let index = 1; index <= 5; index++) {
      expect(await attempt(onA, baseURL!, email, `a-${index}`)).toBe("Invalid email or password.");
      expect(await attempt(onB, second.baseURL, email, `b-${index}`)).toBe("Invalid email or password.");
    }
    expect(await attempt(onA, baseURL!, email, "a-6")).toMatch(TOO_MANY);
    expect(await attempt(onB, second.baseURL, email, "b-6")).toMatch(TOO_MANY);
  } finally {
    await context.close();
    await second.stop();
  }
});

test("the header's Account link opens the account page", async ({ page }) => {
  await signIn(page, "cto@acme-ai.example");
  await expectOnPath(page, "/startup");
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await expectOnPath(page, "/account");
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
});
