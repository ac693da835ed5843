import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoApiKey, expectOnPath, signIn, startSecondInstance } from "./support";

// Hostile input against the built app: no request may hurt the others. Acme AI's demo key pays
// (a healthy loan: the cents spent here change nothing other specs read).
const apiKey = demoApiKey("Acme AI");
const MODEL = "gpt-4o-mini";
const auth = { authorization: `Bearer ${apiKey}` };

function chat(request: APIRequestContext, data: unknown, key = apiKey) {
  return request.post("/api/v1/chat/completions", { headers: { authorization: `Bearer ${key}` }, data, timeout: 60_000 });
}

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let level = 0; level < depth; level++) schema = { type: "object", properties: { inner: schema }, required: ["inner"] };
  return schema;
}

test("a 100 KB one-word message is answered or refused at once, and does not delay anyone else", async ({ request, baseURL }) => {
  const huge = "x".repeat(100_000);
  const hugeStartedMs = Date.now();
  const hugeReply = chat(request, { model: MODEL, messages: [{ role: "user", content: huge }], max_tokens: 8 }).then((response) => ({ status: response.status(), elapsedMs: Date.now() - hugeStartedMs }));
  // Another tenant's request sent while the big one is being counted.
  const otherStartedMs = Date.now();
  const other = await fetch(`${baseURL}/api/v1/models`, { headers: auth });
  const otherElapsedMs = Date.now() - otherStartedMs;
  expect(other.status).toBe(200);
  const { status, elapsedMs } = await hugeReply;
  expect([200, 400]).toContain(status);
  // Bounds far above a healthy server's figures (milliseconds) and far below the seconds a
  // quadratic tokenizer stalled everything for.
  expect(otherElapsedMs).toBeLessThan(1_500);
  expect(elapsedMs).toBeLessThan(5_000);
});

test("JSON nested deeper than 64 levels is a 400 naming the field; deep tools are not a 500", async ({ request }) => {
  const deep = await chat(request, {
    model: MODEL,
    messages: [{ role: "user", content: "hi" }],
    response_format: { type: "json_schema", json_schema: { name: "deep", schema: nested(80) } },
  });
  expect(deep.status()).toBe(400);
  const body = await deep.json();
  expect(body.error.code).toBe("json_too_deep");
  expect(body.error.param).toMatch(/^response_format\.json_schema\.schema/);

  const deepTools = await chat(request, {
    model: MODEL,
    messages: [{ role: "user", content: "hi" }],
    tools: [{ type: "function", function: { name: "deep", parameters: nested(40) } }],
  });
  expect(deepTools.status()).toBeLessThan(500);

  const malformed = await request.post("/api/v1/chat/completions", { headers: { ...auth, "content-type": "application/json" }, data: Buffer.from('{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": ') });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.code).toBe("invalid_json");
});

test("a burst of requests that fail on their own content leaves the breakers closed for everyone", async ({ request }) => {
  // Schemas just inside the depth limit: hard for the simulator, legal for the API.
  const hostile = { model: MODEL, messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: { name: "deep", schema: nested(30) } } };
  const statuses = await Promise.all(Array.from({ length: 8 }, () => chat(request, hostile).then((response) => response.status())));
  for (const status of statuses) expect(status).not.toBe(500);
  const normal = await chat(request, { model: MODEL, messages: [{ role: "user", content: "Still routing?" }], max_tokens: 8 });
  expect(normal.status()).toBe(200);
});

test("a key's rate limit is shared by every instance: 429 with retry-after and x-ratelimit headers", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signIn(page, "dev@acme-ai.example");
  await expectOnPath(page, "/startup");
  await page.goto("/startup/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog");
  await create.getByLabel("Key name").fill(`Rate limited ${Date.now().toString(36)}`);
  await create.getByLabel("Rate limit (requests per minute, optional)").fill("4");
  await create.getByRole("button", { name: "Create key" }).click();
  const limitedKey = await create.getByRole("textbox", { name: "API key" }).inputValue();
  await create.getByRole("button", { name: "Done" }).click();

  const second = await startSecondInstance();
  try {
    const body = { model: MODEL, messages: [{ role: "user", content: "count me" }], max_tokens: 4 };
    const first = await chat(request, body, limitedKey);
    expect(first.status()).toBe(200);
    expect(first.headers()["x-ratelimit-limit-requests"]).toBe("4");
    expect(first.headers()["x-ratelimit-remaining-requests"]).toBe("3");
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${second.baseURL}/api/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${limitedKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
    }
    const refused = await chat(request, body, limitedKey);
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect(refused.headers()["x-ratelimit-remaining-requests"]).toBe("0");
    expect(refused.headers()["x-ratelimit-reset-requests"]).toMatch(/^\d+(ms|s|m)/);
    const error = (await refused.json()).error;
    expect(error.type).toBe("rate_limit_error");
    expect(error.message).toContain("4 requests per minute");
  } finally {
    await second.stop();
  }
});
