import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { formatMicros } from "../lib/domain/money";
import { spendDecimals } from "../components/startup/keys/snippets";
import { expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

// The startup CTO's API keys: create one (shown once), call the routing API with it through the
// official `openai` client, see its last use and this month's spend, revoke it, and the next call is 401.
test("create an API key, use it with the openai client, see its spend, revoke it and get 401", async ({ page, baseURL }) => {
  const name = `E2E key ${Date.now().toString(36)}`;
  await signIn(page, "cto@lumen-labs.example");
  await expectOnPath(page, "/startup");
  await page.goto("/startup/keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  // The quickstart points at this install's real base URL.
  await expect(page.getByRole("region", { name: "Quickstart" }).getByText(`${baseURL}/api/v1`).first()).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog");
  await create.getByLabel("Key name").fill(name);
  await create.getByLabel("Rate limit (requests per minute, optional)").fill("600");
  await create.getByRole("button", { name: "Create key" }).click();
  const secret = create.getByRole("textbox", { name: "API key" });
  await expect(secret).toHaveValue(/^sk-bl-[0-9A-Za-z]{33}$/);
  await expect(create.getByRole("button", { name: "Copy key" })).toBeVisible();
  const apiKey = await secret.inputValue();
  await create.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // The quickstart now names the new key by its prefix, never in full.
  await expect(page.getByRole("region", { name: "Quickstart" }).getByText(`${apiKey.slice(0, 12)}…`).first()).toBeVisible();
  await expect(page.getByText(apiKey)).toHaveCount(0);

  const openai = new OpenAI({ apiKey, baseURL: `${baseURL}/api/v1`, maxRetries: 0 });
  const models = await openai.models.list();
  const chatModel = models.data.find((m) => (m as unknown as { x_blockable: { kind: string } }).x_blockable.kind === "chat")!;
  const completion = await openai.chat.completions.create({ model: chatModel.id, messages: [{ role: "user", content: "Hello from the keys e2e test" }], max_tokens: 8 });
  expect(completion.choices[0].message.content).toBeTruthy();
  const costMicros = BigInt((completion as unknown as { x_blockable: { cost_micros: string } }).x_blockable.cost_micros);
  expect(costMicros).toBeGreaterThan(0n);

  // The reply settles just after it is sent: reload until the row shows the use and the spend.
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText(formatMicros(costMicros, { decimals: spendDecimals(costMicros) }), { timeout: 1_000 });
    await expect(row).toContainText("1 req.", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(row).not.toContainText("Never");
  await expect(row).toContainText("600 / min");
  await expect(row.getByText("Active")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/startup/keys");

  await row.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText(`${apiKey.slice(0, 12)}…`);
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row.getByText(/Revoked/)).toBeVisible();
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  const refused = await openai.chat.completions.create({ model: chatModel.id, messages: [{ role: "user", content: "Still there?" }], max_tokens: 8 }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
  expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe("invalid_api_key");
});
