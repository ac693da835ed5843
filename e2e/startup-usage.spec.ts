import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The startup CTO drills into where the money goes: the usage explorer filtered by one model,
// paged on by keyset, one request opened to read its id and route, the filtered set downloaded as CSV.

const CTO = "cto@acme-ai.example";
const CSV_HEADER = "Time (UTC),Request ID,API key,Key prefix,Model,Provider,Endpoint,Input tokens,Output tokens,Cost (USD),Latency (ms),Status";

test.describe("the startup's usage explorer", () => {
  test("filter by a model, page on, open a request, download the CSV", async ({ page }) => {
    // Acme AI's busiest model in the demo world: months of requests, so more than one page.
    const [{ modelSlug }] = queryE2eDatabase<{ modelSlug: string }>(
      `SELECT e."modelSlug" AS "modelSlug" FROM "UsageEvent" e JOIN "Organization" o ON o."id" = e."orgId" WHERE o."slug" = 'acme-ai' GROUP BY e."modelSlug" ORDER BY COUNT(*) DESC LIMIT 1`,
    );

    await signIn(page, CTO);
    await expectOnPath(page, "/startup");
    await page.goto("/startup/usage");
    await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
    await expect(page.getByTestId("usage-row").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/startup/usage");

    await page.getByLabel("Model", { exact: true }).selectOption(modelSlug);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("model")).toBe(modelSlug);
    const rows = page.getByTestId("usage-row");
    await expect(rows.first()).toContainText(modelSlug);
    for (const text of await rows.allInnerTexts()) expect(text).toContain(modelSlug);
    const firstPageTop = await rows.first().innerText();

    await page.getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("after")).not.toBeNull();
    await expect(rows.first()).not.toHaveText(firstPageTop);
    for (const text of await rows.allInnerTexts()) expect(text).toContain(modelSlug);
    await expect(page.getByRole("button", { name: "Previous page" })).toBeEnabled();

    await rows.first().getByRole("button", { name: /^Details/ }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: "Request details" })).toBeVisible();
    await expect(dialog.getByTestId("usage-request-id")).toHaveText(/^\S{8,}$/);
    await expect(dialog.getByRole("heading", { name: "Route taken" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/startup/usage request dialog");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^blockable-usage-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.length).toBeGreaterThan(51);
    for (const line of lines.slice(1, 200)) expect(line.split(",")[4]).toBe(modelSlug);
  });
});
