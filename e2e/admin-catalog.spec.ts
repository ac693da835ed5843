import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoApiKey, expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn, startSecondInstance, type SecondInstance } from "./support";

// The routing catalogue as the platform operator keeps it, on the built app and the seeded demo
// world: change a model's price on /admin/models and the very next API call is billed at it, while
// usage recorded before keeps its cost — on a second instance sharing the database as well as on the
// one the admin used; test the simulator provider's connection.

const ADMIN = "admin@blockable.dev";
// A demo model no other spec calls, served by the built-in simulator (lib/server/seed/demo-world.ts).
const MODEL = "mixtral-8x22b-instruct";
const PROVIDER = "simulator";

type Reply = { usage: { prompt_tokens: number; completion_tokens: number }; x_blockable: { request_id: string; provider: string; cost_micros: string } };

/** `baseURL`: another instance's origin (the second app); the Playwright one by default. */
async function chat(request: APIRequestContext, baseURL = ""): Promise<Reply> {
  const response = await request.post(`${baseURL}/api/v1/chat/completions`, {
    // Pinned to the route whose price the test changes.
    headers: { authorization: `Bearer ${demoApiKey("Acme AI")}`, "x-blockable-provider": PROVIDER },
    data: { model: MODEL, messages: [{ role: "user", content: "What does this cost?" }], max_tokens: 8 },
  });
  expect(response.status()).toBe(200);
  const reply = (await response.json()) as Reply;
  expect(reply.x_blockable.provider).toBe(PROVIDER);
  return reply;
}

/** DESIGN.md: ceil((in × inPrice + out × outPrice) / 1,000,000) µUSD, prices in µUSD per M tokens. */
function costAt(reply: Reply, inPrice: bigint, outPrice: bigint): bigint {
  return (BigInt(reply.usage.prompt_tokens) * inPrice + BigInt(reply.usage.completion_tokens) * outPrice + 999_999n) / 1_000_000n;
}

function routePrices(): { input: bigint; output: bigint } {
  const [row] = queryE2eDatabase<{ input: string; output: string }>(
    `SELECT CAST(r."inputPriceMicrosPerMTokens" AS TEXT) AS input, CAST(r."outputPriceMicrosPerMTokens" AS TEXT) AS output
     FROM "ModelRoute" r JOIN "Model" m ON m.id = r."modelId" JOIN "Provider" p ON p.id = r."providerId" WHERE m.slug = ? AND p.slug = ?`,
    MODEL,
    PROVIDER,
  );
  return { input: BigInt(row.input), output: BigInt(row.output) };
}

/** The cost the usage event of a request stores (its JSON reply settles just after it is sent). */
async function usageCost(requestId: string): Promise<bigint> {
  let cost: string | undefined;
  await expect
    .poll(() => {
      cost = queryE2eDatabase<{ cost: string }>(`SELECT CAST("costMicros" AS TEXT) AS cost FROM "UsageEvent" WHERE "requestId" = ?`, requestId)[0]?.cost;
      return cost;
    })
    .toBeDefined();
  return BigInt(cost!);
}

test.describe("the routing catalogue", () => {
  let second: SecondInstance;
  test.beforeAll(async () => {
    second = await startSecondInstance();
  });
  test.afterAll(async () => {
    await second?.stop();
  });

  test("a new price on /admin/models bills the next API call at it on every instance; earlier usage keeps its cost", async ({ page, request }) => {
    const before = routePrices();
    const earlier = await chat(request);
    expect(BigInt(earlier.x_blockable.cost_micros)).toBe(costAt(earlier, before.input, before.output));
    const earlierCost = await usageCost(earlier.x_blockable.request_id);
    // The second instance has served the model too: its catalogue is loaded with the old price.
    const earlierOnSecond = await chat(request, second.baseURL);
    expect(BigInt(earlierOnSecond.x_blockable.cost_micros)).toBe(costAt(earlierOnSecond, before.input, before.output));

    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/models");
    await expect(page.getByRole("heading", { level: 1, name: "Models and prices" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/models");

    const routes = page.getByRole("region", { name: "Routes and prices" });
    await routes.getByRole("searchbox", { name: "Filter rows" }).fill(MODEL);
    await routes.getByRole("button", { name: `Change price of ${MODEL} via ${PROVIDER}`, exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Input price (USD per 1M tokens)").fill("2.5");
    await dialog.getByLabel("Output price (USD per 1M tokens)").fill("7.25");
    await expect(dialog.getByText(/after the change/)).toBeVisible();
    await dialog.getByRole("button", { name: "Save price" }).click();
    await expect(page.getByText(`Price of ${MODEL} via ${PROVIDER} changed to $2.50 in / $7.25 out per 1M tokens, from the next request.`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(routes.getByRole("cell", { name: "$7.25" })).toBeVisible();
    expect(routePrices()).toEqual({ input: 2_500_000n, output: 7_250_000n });

    // The next call is billed at the new price, and the usage recorded before keeps its cost.
    const next = await chat(request);
    expect(BigInt(next.x_blockable.cost_micros)).toBe(costAt(next, 2_500_000n, 7_250_000n));
    expect(await usageCost(next.x_blockable.request_id)).toBe(costAt(next, 2_500_000n, 7_250_000n));
    expect(await usageCost(earlier.x_blockable.request_id)).toBe(earlierCost);
    // …and on the other instance, whose cached catalogue had the old price, the very next call too.
    const nextOnSecond = await chat(request, second.baseURL);
    expect(BigInt(nextOnSecond.x_blockable.cost_micros)).toBe(costAt(nextOnSecond, 2_500_000n, 7_250_000n));
    expect(await usageCost(nextOnSecond.x_blockable.request_id)).toBe(costAt(nextOnSecond, 2_500_000n, 7_250_000n));

    // Audited with before and after.
    const [audit] = queryE2eDatabase<{ detail: string }>(`SELECT "detailJson" AS detail FROM "AuditLog" WHERE action = 'modelRoute.priceChanged' ORDER BY at DESC LIMIT 1`);
    expect(JSON.parse(audit.detail)).toMatchObject({
      model: MODEL,
      provider: PROVIDER,
      before: { inputPriceMicrosPerMTokens: before.input.toString(), outputPriceMicrosPerMTokens: before.output.toString() },
      after: { inputPriceMicrosPerMTokens: "2500000", outputPriceMicrosPerMTokens: "7250000" },
    });
  });

  test("Test connection on the simulator provider succeeds, with its latency", async ({ page }) => {
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/providers");
    await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/providers");
    await expect(page.getByRole("button", { name: new RegExp(`^Circuit of ${PROVIDER}: (Closed|Open|Half-open) on this instance$`) })).toBeVisible();

    await page.getByRole("button", { name: `Test connection to ${PROVIDER}`, exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: /^Test passed · \d+ ms · Connected: Blockable Simulator answered/ })).toBeVisible();
  });
});
