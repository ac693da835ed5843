import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// Every page of the startup's area as its CTO sees it, on the built app and the demo world: on a
// phone the navigation opens from a menu button and no page scrolls sideways; every page passes
// axe in light and dark, laptop and phone.

const CTO = "cto@acme-ai.example";

function startupPages(): string[] {
  const [loan] = queryE2eDatabase<{ id: string }>(
    `SELECT l.id FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId" WHERE o.name = 'Acme AI' AND l.state IN ('ACTIVE', 'MARGIN_CALL', 'FROZEN', 'DELINQUENT') ORDER BY l."createdAt" DESC LIMIT 1`,
  );
  return ["/startup", "/startup/usage", "/startup/keys", "/startup/financing", ...(loan ? [`/startup/financing/${loan.id}`] : [])];
}

test.describe("the startup's pages", () => {
  test("the nav names every page; on a phone it opens from a menu button and no page scrolls sideways", async ({ page }) => {
    await signIn(page, CTO);
    await expectOnPath(page, "/startup");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of ["Overview", "Usage", "API keys", "Financing"]) await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("link", { name: "API keys", exact: true }).click();
    await expectOnPath(page, "/startup/keys");
    for (const url of startupPages()) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(390);
    }
  });

  for (const { scheme, width } of [{ scheme: "light", width: 1280 }, { scheme: "dark", width: 1280 }, { scheme: "light", width: 390 }] as const) {
    test(`every startup page passes axe (${scheme}, ${width} px wide)`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, CTO);
      await expectOnPath(page, "/startup");
      for (const url of startupPages()) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        await expectNoSeriousA11yViolations(page, `${url} (${scheme}, ${width} px)`);
      }
    });
  }
});
