import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

// The platform operator answers for every change: the audit log filtered by action and by days,
// one entry opened to read its before and after, the filtered set downloaded as CSV; then the
// ledger's invariants checked on demand.

const ADMIN = "admin@blockable.dev";
const CSV_HEADER = "When (UTC),Who,Email,Action,What,Target type,Target ID,Organisation,Request ID,Before → after,Details (JSON)";
const DAY_MS = 86_400_000;
const utcDay = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

test.describe("the admin's audit log and ledger health", () => {
  test("filter by action and days, open an entry's before and after, download the CSV", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/audit");

    // The demo world's approvals, up to yesterday (so nothing another test approved today).
    const from = utcDay(400 * DAY_MS);
    const to = utcDay(DAY_MS);
    await page.getByLabel("Action", { exact: true }).selectOption("loan.approve");
    await page.getByLabel("From (UTC day)").fill(from);
    await page.getByLabel("To (UTC day)").fill(to);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe(`?action=loan.approve&from=${from}&to=${to}`);
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toContainText("loan.approve");
    for (const text of await rows.allInnerTexts()) expect(text).toContain("loan.approve");

    await rows.first().getByRole("button", { name: "Details" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: "Before and after" })).toBeVisible();
    await expect(dialog.getByRole("columnheader", { name: "Before" })).toBeVisible();
    await expect(dialog.getByRole("cell", { name: "SUBMITTED", exact: true })).toBeVisible();
    await expect(dialog.getByRole("cell", { name: "ACTIVE", exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/audit entry dialog");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^blockable-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(",loan.approve,");
  });

  test("ledger health: Run checks shows every check passing", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/ledger-health");
    await expect(page.getByRole("heading", { level: 1, name: "Ledger health" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Last scheduled run" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/ledger-health");

    await page.getByRole("button", { name: "Run checks" }).click();
    await expect(page.getByTestId("ledger-health-status")).toHaveText("All 6 checks passed");
    const checks = page.getByRole("table", { name: "The checks run now" }).getByRole("row");
    await expect(checks).toHaveCount(1 + 6);
    // The first row is the header; every check after it passed.
    for (const text of (await checks.allInnerTexts()).slice(1)) expect(text).toMatch(/pass/i);
    await expectNoSeriousA11yViolations(page, "/admin/ledger-health after Run checks");
  });
});
