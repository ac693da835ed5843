import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The GPU index as the demo admin: a CSV with one bad line is refused in the preview with its line
// number (Import stays disabled, nothing written, no job); a good CSV that cuts the latest fix by 10%
// is imported, and the background recompute lists the loans whose coverage moved and the alerts it
// opened. The test then imports the original price again, so the specs after it see the demo
// world's valuation (alerts opened by the shock may stay open: one open alert per kind per loan).

const ADMIN = "admin@blockable.dev";
const HEADER = "day,price_usd_per_gpu_hour";

type Fix = { day: string; price: number | bigint };

const count = (sql: string) => Number(queryE2eDatabase<{ n: number }>(`SELECT COUNT(*) AS n FROM ${sql}`)[0].n);
const countFixes = () => count(`"GpuIndexFix"`);
/** Only this screen's jobs: other kinds (ledger health) may be queued by their own timers meanwhile. */
const countRecomputeJobs = () => count(`"BackgroundJob" WHERE kind = 'index.recompute'`);

function latestFix(): { day: string; priceMicros: bigint } {
  const [fix] = queryE2eDatabase<Fix>(`SELECT day, "priceMicrosPerGpuHour" AS price FROM "GpuIndexFix" ORDER BY day DESC LIMIT 1`);
  return { day: fix.day, priceMicros: BigInt(fix.price) };
}

/** µUSD → "2.153400" (exact, for the CSV). */
const usd = (micros: bigint) => `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;

async function chooseCsv(page: Page, name: string, lines: string[]) {
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(lines.join("\n") + "\n", "utf8") });
  await expect(page.getByRole("heading", { name: `Preview of ${name}` })).toBeVisible();
}

async function importPreviewed(page: Page) {
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Import fixes" }).click();
  await expect(dialog).toBeHidden();
}

function latestJob() {
  return queryE2eDatabase<{ id: string; status: string; resultJson: string | null }>(`SELECT id, status, "resultJson" FROM "BackgroundJob" WHERE kind = 'index.recompute' ORDER BY "createdAt" DESC LIMIT 1`)[0] ?? null;
}

test.describe("the GPU index", () => {
  test("a CSV with a bad line is refused by line; a good one moves coverage and opens alerts in a background job", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/gpu-index");
    await expect(page.getByRole("heading", { level: 1, name: "GPU index" })).toBeVisible();
    await expect(page.getByRole("img", { name: /GPU price index/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/gpu-index");

    const latest = latestFix();
    const fixesBefore = countFixes();
    const jobsBefore = countRecomputeJobs();

    // One bad line (line 3): the preview names it, Import stays disabled, nothing is written.
    await chooseCsv(page, "bad-index.csv", [HEADER, `${latest.day},${usd(latest.priceMicros)}`, `${latest.day.slice(0, 8)}01,abc`]);
    await expect(page.getByRole("alert").filter({ hasText: /Line 3: price is not a number/ })).toBeVisible();
    await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
    expect(countFixes()).toBe(fixesBefore);
    expect(countRecomputeJobs()).toBe(jobsBefore);

    // A 10% cut of the fix the loans are valued at: a correction of one day, imported whole.
    const shocked = (latest.priceMicros * 90n) / 100n;
    await page.getByRole("button", { name: "Choose another file" }).click();
    await chooseCsv(page, "good-index.csv", [HEADER, `${latest.day},${usd(shocked)}`]);
    await expect(page.getByText(/0 new fixes, 1 correction/)).toBeVisible();
    await importPreviewed(page);

    const moved = page.getByRole("region", { name: "Loans whose coverage moved" });
    await expect(moved).toBeVisible({ timeout: 30_000 });
    await expect(moved.getByRole("link", { name: /^BL-/ }).first()).toBeVisible();
    const opened = page.getByRole("region", { name: "Alerts opened" });
    await expect(opened.getByRole("link", { name: /^BL-/ }).first()).toBeVisible();
    expect(latestFix()).toEqual({ day: latest.day, priceMicros: shocked });
    const job = latestJob();
    expect(job?.status).toBe("SUCCEEDED");
    const result = JSON.parse(job!.resultJson!) as { moved: unknown[]; alertsOpened: unknown[] };
    expect(result.moved.length).toBeGreaterThan(0);
    expect(result.alertsOpened.length).toBeGreaterThan(0);
    expect(countRecomputeJobs()).toBe(jobsBefore + 1);
    await expectNoSeriousA11yViolations(page, "/admin/gpu-index after a recompute");

    // Put the demo world's price back for the specs that follow; its recompute must finish too.
    await page.getByLabel("CSV file").setInputFiles({ name: "restore-index.csv", mimeType: "text/csv", buffer: Buffer.from(`${HEADER}\n${latest.day},${usd(latest.priceMicros)}\n`, "utf8") });
    await expect(page.getByRole("heading", { name: "Preview of restore-index.csv" })).toBeVisible();
    await importPreviewed(page);
    await expect.poll(() => latestJob()?.id !== job!.id && latestJob()?.status, { timeout: 30_000 }).toBe("SUCCEEDED");
    expect(latestFix()).toEqual(latest);
  });
});
