import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

// Sessions that end on the server, and sign-in redirects that stay on this site. Every test signs
// in in contexts of its own and closes them, so other specs' demo sessions are not touched (except
// by "sign out everywhere", which ends cto@acme-ai.example's sessions at that moment: later specs
// sign in afresh).

const STARTUP = "cto@acme-ai.example";
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token/;

/** A fresh browser context signed in as `email`, on its home page. */
async function signedInContext(browser: Browser, email = STARTUP): Promise<BrowserContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expectOnPath(page, "/startup");
  return context;
}

async function expectSignedOut(context: BrowserContext) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto("/startup");
  await expectOnPath(page, "/login");
  const session = await context.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({});
}

test("signing out ends the session on the server: a copy of its cookie opens nothing", async ({ browser }) => {
  const context = await signedInContext(browser);
  const thief = await browser.newContext();
  try {
    const page = context.pages()[0];
    const copied = (await context.cookies()).filter((cookie) => SESSION_COOKIE.test(cookie.name));
    expect(copied).toHaveLength(1);

    // The copy works while the session lives.
    await thief.addCookies(copied);
    const thiefPage = await thief.newPage();
    await thiefPage.goto("/startup");
    await expectOnPath(thiefPage, "/startup");
    expect(await (await thief.request.get("/api/auth/session")).json()).toMatchObject({ user: { email: STARTUP } });

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expectOnPath(page, "/login");

    // The same cookie, presented again after the sign-out: nobody.
    await thief.clearCookies();
    await thief.addCookies(copied);
    await expectSignedOut(thief);
  } finally {
    await context.close();
    await thief.close();
  }
});

test("a callback URL that points off the site is ignored: after signing in the user lands on their home, on this origin", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const offSite: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) offSite.push(request.url());
  });
  // The values as the login page receives them, once the query string is decoded.
  for (const callbackUrl of ["/\\evil.example/phish", "//evil.example/phish", "/%5Cevil.example/phish", "https://evil.example/phish", "/\t/evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill(STARTUP);
    await page.getByLabel("Password").fill("blockable-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectOnPath(page, "/startup");
    expect(new URL(page.url()).origin, callbackUrl).toBe(origin);
  }
  expect(offSite).toEqual([]);
});

test("the issue's link as written: /login?callbackUrl=/%5Cevil.example/phish lands on /startup", async ({ page, baseURL }) => {
  await page.goto("/login?callbackUrl=/%5Cevil.example/phish");
  await page.getByLabel("Email").fill(STARTUP);
  await page.getByLabel("Password").fill("blockable-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectOnPath(page, "/startup");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
});

test("sign out everywhere from one browser ends another browser's session; Revoke ends one other session", async ({ browser }) => {
  const here = await signedInContext(browser);
  const there = await signedInContext(browser);
  try {
    const page = here.pages()[0];
    await page.goto("/account");
    await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
    const sessions = page.getByRole("region", { name: "Sessions" });
    await expect(sessions.getByText("This device")).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, "/account");

    await sessions.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expectOnPath(page, "/login");
    await expectSignedOut(there);
    await expectSignedOut(here);
  } finally {
    await here.close();
    await there.close();
  }

  // After "everywhere", exactly two live sessions: this one and the other browser's, revoked by its button.
  const mine = await signedInContext(browser);
  const other = await signedInContext(browser);
  try {
    const page = mine.pages()[0];
    await page.goto("/account");
    const sessions = page.getByRole("region", { name: "Sessions" });
    const revokeButtons = sessions.getByRole("button", { name: /^Revoke session/ });
    await expect(revokeButtons).toHaveCount(1);
    await revokeButtons.click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Revoke session" }).click();
    // Done when the page says so: the dialog closes and the toast confirms. (While the modal is
    // open, and so while the revoke is still on its way, it hides every Revoke button from the
    // accessibility tree: a count of 0 alone would let the other browser go before the revoke.)
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(/^Session revoked: .+ is signed out\.$/)).toBeVisible();
    await expect(revokeButtons).toHaveCount(0);
    await expect(sessions.getByText(/\(1 session\)/)).toBeVisible();
    await expectSignedOut(other);
    // This browser is still signed in.
    await page.goto("/startup");
    await expectOnPath(page, "/startup");
  } finally {
    await mine.close();
    await other.close();
  }
});

test("a garbage session cookie is simply signed out", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: "next-auth.session-token", value: "not-a-token", url: baseURL! }]);
    await expectSignedOut(context);
  } finally {
    await context.close();
  }
});
