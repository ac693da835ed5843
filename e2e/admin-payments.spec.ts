import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The admin's payments desk on the seeded demo world: Acme AI declared a $25,000 repayment and
// Lumen Labs $12,000 (lib/server/seed/demo-payments.ts). Confirming Acme AI's records it and its
// debt falls; refusing Lumen Labs' with a reason moves nothing.

const ADMIN = "admin@blockable.dev";

type LoanFigures = { id: string; principal: string; interest: string; payments: number };

function loanFigures(startupName: string): LoanFigures {
  const [loan] = queryE2eDatabase<LoanFigures>(
    `SELECT l.id, CAST(l."principalOutstandingMicros" AS TEXT) AS principal, CAST(l."interestAccruedMicros" AS TEXT) AS interest,
            (SELECT COUNT(*) FROM "Payment" p WHERE p."loanId" = l.id) AS payments
     FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId"
     WHERE o.name = ? AND l.state IN ('ACTIVE','MARGIN_CALL','DELINQUENT','FROZEN') LIMIT 1`,
    startupName,
  );
  if (!loan) throw new Error(`No open loan for ${startupName}`);
  return loan;
}

function noticeStatus(reference: string): string {
  const [row] = queryE2eDatabase<{ status: string }>(`SELECT status FROM "PaymentNotice" WHERE reference = ?`, reference);
  return row?.status ?? "missing";
}

test.describe("the admin's payments desk", () => {
  test("confirm Acme AI's declared repayment: its debt falls; refuse Lumen Labs': nothing moves", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/payments");
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoSeriousA11yViolations(page, "/admin/payments");

    // Confirm: the dialog shows the split before anything is written.
    const acmeBefore = loanFigures("Acme AI");
    expect(noticeStatus("ACME-WIRE-88213")).toBe("PENDING");
    await page.getByRole("row", { name: /ACME-WIRE-88213/ }).getByRole("button", { name: "Confirm" }).click();
    const confirm = page.getByRole("dialog");
    await expect(confirm).toContainText("pays accrued interest");
    await expect(confirm).toContainText("Debt after");
    await expectNoSeriousA11yViolations(page, "/admin/payments (confirm dialog)");
    await confirm.getByRole("button", { name: "Confirm payment" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText(/Recorded \$25,000\.00 on/)).toBeVisible();

    expect(noticeStatus("ACME-WIRE-88213")).toBe("CONFIRMED");
    const acmeAfter = loanFigures("Acme AI");
    expect(acmeAfter.payments).toBe(acmeBefore.payments + 1);
    expect(BigInt(acmeAfter.principal)).toBeLessThan(BigInt(acmeBefore.principal));
    expect(BigInt(acmeAfter.principal) + BigInt(acmeAfter.interest)).toBeLessThan(BigInt(acmeBefore.principal) + BigInt(acmeBefore.interest));
    // The row left the queue for the history.
    await expect(page.getByRole("row", { name: /ACME-WIRE-88213/ }).getByRole("button", { name: "Confirm" })).toHaveCount(0);

    // Refuse: a reason is required; nothing moves.
    const lumenBefore = loanFigures("Lumen Labs");
    await page.getByRole("row", { name: /LUMEN-ACH-20931/ }).getByRole("button", { name: "Refuse" }).click();
    const refuse = page.getByRole("dialog");
    await refuse.getByRole("button", { name: "Refuse notice" }).click();
    await expect(refuse.getByRole("alert")).toBeVisible();
    expect(noticeStatus("LUMEN-ACH-20931")).toBe("PENDING");
    await refuse.getByLabel("Reason").fill("E2E: no ACH credit with this reference reached the collection account.");
    await refuse.getByRole("button", { name: "Refuse notice" }).click();
    await expect(refuse).toBeHidden();
    await expect(page.getByText("E2E: no ACH credit with this reference reached the collection account.")).toBeVisible();

    expect(noticeStatus("LUMEN-ACH-20931")).toBe("REFUSED");
    expect(loanFigures("Lumen Labs")).toEqual(lumenBefore);

    await page.getByRole("tab", { name: /Credit purchases/ }).click();
    await expect(page.getByRole("row", { name: /VEC-PO-3390/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/payments (credit purchases)");
  });

  test("on a phone, in dark mode, the page fits and passes axe", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/payments");
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousA11yViolations(page, "/admin/payments (dark, 390 px)");
  });
});
