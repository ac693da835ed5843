import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The admin console as a whole, on the built app and the seeded demo world: the home shows what
// waits on an admin with the sidebar's counts; on a phone the navigation opens from a menu button
// and no page scrolls sideways; every page passes axe in light and dark, laptop and phone.

const ADMIN = "admin@blockable.dev";

function firstId(sql: string): string {
  const [row] = queryE2eDatabase<{ id: string }>(sql);
  if (!row) throw new Error(`Nothing for ${sql}`);
  return row.id;
}

/** Every admin page, with one of each kind of detail page from the demo world. */
function adminPages(): string[] {
  const application = firstId(`SELECT id FROM "Loan" ORDER BY CASE state WHEN 'SUBMITTED' THEN 0 ELSE 1 END, "createdAt" LIMIT 1`);
  const loan = firstId(`SELECT id FROM "Loan" WHERE state IN ('ACTIVE', 'MARGIN_CALL', 'FROZEN', 'DELINQUENT') ORDER BY reference LIMIT 1`);
  const lender = firstId(`SELECT id FROM "Organization" WHERE kind = 'LENDER' ORDER BY name LIMIT 1`);
  return [
    "/admin",
    "/admin/applications",
    `/admin/applications/${application}`,
    "/admin/loans",
    `/admin/loans/${loan}`,
    "/admin/payments",
    "/admin/providers",
    "/admin/models",
    "/admin/gpu-index",
    "/admin/organizations",
    `/admin/organizations/${lender}`,
    "/admin/audit",
    "/admin/ledger-health",
  ];
}

test.describe("the admin console", () => {
  test("the home shows what waits on an admin; the sidebar counts the same", async ({ page }) => {
    const [{ applications }] = queryE2eDatabase<{ applications: number }>(`SELECT COUNT(*) AS applications FROM "Loan" WHERE state = 'SUBMITTED'`);
    const [{ notices }] = queryE2eDatabase<{ notices: number }>(`SELECT COUNT(*) AS notices FROM "PaymentNotice" WHERE status = 'PENDING'`);
    const [{ purchases }] = queryE2eDatabase<{ purchases: number }>(`SELECT COUNT(*) AS purchases FROM "CreditPurchaseRequest" WHERE status = 'PENDING'`);
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await expect(page.getByTestId("queue-applications")).toContainText(`${applications} waiting`);
    await expect(page.getByTestId("queue-payments")).toContainText(`${notices} to confirm`);
    const nav = page.getByRole("navigation", { name: "Main" });
    if (applications > 0) await expect(nav.getByRole("link", { name: `Applications, ${applications} waiting` })).toBeVisible();
    if (notices + purchases > 0) await expect(nav.getByRole("link", { name: `Payments, ${notices + purchases} waiting` })).toBeVisible();
    await page.getByRole("link", { name: "Review applications" }).click();
    await expectOnPath(page, "/admin/applications");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("on a phone the navigation opens from a menu button and no page scrolls sideways", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("link", { name: /^GPU index/ }).click();
    await expectOnPath(page, "/admin/gpu-index");
    for (const url of adminPages()) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(390);
    }
  });

  for (const { scheme, width } of [{ scheme: "light", width: 1280 }, { scheme: "dark", width: 1280 }, { scheme: "light", width: 390 }] as const) {
    test(`every admin page passes axe (${scheme}, ${width} px wide)`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, ADMIN);
      await expectOnPath(page, "/admin");
      for (const url of adminPages()) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        await expectNoSeriousA11yViolations(page, `${url} (${scheme}, ${width} px)`);
      }
    });
  }
});
