import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

// The platform's view of every lender's loans, as the demo admin: both demo lenders' loans in one
// table, a loan's read-only page with the charts its lender sees (no Freeze: admins do not freeze;
// Liquidate instead), and a real 404 for a loan that does not exist.

const ADMIN = "admin@blockable.dev";

test.describe("the admin's loans", () => {
  test("lists both demo lenders' loans; a loan opens read-only with its coverage chart and no Freeze", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/loans");
    await expect(page.getByRole("heading", { level: 1, name: "Loans" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/loans");

    const table = page.getByRole("table", { name: "Loans across the platform" });
    await page.getByLabel("State", { exact: true }).selectOption("all");
    await expectOnPath(page, "/admin/loans");
    for (const lender of ["Kestrel Capital", "Northwind Credit Fund"]) {
      await page.getByLabel("Lender", { exact: true }).selectOption({ label: lender });
      await expect(table.getByRole("cell", { name: lender }).first()).toBeVisible();
    }

    // Northwind's loans (the filter still set): open the first one.
    await table.getByRole("link").first().click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/admin\/loans\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 2, name: "Coverage" })).toBeVisible();
    await expect(page.getByText("Northwind Credit Fund").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Freeze", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Unfreeze", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Liquidate", exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "an admin loan page");
  });

  test("a loan id that does not exist is a real 404", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    const response = await page.goto("/admin/loans/no-such-loan");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Loan not found" })).toBeVisible();
  });
});
