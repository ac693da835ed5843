import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, demoAccount, expectOnPath, queryE2eDatabase, signIn } from "./support";

const STARTUP = "cto@acme-ai.example";
const LENDER = "analyst@northwind.example";
const ADMIN = "admin@blockable.dev";

test.describe("sign-in", () => {
  const HOME = { startup: "/startup", lender: "/lender", admin: "/admin" } as const;
  for (const account of DEMO_ACCOUNTS) {
    test(`${account.email} lands on the ${account.role} home`, async ({ page }) => {
      await signIn(page, account.email, account.password);
      await expectOnPath(page, HOME[account.role]);
      const heading = account.role === "startup" ? account.orgName : account.role === "lender" ? "Portfolio" : "Platform";
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.getByText(account.orgName).first()).toBeVisible();
    });
  }

  test("a wrong password is refused with a clear message and no session", async ({ page }) => {
    await signIn(page, STARTUP, "not-the-password");
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Invalid email or password.");
    await page.goto("/startup");
    await expectOnPath(page, "/login");
  });

  test("an anonymous visitor is sent to the login page and back after signing in", async ({ page }) => {
    await page.goto("/startup/financing");
    await expectOnPath(page, "/login");
    await page.getByLabel("Email").fill(STARTUP);
    await page.getByLabel("Password").fill(demoAccount(STARTUP).password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectOnPath(page, "/startup/financing");
  });
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, LENDER);
  await expectOnPath(page, "/lender");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expectOnPath(page, "/login");
  await page.goto("/lender");
  await expectOnPath(page, "/login");
});

test.describe("role guard", () => {
  test("a startup user gets 403 on lender and admin pages and their APIs", async ({ page }) => {
    await signIn(page, STARTUP);
    await expectOnPath(page, "/startup");
    for (const url of ["/lender", "/admin", "/admin/organizations"]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(403);
      await expect(page.getByRole("heading", { name: "This page is not for your role" })).toBeVisible();
    }
  });

  test("a lender gets 403 on startup pages and the startup credits API", async ({ page }) => {
    await signIn(page, LENDER);
    await expectOnPath(page, "/lender");
    const response = await page.goto("/startup");
    expect(response?.status()).toBe(403);
    const api = await page.request.get("/api/startup/credits");
    expect(api.status()).toBe(403);
    expect((await api.json()).error.code).toBe("forbidden");
  });

  test("a startup user cannot open another startup's loan", async ({ page }) => {
    const [foreign] = queryE2eDatabase<{ id: string }>(
      `SELECT l.id FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId" WHERE o.name = 'Vectorly' LIMIT 1`,
    );
    const [own] = queryE2eDatabase<{ id: string }>(
      `SELECT l.id FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId" WHERE o.name = 'Acme AI' LIMIT 1`,
    );
    await signIn(page, STARTUP);
    await expectOnPath(page, "/startup");
    expect((await page.goto(`/startup/financing/${own.id}`))?.status()).toBe(200);
    const response = await page.goto(`/startup/financing/${foreign.id}`);
    expect(response?.status()).toBe(404);
  });

  test("the startup credits API answers 401 without a session", async ({ request }) => {
    const response = await request.get("/api/startup/credits");
    expect(response.status()).toBe(401);
  });
});

test("a disabled user is locked out on the next request and cannot sign in again", async ({ browser }) => {
  const victim = "dev@acme-ai.example";
  const victimContext = await browser.newContext();
  const adminContext = await browser.newContext();
  const victimPage = await victimContext.newPage();
  const adminPage = await adminContext.newPage();
  try {
    await signIn(victimPage, victim);
    await expectOnPath(victimPage, "/startup");

    await signIn(adminPage, ADMIN);
    await expectOnPath(adminPage, "/admin");
    await adminPage.goto("/admin/organizations");
    // The users table pages: find the victim's row by filtering it.
    await adminPage.getByRole("region", { name: "Users" }).getByRole("searchbox", { name: "Filter rows" }).fill(victim);
    await adminPage.getByRole("button", { name: `Disable ${victim}` }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Disable", exact: true }).click();
    await expect(adminPage.getByRole("button", { name: `Enable ${victim}` })).toBeVisible();

    // The victim's session cookie is still valid, but the next request reads the user afresh.
    await victimPage.goto("/startup");
    await expectOnPath(victimPage, "/login");
    expect((await victimPage.request.get("/api/startup/credits")).status()).toBe(401);
    await signIn(victimPage, victim);
    await expect(victimPage.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("This account is disabled. Contact your administrator.");

    await adminPage.getByRole("button", { name: `Enable ${victim}` }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Enable", exact: true }).click();
    await expect(adminPage.getByRole("button", { name: `Disable ${victim}` })).toBeVisible();
    // Re-enabling does not revive the old session: the user signs in afresh.
    await victimPage.goto("/startup");
    await expectOnPath(victimPage, "/login");
    await signIn(victimPage, victim);
    await expectOnPath(victimPage, "/startup");
  } finally {
    await victimContext.close();
    await adminContext.close();
  }
});
