// Named "dashboard" so it runs before startup-financing.spec.ts, which cures Halcyon Voice's margin call.
// (Not Vectorly's: e2e/lender-desk.spec.ts, which runs earlier, freezes and partly liquidates it.)
import { expect, test, type Page } from "@playwright/test";
import { formatMicros } from "../lib/domain/money";
import { demoApiKey, expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

// The startup's overview on the built app and the seeded demo world: its figures are the routing
// API's own (balances from /api/v1/account/credits, 30-day spend from /account/usage), the
// margin-call startup sees its cure window and the least cure with the buttons that start it, and
// the page passes axe in light and dark, on a laptop and a phone.

const ACME = "cto@acme-ai.example";
const HALCYON = "cto@halcyon-voice.example";

const exactMicros = (page: Page, testId: string) => page.getByTestId(testId).locator("[data-micros]").first().getAttribute("data-micros");

function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test.describe("the startup's overview", () => {
  test("spendable, held and frozen equal /api/v1/account/credits, and 30-day spend equals /account/usage", async ({ page, request }) => {
    const auth = { headers: { authorization: `Bearer ${demoApiKey("Acme AI")}` } };
    await signIn(page, ACME);
    await expectOnPath(page, "/startup");
    await expect(page.getByRole("heading", { level: 1, name: "Acme AI" })).toBeVisible();

    const credits = await (await request.get("/api/v1/account/credits", auth)).json();
    for (const [testId, field] of [
      ["balance-spendable", "spendable_micros"],
      ["balance-held", "held_micros"],
      ["balance-frozen", "frozen_micros"],
    ] as const) {
      await expect.poll(() => exactMicros(page, testId), { message: testId }).toBe(credits[field]);
      await expect(page.getByTestId(testId)).toContainText(formatMicros(BigInt(credits[field])));
    }

    await page.goto("/startup?range=30d");
    await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "page");
    const start = utcDay(-29);
    const end = utcDay();
    const usage = await (await request.get(`/api/v1/account/usage?start=${start}&end=${end}`, auth)).json();
    await expect(page.getByRole("heading", { name: "Burn", exact: true })).toBeVisible();
    expect(await page.getByTestId("burn-range-total").getAttribute("data-micros")).toBe(usage.total.cost_micros);
    await expect(page.getByTestId("burn-range-total")).toHaveText(formatMicros(BigInt(usage.total.cost_micros)));

    // The chart stacks by provider at a click, and a range that is not a range says why.
    await page.getByRole("tab", { name: "By provider" }).click();
    await expect(page.getByRole("img", { name: /daily spend by provider/ })).toBeVisible();
    await page.goto("/startup?start=2026-02-30&end=2026-03-02");
    await expect(page.getByRole("alert").filter({ hasText: "Start: give a real calendar day" })).toBeVisible();
  });

  test("the margin-call startup sees the cure window and the least repayment or pledge, each with its button", async ({ page }) => {
    await signIn(page, HALCYON);
    await expectOnPath(page, "/startup");
    const banner = page.getByRole("region", { name: /^Margin call on / });
    await expect(banner).toBeVisible();
    await expect(banner.getByRole("timer")).toBeVisible();
    const repay = BigInt((await banner.getByTestId("cure-repay").getAttribute("data-micros")) ?? "0");
    const pledge = BigInt((await banner.getByTestId("cure-pledge").getAttribute("data-micros")) ?? "0");
    expect(repay).toBeGreaterThan(0n);
    expect(pledge).toBeGreaterThan(0n);
    await expect(banner.getByTestId("cure-repay")).toHaveText(formatMicros(repay));
    await expect(banner.getByRole("link", { name: "Declare repayment" })).toHaveAttribute("href", /^\/startup\/financing\/[^/#]+#repay$/);
    // Halcyon Voice has pledged all its own credits: the pledge must be bought first.
    await expect(banner.getByRole("link", { name: "Buy credits" })).toHaveAttribute("href", /#buy$/);
    await expect(page.getByRole("button", { name: /^Notifications/ })).toBeVisible();
  });

  for (const { scheme, width } of [{ scheme: "light", width: 1280 }, { scheme: "dark", width: 1280 }, { scheme: "light", width: 390 }] as const) {
    test(`the overview passes axe (${scheme}, ${width} px wide)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const email of [HALCYON, ACME]) {
        await page.context().clearCookies();
        await signIn(page, email);
        await expectOnPath(page, "/startup");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        await expectNoSeriousA11yViolations(page, `/startup as ${email} (${scheme}, ${width} px)`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    });
  }
});
