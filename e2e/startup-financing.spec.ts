import { expect, test, type Page } from "@playwright/test";
import { formatMicros, parseUsdToMicros } from "../lib/domain/money";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The startup's Financing screens on the built app and the seeded demo world:
// - Tessera Legal (no open loan once its seeded application is decided) applies with the live
//   preview, uses the least pledge, withdraws, applies again, and the admin approves it on
//   /admin/applications/[id]: its credits rise by what the preview said;
// - Halcyon Voice, in its margin call, reads Kestrel's payment instructions and declares a repayment
//   large enough to cure; its debt does not move until the admin confirms it on /admin/payments,
//   then it falls and the loan leaves MARGIN_CALL.
// Halcyon Voice, not Vectorly: e2e/lender-desk.spec.ts (which runs first) freezes and partly
// liquidates Vectorly's loan, the demo world's other margin call.

const ADMIN = "admin@blockable.dev";
const TESSERA = "cto@tessera-legal.example";
const HALCYON = "cto@halcyon-voice.example";
const USD = 1_000_000n;

type LoanRow = { id: string; reference: string; state: string; debt: string };

function loansOf(startupName: string): LoanRow[] {
  return queryE2eDatabase<LoanRow>(
    `SELECT l.id, l.reference, l.state, CAST(l."principalOutstandingMicros" + l."interestAccruedMicros" AS TEXT) AS debt
     FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId" WHERE o.name = ? ORDER BY l."createdAt" DESC`,
    startupName,
  );
}

function loanById(id: string): LoanRow {
  return queryE2eDatabase<LoanRow>(`SELECT id, reference, state, CAST("principalOutstandingMicros" + "interestAccruedMicros" AS TEXT) AS debt FROM "Loan" WHERE id = ?`, id)[0];
}

function spendableMicros(startupName: string): bigint {
  const [row] = queryE2eDatabase<{ balance: string }>(
    `SELECT CAST(a."balanceMicros" AS TEXT) AS balance FROM "LedgerAccount" a JOIN "Organization" o ON o.id = a."orgId" WHERE o.name = ? AND a.type = 'STARTUP_SPENDABLE' AND a."loanId" IS NULL`,
    startupName,
  );
  return BigInt(row?.balance ?? "0");
}

/** Own credits the startup can pledge: its unfrozen purchased lots (never more than spendable). */
function ownPledgeableMicros(startupName: string): bigint {
  const [row] = queryE2eDatabase<{ own: string | null }>(
    `SELECT CAST(SUM(l."remainingMicros" - l."frozenMicros") AS TEXT) AS own FROM "CreditLot" l JOIN "Organization" o ON o.id = l."orgId" WHERE o.name = ? AND l.kind = 'PURCHASED'`,
    startupName,
  );
  const own = BigInt(row?.own ?? "0");
  const spendable = spendableMicros(startupName);
  return own < spendable ? own : spendable;
}

function noticeStatus(reference: string): string {
  return queryE2eDatabase<{ status: string }>(`SELECT status FROM "PaymentNotice" WHERE reference = ?`, reference)[0]?.status ?? "missing";
}

async function openFinancing(page: Page) {
  await page.goto("/startup/financing");
  await expect(page.getByRole("heading", { level: 1, name: "Financing" })).toBeVisible();
}

/** Fills the Apply dialog, takes the least pledge it offers, and sends it; returns the new row's reference. */
async function applyWithLeastPledge(page: Page, principalUsd: bigint, { checkA11y = false } = {}) {
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Apply for financing" })).toBeVisible();
  await dialog.getByLabel("Principal (USD)").fill(principalUsd.toString());
  await dialog.getByLabel("Multiplier (×)").fill("1.5");
  await dialog.getByLabel("Term (months)").fill("12");
  await dialog.getByLabel("Purpose").fill("E2E: contract-review pilot for a second law firm.");
  // The preview, live: 1.5 × the principal in credits.
  const credits = `$${(principalUsd * 3n / 2n).toLocaleString("en-US")}.00`;
  await expect(dialog.getByText(credits).first()).toBeVisible();
  await expect(dialog.getByText(/below 150\.00%/)).toBeVisible();
  await dialog.getByRole("button", { name: /^Use the least pledge/ }).click();
  await expect(dialog.getByText(/meets 150\.00%/)).toBeVisible();
  await expect(dialog.getByText("Monthly installment").first()).toBeVisible();
  if (checkA11y) await expectNoSeriousA11yViolations(page, "/startup/financing (Apply dialog)");
  await dialog.getByRole("button", { name: "Send application" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/is waiting for an admin's decision/).first()).toBeVisible();
  const [latest] = loansOf("Tessera Legal");
  expect(latest.state).toBe("SUBMITTED");
  return latest;
}

test.describe("the startup's financing", () => {
  test("Tessera Legal applies with the live preview and the least pledge, withdraws, applies again; the admin approves and its credits rise", async ({ page, browser }) => {
    const own = ownPledgeableMicros("Tessera Legal");
    // The least pledge at 1.5× is ⌈1.5 P / 0.85⌉ − 1.5 P ≈ 0.265 P: take the largest round principal its own credits carry, at most $20,000.
    const principalUsd = (() => {
      const most = (own * 1_000n) / 265n / USD / 1_000n;
      return most >= 20n ? 20_000n : most * 1_000n;
    })();
    expect(principalUsd, `Tessera Legal holds ${own} µUSD of its own credits`).toBeGreaterThanOrEqual(1_000n);

    await signIn(page, TESSERA);
    await expectOnPath(page, "/startup");
    await openFinancing(page);
    await page.waitForLoadState("networkidle");
    await expectNoSeriousA11yViolations(page, "/startup/financing");

    // Run alone (before the approval queue's spec rejects it), the seeded application is still pending: withdraw it first.
    const seeded = loansOf("Tessera Legal").find((loan) => loan.state === "SUBMITTED");
    if (seeded) {
      await page.getByRole("row", { name: new RegExp(seeded.reference) }).getByRole("button", { name: "Withdraw" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Withdraw application" }).click();
      await expect(page.getByRole("dialog")).toBeHidden();
      await expect.poll(() => loanById(seeded.id).state).toBe("WITHDRAWN");
    }

    // Apply, then withdraw it (a confirm dialog says what happens).
    const first = await applyWithLeastPledge(page, principalUsd, { checkA11y: true });
    await expect(page.getByRole("button", { name: "Apply", exact: true })).toBeDisabled();
    await page.getByRole("row", { name: new RegExp(first.reference) }).getByRole("button", { name: "Withdraw" }).click();
    const confirm = page.getByRole("dialog");
    await expect(confirm).toContainText(`Withdraw ${first.reference}?`);
    await confirm.getByRole("button", { name: "Withdraw application" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole("row", { name: new RegExp(first.reference) }).getByText("withdrawn")).toBeVisible();
    expect(loanById(first.id).state).toBe("WITHDRAWN");

    // Apply again; the application's page says it waits for a decision.
    const second = await applyWithLeastPledge(page, principalUsd);
    await page.getByRole("table").getByRole("link", { name: second.reference }).click();
    await expectOnPath(page, `/startup/financing/${second.id}`);
    await expect(page.getByRole("heading", { level: 1, name: second.reference })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Waiting for an admin's decision" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `/startup/financing/${second.id} (submitted)`);

    // The admin approves it as offered: the financed credits arrive.
    const before = spendableMicros("Tessera Legal");
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, ADMIN);
    await expectOnPath(admin, "/admin");
    await admin.goto(`/admin/applications/${second.id}`);
    await expect(admin.getByRole("heading", { level: 1, name: new RegExp(second.reference) })).toBeVisible();
    await admin.getByRole("button", { name: "Approve", exact: true }).click();
    const approve = admin.getByRole("dialog");
    await approve.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(approve).toBeHidden();
    await expect(admin.getByText(/the loan is active/)).toBeVisible();
    await admin.context().close();

    expect(loanById(second.id).state).toBe("ACTIVE");
    expect(spendableMicros("Tessera Legal")).toBe(before + (principalUsd * 3n * USD) / 2n);
    await page.reload();
    await expect(page.getByRole("heading", { name: "Coverage", exact: true })).toBeVisible();
    await expect(page.getByText("Days to margin call")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Installment schedule" })).toBeVisible();
  });

  test("Halcyon Voice declares a repayment that cures its margin call: the debt falls and the loan leaves MARGIN_CALL only once the admin confirms", async ({ page, browser }) => {
    const [loan] = loansOf("Halcyon Voice").filter((row) => ["ACTIVE", "MARGIN_CALL", "DELINQUENT", "FROZEN"].includes(row.state));
    expect(loan.state, "Halcyon Voice's loan must still be in its margin call (a fresh seed)").toBe("MARGIN_CALL");
    const reference = `HAL-E2E-${Date.now()}`;

    await signIn(page, HALCYON);
    await expectOnPath(page, "/startup");
    await page.goto(`/startup/financing/${loan.id}`);
    await expect(page.getByRole("heading", { level: 1, name: loan.reference })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Margin call: coverage/ })).toBeVisible();
    await expect(page.getByRole("timer")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Coverage", exact: true })).toBeVisible();
    // Kestrel's instructions, as it published them.
    await expect(page.getByRole("heading", { name: "How to pay Kestrel Capital" })).toBeVisible();
    await expect(page.getByText(/Meridian Trust/)).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoSeriousA11yViolations(page, `/startup/financing/${loan.id} (margin call)`);

    // The page's least repayment that cures (coverage ~121% → 130% needs ~7% of the debt), with half
    // again on top, rounded up to whole thousands: it still cures if the index dips meanwhile.
    const leastText = await page.locator("#repay p").filter({ hasText: /^Least repayment to reach/ }).textContent();
    const least = parseUsdToMicros(/\$[\d,]+(\.\d+)?/.exec(leastText ?? "")?.[0] ?? "0");
    expect(least, `least repayment in "${leastText}"`).toBeGreaterThan(0n);
    const thousand = 1_000n * USD;
    const amount = (((least * 3n) / 2n + thousand - 1n) / thousand) * thousand;
    expect(amount).toBeLessThan(BigInt(loan.debt));
    await page.locator("#repay").getByRole("button", { name: "Declare payment" }).click();
    const declare = page.getByRole("dialog");
    await expect(declare.getByText("You can declare up to")).toBeVisible();
    await declare.getByLabel("Amount sent (USD)").fill((amount / USD).toLocaleString("en-US"));
    await declare.getByLabel("Payment reference").fill(reference);
    await expectNoSeriousA11yViolations(page, `/startup/financing/${loan.id} (declare dialog)`);
    await declare.getByRole("button", { name: "Declare payment" }).click();
    await expect(declare).toBeHidden();
    const row = page.getByRole("row", { name: new RegExp(reference) });
    await expect(row.getByText("pending")).toBeVisible();
    expect(noticeStatus(reference)).toBe("PENDING");
    // A declaration moves nothing.
    expect(loanById(loan.id)).toMatchObject({ state: "MARGIN_CALL", debt: loan.debt });

    // The admin confirms the money arrived: the payment is recorded, the debt falls, the call is cured.
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, ADMIN);
    await expectOnPath(admin, "/admin");
    await admin.goto("/admin/payments");
    await expect(admin.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    await admin.getByRole("row", { name: new RegExp(reference) }).getByRole("button", { name: "Confirm" }).click();
    const confirm = admin.getByRole("dialog");
    await confirm.getByRole("button", { name: "Confirm payment" }).click();
    await expect(confirm).toBeHidden();
    await admin.context().close();

    expect(noticeStatus(reference)).toBe("CONFIRMED");
    const after = loanById(loan.id);
    expect(BigInt(after.debt)).toBeLessThan(BigInt(loan.debt));
    expect(after.state).not.toBe("MARGIN_CALL");

    await page.reload();
    await expect(page.getByRole("heading", { name: /^Margin call: coverage/ })).toHaveCount(0);
    await expect(page.getByRole("row", { name: new RegExp(reference) }).getByText("confirmed")).toBeVisible();
    await expect(page.locator("#payments").getByRole("row", { name: formatMicros(amount) })).toBeVisible();
  });
});
