// The routing API over real HTTP, on real SQLite and PostgreSQL, with the official `openai` client
// and the `ai` SDK's OpenAI-compatible provider; upstreams are the built-in simulator and fake
// OpenAI-compatible servers on 127.0.0.1.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { freezeCredits, getCreditBalances, issueCredits, sweepExpiredHolds } from "@/lib/server/ledger/ledger";
import { adapterFor } from "@/lib/server/providers/registry";
import { invalidateCatalog } from "./catalog";

const USD = 1_000_000n;

/**
 * A startup for the load tests (1,000 concurrent requests, 200 streams): they measure metering,
 * not the rate and concurrency limits (lib/server/limits tests those), so the limits stand aside.
 */
async function createUnlimitedStartup(db: TestDatabase["db"], creditsMicros: bigint) {
  const created = await createStartupWithKey(db, { creditsMicros, rpmLimit: 100_000 });
  await db.organization.update({ where: { id: created.org.id }, data: { maxConcurrentRequests: 100_000 } });
  return created;
}

/** One exact-chat request (20 output tokens at $10/M: exactly 200 µUSD, its own worst case). */
const postExactChat = (baseUrl: string, apiKey: string) =>
  fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "exact-chat", messages: [{ role: "user", content: "go" }], max_tokens: 20 }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

await describeEachProvider("routing API", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startGatewayServer>>;
  // Served as the app's route handler serves it: JSON replies settle after the response is sent.
  let deferred: Awaited<ReturnType<typeof startGatewayServer>>;
  let upstreamA: FakeUpstream;
  let upstreamB: FakeUpstream;
  /** Embeddings behind a one-failure breaker: a single miscounted attempt would open it. */
  let upstreamE: FakeUpstream;
  /** Refuses Blockable's credentials (401), like an upstream whose key was rotated. */
  let upstreamLocked: FakeUpstream;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    upstreamA = await startFakeUpstream({ outputTokens: 12 });
    upstreamB = await startFakeUpstream({ outputTokens: 12 });
    upstreamE = await startFakeUpstream({});
    upstreamLocked = await startFakeUpstream({ requireApiKey: "the-key-blockable-does-not-have" });
    await createCatalog(
      test.db,
      [
        { slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } },
        { slug: "sim-slow", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 20 } },
        // Slow enough that even the simulator's shortest reply (24 tokens) outlasts any test step.
        { slug: "sim-crawl", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 2 } },
        { slug: "fake-a", kind: "openai_compatible", baseUrl: upstreamA.url, breakerFailures: 2, breakerCooldownMs: 60_000 },
        { slug: "fake-b", kind: "openai_compatible", baseUrl: upstreamB.url },
        { slug: "sim-fragile", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 }, breakerFailures: 2 },
        { slug: "fake-e", kind: "openai_compatible", baseUrl: upstreamE.url, breakerFailures: 1, breakerCooldownMs: 60_000 },
        { slug: "fake-locked", kind: "openai_compatible", baseUrl: upstreamLocked.url, breakerFailures: 100 },
      ],
      [
        { slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
        // Input free, output at $10/M: with the simulator always writing max_tokens, cost == worst case.
        { slug: "exact-chat", routes: [{ provider: "sim", inputPrice: 0n, outputPrice: 10_000_000n }] },
        { slug: "slow-chat", routes: [{ provider: "sim-slow", inputPrice: 0n, outputPrice: 1_000_000n }] },
        { slug: "crawl-chat", routes: [{ provider: "sim-crawl", inputPrice: 0n, outputPrice: 1_000_000n }] },
        { slug: "sim-embed", kind: "embedding", routes: [{ provider: "sim", inputPrice: 20_000n, outputPrice: 0n }] },
        {
          slug: "failover-chat",
          routes: [
            { provider: "fake-a", priority: 0, inputPrice: 1_000_000n, outputPrice: 1_000_000n },
            { provider: "fake-b", priority: 1, inputPrice: 1_000_000n, outputPrice: 1_000_000n },
          ],
        },
        { slug: "passthrough-chat", routes: [{ provider: "fake-b", inputPrice: 1_000_000n, outputPrice: 1_000_000n }] },
        { slug: "fragile-chat", routes: [{ provider: "sim-fragile", inputPrice: 1_000_000n, outputPrice: 1_000_000n }] },
        { slug: "disconnect-embed", kind: "embedding", routes: [{ provider: "fake-e", inputPrice: 20_000n, outputPrice: 0n }] },
        {
          slug: "locked-embed",
          kind: "embedding",
          routes: [
            { provider: "fake-locked", priority: 0, inputPrice: 20_000n, outputPrice: 0n },
            { provider: "fake-b", priority: 1, inputPrice: 20_000n, outputPrice: 0n },
          ],
        },
      ],
    );
    invalidateCatalog(test.db);
    server = await startGatewayServer(test.db);
    deferred = await startGatewayServer(test.db, { settleAfterResponse: true });
  });

  afterAll(async () => {
    await server?.close();
    await deferred?.close();
    await upstreamA?.close();
    await upstreamB?.close();
    await upstreamE?.close();
    await upstreamLocked?.close();
    await test?.drop();
  });

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: server.baseUrl, maxRetries: 0 });

  it("serves models, chat (JSON and stream), embeddings, credits and usage to the official openai client", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);

    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(["sim-chat", "sim-embed"]));
    expect((await openai.models.retrieve("sim-chat")).id).toBe("sim-chat");

    const completion = await openai.chat.completions.create({ model: "sim-chat", messages: [{ role: "user", content: "Say hello" }], max_tokens: 20 });
    expect(completion.choices[0].message.content).toBeTruthy();
    const xb = (completion as unknown as { x_blockable: { provider: string; cost_micros: string; spendable_left_micros: string } }).x_blockable;
    expect(xb.provider).toBe("sim");
    const expectedCost = BigInt(Math.ceil(completion.usage!.prompt_tokens * 1 + completion.usage!.completion_tokens * 2));
    expect(BigInt(xb.cost_micros)).toBe(expectedCost);
    expect(BigInt(xb.spendable_left_micros)).toBe(10n * USD - expectedCost);

    const stream = await openai.chat.completions.create({ model: "sim-chat", messages: [{ role: "user", content: "Stream please" }], max_tokens: 10, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const embedding = await openai.embeddings.create({ model: "sim-embed", input: ["one", "two"] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0].embedding.length).toBeGreaterThan(0);

    const credits = await (await fetch(`${server.baseUrl}/account/credits`, { headers: { authorization: `Bearer ${plaintext}` } })).json();
    const balances = await getCreditBalances(test.db, org.id);
    expect(credits.spendable_micros).toBe(balances.spendableMicros.toString());
    expect(credits.held_micros).toBe("0");

    const today = new Date().toISOString().slice(0, 10);
    const usageReport = await (await fetch(`${server.baseUrl}/account/usage?start=${today}&end=${today}`, { headers: { authorization: `Bearer ${plaintext}` } })).json();
    expect(usageReport.total.requests).toBe(3);
    expect(BigInt(usageReport.total.cost_micros)).toBe(10n * USD - balances.spendableMicros);
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
  });

  it.each([
    ["an impossible date", "start=2026-99-99&end=2026-12-01", "start"],
    ["year zero, which used to skip the range cap", "start=0000-00-00&end=2026-12-01", "start"],
    ["a day that does not exist", "start=2026-01-01&end=2026-02-30", "end"],
    ["a range over the cap", "start=2025-01-01&end=2026-12-01", "start"],
  ])("/account/usage refuses %s with OpenAI's 400 naming the parameter", async (_label, query, param) => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const response = await fetch(`${server.baseUrl}/account/usage?${query}`, { headers: { authorization: `Bearer ${plaintext}` } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("works unchanged with the ai SDK's OpenAI-compatible provider, streaming included", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const blockable = createOpenAICompatible({ name: "blockable", baseURL: server.baseUrl, apiKey: plaintext, includeUsage: true });
    const generated = await generateText({ model: blockable("sim-chat"), prompt: "Hello there", maxOutputTokens: 16 });
    expect(generated.text.length).toBeGreaterThan(0);
    const streamed = streamText({ model: blockable("sim-chat"), prompt: "Stream to me", maxOutputTokens: 16 });
    let text = "";
    for await (const part of streamed.textStream) text += part;
    expect(text.length).toBeGreaterThan(0);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  it("passes tools, response_format, stop and seed through to an OpenAI-compatible upstream", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    await client(plaintext).chat.completions.create({
      model: "passthrough-chat",
      messages: [{ role: "user", content: "weather?" }],
      tools,
      response_format: { type: "json_object" },
      stop: ["END"],
      seed: 7,
      max_tokens: 30,
    });
    const sent = upstreamB.lastRequest!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: "passthrough-chat-upstream", tools, response_format: { type: "json_object" }, stop: ["END"], seed: 7, max_tokens: 30 });
  });

  it.each([
    ["a bad key is 401", { key: "sk-bl-not-a-real-key" }, 401, "invalid_api_key"],
    ["an unknown model is 404", { model: "no-such-model" }, 404, "model_not_found"],
    ["missing messages is 400 naming the field", { body: { model: "sim-chat" } }, 400, "invalid_request"],
    ["a cost cap below the worst case is 402", { headers: { "x-blockable-max-cost-micros": "1" } }, 402, "max_cost_exceeded"],
    ["more than the balance is 402", { credits: 10n }, 402, "insufficient_credits"],
  ])("%s, in OpenAI's error shape", async (_label, variant: { key?: string; model?: string; body?: unknown; headers?: Record<string, string>; credits?: bigint }, status, code) => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: variant.credits ?? 10n * USD });
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${variant.key ?? plaintext}`, "content-type": "application/json", ...variant.headers },
      body: JSON.stringify(variant.body ?? { model: variant.model ?? "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 50 }),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const body = await response.json();
    expect(body.error).toMatchObject({ code, type: expect.any(String), message: expect.any(String) });
    if (code === "invalid_request") expect(body.error.param).toBe("messages");
  });

  it("a body over the size limit is 413", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-chat", messages: [{ role: "user", content: "x".repeat(3 * 1024 * 1024) }] }),
    });
    expect(response.status).toBe(413);
  });

  it("1,000 concurrent requests on a balance that pays for exactly 500: 500 succeed, 500 get 402", async () => {
    // Each request costs exactly 20 output tokens × $10/M = 200 µUSD, its worst case.
    const { org, plaintext } = await createUnlimitedStartup(test.db, 500n * 200n);
    const results = await Promise.all(Array.from({ length: 1_000 }, () => postExactChat(server.baseUrl, plaintext)));
    const byStatus = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 200: 500, 402: 500 });
    expect(results.filter((r) => r.status === 402).every((r) => r.body.error.code === "insufficient_credits")).toBe(true);
    const balances = await getCreditBalances(test.db, org.id);
    expect(balances).toMatchObject({ spendableMicros: 0n, heldMicros: 0n });
    expect(await test.db.usageEvent.count({ where: { orgId: org.id, status: "ok" } })).toBe(500);
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
  });

  it("settled after the response: each reply's cost and spendable left are what its settlement then records", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = new OpenAI({ apiKey: plaintext, baseURL: deferred.baseUrl, maxRetries: 0 });
    for (const [index, content] of ["Say hello", "Now say something much longer than hello, please", "Bye"].entries()) {
      const completion = await openai.chat.completions.create({ model: "sim-chat", messages: [{ role: "user", content }], max_tokens: 10 + index * 15 });
      const xb = (completion as unknown as { x_blockable: { request_id: string; cost_micros: string; spendable_left_micros: string } }).x_blockable;
      await deferred.drain();
      const event = await test.db.usageEvent.findUniqueOrThrow({ where: { requestId: xb.request_id } });
      // sim-chat: $1/M input, $2/M output → 1 µUSD per prompt token, 2 per completion token.
      const expectedCost = BigInt(completion.usage!.prompt_tokens + 2 * completion.usage!.completion_tokens);
      expect({ cost: BigInt(xb.cost_micros), recorded: event.costMicros }).toEqual({ cost: expectedCost, recorded: expectedCost });
      const balances = await getCreditBalances(test.db, org.id);
      expect({ spendable: balances.spendableMicros, held: balances.heldMicros }).toEqual({ spendable: BigInt(xb.spendable_left_micros), held: 0n });
    }
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
  });

  it("settled after the response: 400 concurrent requests on a balance for exactly 200 → 200 succeed, 200 get 402, the ledger adds up", async () => {
    const { org, plaintext } = await createUnlimitedStartup(test.db, 200n * 200n);
    const results = await Promise.all(Array.from({ length: 400 }, () => postExactChat(deferred.baseUrl, plaintext)));
    await deferred.drain();
    const byStatus = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 200: 200, 402: 200 });
    expect(results.filter((r) => r.status === 200).every((r) => r.body.x_blockable.cost_micros === "200")).toBe(true);
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ spendableMicros: 0n, heldMicros: 0n });
    const recorded = await test.db.usageEvent.aggregate({ where: { orgId: org.id, status: "ok" }, _count: { _all: true }, _sum: { costMicros: true } });
    expect({ requests: recorded._count._all, costMicros: recorded._sum.costMicros }).toEqual({ requests: 200, costMicros: 200n * 200n });
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
    // Every request's concurrency slot is free again: the answered ones' with their settlement.
    await vi.waitFor(async () => expect(await test.db.inFlightRequest.count({ where: { orgId: org.id } })).toBe(0));
  });

  it("fails over on a 5xx before the first byte, then opens the failing provider's circuit", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    upstreamA.setFault("status:500");
    upstreamA.reset();
    const openai = client(plaintext);
    for (let i = 0; i < 3; i++) {
      const completion = await openai.chat.completions.create({ model: "failover-chat", messages: [{ role: "user", content: `try ${i}` }], max_tokens: 20 });
      expect((completion as unknown as { x_blockable: { provider: string } }).x_blockable.provider).toBe("fake-b");
    }
    // Two consecutive failures open fake-a's breaker: the third request never reached it.
    expect(upstreamA.requestCount).toBe(2);
    upstreamA.setFault(null);
  });

  it("answers 429 with retry-after when every provider rate-limits", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    upstreamB.setFault("status:429");
    try {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json", "x-blockable-provider": "fake-b" },
        body: JSON.stringify({ model: "failover-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await response.json()).error.code).toBe("upstream_rate_limited");
    } finally {
      upstreamB.setFault(null);
    }
  });

  it("ends a stream whose upstream resets mid-way with an error event, billing what was sent", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    upstreamB.setFault("reset-mid-stream:4");
    try {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "passthrough-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 50, stream: true }),
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('"code":"upstream_stream_broken"');
      expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    } finally {
      upstreamB.setFault(null);
    }
    await expect.poll(async () => (await test.db.usageEvent.findFirst({ where: { orgId: org.id } }))?.status).toBe("error");
    const event = (await test.db.usageEvent.findFirst({ where: { orgId: org.id } }))!;
    expect(event.outputTokens).toBeLessThan(50);
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ heldMicros: 0n, spendableMicros: 10n * USD - event.costMicros });
  });

  it("bills a client that disconnects mid-stream only for what it was sent", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const abort = new AbortController();
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "slow-chat", messages: [{ role: "user", content: "long story" }], max_tokens: 200, stream: true }),
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    let received = "";
    while ((received.match(/"content"/g) ?? []).length < 3) received += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    await expect.poll(async () => (await test.db.usageEvent.findFirst({ where: { orgId: org.id } }))?.status, { timeout: 5_000 }).toBe("aborted");
    const event = (await test.db.usageEvent.findFirst({ where: { orgId: org.id } }))!;
    expect(event.outputTokens).toBeGreaterThan(0);
    expect(event.outputTokens).toBeLessThan(200);
    expect(event.costMicros).toBe(BigInt(Math.ceil(event.outputTokens * 1)));
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ heldMicros: 0n, spendableMicros: 10n * USD - event.costMicros });
  });

  it("a freeze ends running streams within a second with credits_frozen and admits no new request", async () => {
    const { org, plaintext } = await createUnlimitedStartup(test.db, 0n);
    const loan = await test.db.loan.create({ data: { reference: `F-${org.id}`, startupOrgId: org.id, state: "ACTIVE", principalMicros: USD, multiplierBps: 12_500, termMonths: 12, pledgedMicros: 0n, purpose: "test" } });
    await issueCredits(test.db, { orgId: org.id, amountMicros: 5n * USD, idempotencyKey: `fin:${loan.id}`, kind: "FINANCED", loanId: loan.id });
    const openStream = async () => {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "crawl-chat", messages: [{ role: "user", content: "keep talking" }], max_tokens: 2_000, stream: true }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read(); // the stream is running
      return reader;
    };
    const readers = await Promise.all(Array.from({ length: 200 }, openStream));
    const spendable = (await getCreditBalances(test.db, org.id)).spendableMicros;
    await freezeCredits(test.db, { orgId: org.id, loanId: loan.id, amountMicros: spendable, captureInFlight: true });
    const frozenAt = Date.now();
    const holdsAfterFreeze = await test.db.hold.count({ where: { orgId: org.id } });

    const endings = await Promise.all(
      readers.map(async (reader) => {
        let text = "";
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        return { text, endedAfterMs: Date.now() - frozenAt };
      }),
    );
    expect(endings.every((e) => e.text.includes('"code":"credits_frozen"'))).toBe(true);
    expect(Math.max(...endings.map((e) => e.endedAfterMs))).toBeLessThan(1_000);

    const refused = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-chat", messages: [{ role: "user", content: "more" }], max_tokens: 5 }),
    });
    expect(refused.status).toBe(402);
    expect((await refused.json()).error.code).toBe("credits_frozen");
    expect(await test.db.hold.count({ where: { orgId: org.id } })).toBe(holdsAfterFreeze);
    await expect.poll(() => test.db.hold.count({ where: { orgId: org.id, status: "ACTIVE" } })).toBe(0);
    expect(await test.db.usageEvent.count({ where: { orgId: org.id, status: "frozen" } })).toBe(200);
    // What the stopped streams did not spend was frozen too, not returned to spendable.
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ spendableMicros: 0n, heldMicros: 0n });
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
  });

  it("a hold left by a crash between the upstream reply and settlement is voided exactly once by the sweeper", async () => {
    const { org } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const { reserveHold, settleHold } = await import("@/lib/server/ledger/ledger");
    const hold = await reserveHold(test.db, { orgId: org.id, requestId: `crash-${org.id}`, amountMicros: 1_000n, now: new Date(Date.now() - 60_000), ttlMs: 1_000 });
    const later = new Date();
    const [first, second] = await Promise.all([sweepExpiredHolds(test.db, later, { orgId: org.id }), sweepExpiredHolds(test.db, later, { orgId: org.id })]);
    expect(first + second).toBe(1);
    const late = await settleHold(test.db, { holdId: hold.id, actualMicros: 500n, now: later });
    expect(late.alreadyResolved).toBe(true);
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ spendableMicros: USD, heldMicros: 0n });
  });

  // ───────────── Streams in OpenAI's shape (issue 17) ─────────────

  type StreamEvent = Record<string, unknown> | "[DONE]";
  /** A chat stream read raw, as `data:` payloads: what every client parses. */
  async function readChatStream(apiKey: string, body: Record<string, unknown>) {
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "Tell me a short story" }], max_tokens: 12, stream: true, ...body }),
    });
    expect(response.status).toBe(200);
    const events: StreamEvent[] = (await response.text())
      .split("\n\n")
      .filter((block) => block.trim() !== "")
      .map((block) => {
        const data = block.replace(/^data: /, "");
        return data === "[DONE]" ? "[DONE]" : (JSON.parse(data) as Record<string, unknown>);
      });
    const chunks = events.filter((event): event is Record<string, unknown> => event !== "[DONE]");
    return { events, chunks, requestId: response.headers.get("x-request-id") };
  }
  const choicesOf = (chunk: Record<string, unknown>) => chunk.choices as Array<{ delta: { content?: string }; finish_reason: string | null }>;

  it.each([
    ["the simulator", "sim-chat", "sim"],
    ["an OpenAI-compatible upstream (which sends its own usage chunk)", "passthrough-chat", "fake-b"],
  ])("a stream from %s without include_usage: every chunk has a choice, one id, the public model; the last carries finish_reason and x_blockable", async (_label, model, providerSlug) => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const { events, chunks, requestId } = await readChatStream(plaintext, { model });
    expect(events.at(-1)).toBe("[DONE]");
    // The most common client loop reads choices[0].delta of every chunk.
    expect(chunks.every((chunk) => choicesOf(chunk).length > 0)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set([`chatcmpl-${requestId}`]));
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set([model]));
    const last = chunks.at(-1)!;
    expect(choicesOf(last)[0].finish_reason).toBeTruthy();
    expect(last.x_blockable).toMatchObject({ request_id: requestId, provider: providerSlug, cost_micros: expect.stringMatching(/^\d+$/), spendable_left_micros: expect.stringMatching(/^\d+$/) });
    expect(chunks.slice(0, -1).some((chunk) => "x_blockable" in chunk || chunk.usage)).toBe(false);
    expect(chunks.map((chunk) => choicesOf(chunk)[0].delta.content ?? "").join("").length).toBeGreaterThan(0);
  });

  it.each([
    ["the simulator", "sim-chat"],
    ["an OpenAI-compatible upstream", "passthrough-chat"],
  ])("a stream from %s with include_usage ends with our usage chunk (empty choices, billed usage, x_blockable), one id throughout", async (_label, model) => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const { events, chunks, requestId } = await readChatStream(plaintext, { model, stream_options: { include_usage: true } });
    expect(events.at(-1)).toBe("[DONE]");
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set([`chatcmpl-${requestId}`]));
    const empties = chunks.filter((chunk) => choicesOf(chunk).length === 0);
    expect(empties).toEqual([chunks.at(-1)]);
    const last = chunks.at(-1)!;
    const event = await test.db.usageEvent.findUniqueOrThrow({ where: { requestId: requestId! } });
    expect(last.usage).toEqual({ prompt_tokens: event.inputTokens, completion_tokens: event.outputTokens, total_tokens: event.inputTokens + event.outputTokens });
    expect((last.x_blockable as { cost_micros: string }).cost_micros).toBe(event.costMicros.toString());
    expect(chunks.some((chunk) => choicesOf(chunk)[0]?.finish_reason)).toBe(true);
    expect((await getCreditBalances(test.db, org.id)).heldMicros).toBe(0n);
  });

  // ───────────── Parameters and bodies (issue 17) ─────────────

  const postChat = (apiKey: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it.each<[string, Record<string, unknown>, string]>([
    ["logprobs: true", { logprobs: true }, "logprobs"],
    ["top_logprobs", { top_logprobs: 2 }, "top_logprobs"],
    ["n = 2", { n: 2 }, "n"],
    ["a logit_bias", { logit_bias: { "1234": 5 } }, "logit_bias"],
    ["audio output", { modalities: ["text", "audio"], audio: { voice: "alloy", format: "mp3" } }, "audio"],
  ])("%s is a 400 naming the parameter, and costs nothing", async (_label, extra, param) => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const response = await postChat(plaintext, { model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5, ...extra });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", code: "unsupported_parameter", param });
    expect(await test.db.hold.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("logprobs: false and the parameters that only tune a request are accepted", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const completion = await client(plaintext).chat.completions.create({
      model: "sim-chat",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 5,
      logprobs: false,
      user: "end-user-1",
      metadata: { team: "a" },
      store: false,
      service_tier: "auto",
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
    });
    expect(completion.choices[0].message.content).toBeTruthy();
  });

  it.each<[string, unknown, string | null]>([
    ["a null message", { messages: [null] }, "messages.0"],
    ["a content part that is not an object", { messages: [{ role: "user", content: [1] }] }, "messages.0.content.0"],
    ["a text part without text", { messages: [{ role: "user", content: [{ type: "text" }] }] }, "messages.0.content.0.text"],
    ["an image part without a url", { messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] }, "messages.0.content.0.image_url.url"],
    ["content that is a number", { messages: [{ role: "user", content: 5 }] }, "messages.0.content"],
    ["a tool message that answers nothing", { messages: [{ role: "tool", content: "42" }] }, "messages.0.tool_call_id"],
    ["a tool call without a name", { messages: [{ role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { arguments: "{}" } }] }] }, "messages.0.tool_calls.0.function.name"],
    ["tools that are not objects", { tools: [1] }, "tools.0"],
    ["a tool without its function", { tools: [{ type: "function" }] }, "tools.0.function"],
    ["a tool whose parameters are an array", { tools: [{ type: "function", function: { name: "f", parameters: [] } }] }, "tools.0.function.parameters"],
    ["a tool_choice naming no given tool", { tools: [{ type: "function", function: { name: "f" } }], tool_choice: { type: "function", function: { name: "g" } } }, "tool_choice"],
    ["an unknown response_format", { response_format: { type: "xml" } }, "response_format.type"],
    ["a json_schema format without its schema object", { response_format: { type: "json_schema" } }, "response_format.json_schema"],
    ["stream_options that are a string", { stream_options: "yes" }, "stream_options"],
    ["a model that is a number", { model: 5 }, "model"],
    ["a body that is an array", [], null],
    ["a body that is null", null, null],
  ])("%s is a 400 naming the field, never a 500", async (_label, variant, param) => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const body = variant !== null && typeof variant === "object" && !Array.isArray(variant) ? { model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5, ...variant } : variant;
    const response = await postChat(plaintext, JSON.stringify(body));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param });
    if (param) expect(error.message).toContain(param);
  });

  /**
   * `levels` arrays inside one another (`[[[]]]` is 3), spliced into the body's text: deep enough
   * values overflow JSON.stringify itself.
   */
  const nestedArrays = (levels: number) => `__nested_arrays_${levels}__`;
  const spliceNesting = (text: string) => text.replace(/"__nested_arrays_(\d+)__"/g, (_match, levels: string) => "[".repeat(Number(levels)) + "]".repeat(Number(levels)));
  /** A JSON Schema nested `levels` objects deep (each level `{type, properties: {child: …}}` adds 2). */
  const nestedSchema = (levels: number): Record<string, unknown> => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { child: schema } };
    return schema;
  };

  it.each<[string, Record<string, unknown>, number, string | null]>([
    // The body is level 1, so 63 arrays in a field make 64 levels: the most accepted.
    ["64 levels in all is accepted", { x_nesting: nestedArrays(63) }, 200, null],
    ["65 levels is refused, naming the field", { x_nesting: nestedArrays(64) }, 400, "x_nesting.0.0.0.0.0…"],
    ["a response_format schema nested 100 objects deep", { response_format: { type: "json_schema", json_schema: { name: "deep", schema: nestedSchema(100) } } }, 400, "response_format.json_schema.schema.properties.child.properties…"],
    [
      "tools nested 100,000 levels deep (a 200 KB body, checked before it is parsed)",
      { tools: [{ type: "function", function: { name: "f", parameters: { type: "object", properties: { a: nestedArrays(100_000) } } } }] },
      400,
      "tools.0.function.parameters.properties.a…",
    ],
  ])("JSON depth: %s", async (_label, extra, status, param) => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const response = await postChat(plaintext, spliceNesting(JSON.stringify({ model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5, ...extra })));
    expect(response.status).toBe(status);
    if (status === 400) expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", code: "json_too_deep", param });
  });

  it("rate-limit headers are on every reply after admission, errors included", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    const ok = await postChat(plaintext, { model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5 });
    const unknownModel = await postChat(plaintext, { model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
    const badBody = await postChat(plaintext, "{not json");
    for (const response of [ok, unknownModel, badBody]) expect(response.headers.get("x-ratelimit-limit-requests")).toMatch(/^\d+$/);
    expect([ok.status, unknownModel.status, badBody.status]).toEqual([200, 404, 400]);
    expect(Number(badBody.headers.get("x-ratelimit-remaining-requests"))).toBeLessThan(Number(ok.headers.get("x-ratelimit-remaining-requests")));
  });

  it("an organisation allowed one request at a time gets its slot back however each request ended", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    await test.db.organization.update({ where: { id: org.id }, data: { maxConcurrentRequests: 1 } });
    // The slot is freed as the request ends, a moment after its last byte: retry a 429 briefly.
    const admitted = async (send: () => Promise<Response>) => {
      for (let tries = 0; ; tries++) {
        const response = await send();
        if (response.status !== 429 || tries >= 20) return response;
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const chat = (body: Record<string, unknown>) => () => postChat(plaintext, { model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5, ...body });
    expect((await admitted(chat({}))).status).toBe(200);
    expect((await admitted(chat({ model: "no-such-model" }))).status).toBe(404);
    const streamed = await admitted(chat({ stream: true }));
    expect((await streamed.text()).trim().endsWith("[DONE]")).toBe(true);
    // A stream the client leaves half-way.
    const abort = new AbortController();
    const leaving = await admitted(() =>
      fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "slow-chat", messages: [{ role: "user", content: "long" }], max_tokens: 200, stream: true }),
        signal: abort.signal,
      }),
    );
    await leaving.body!.getReader().read();
    abort.abort();
    const last = await admitted(chat({}));
    expect(last.status).toBe(200);
  });

  // ───────────── One failover loop: what counts against a provider (issue 17) ─────────────

  it("embeddings: a client that disconnects is not the provider's failure (its one-failure breaker stays closed)", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    upstreamE.setFault("delay:5000");
    upstreamE.reset();
    const abort = new AbortController();
    try {
      const pending = fetch(`${server.baseUrl}/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "disconnect-embed", input: "left before the answer" }),
        signal: abort.signal,
      }).catch(() => null);
      await expect.poll(() => upstreamE.requests.some((r) => r.state === "delaying")).toBe(true);
      abort.abort();
      await pending;
      await expect.poll(async () => (await test.db.usageEvent.findFirst({ where: { orgId: org.id } }))?.status).toBe("aborted");
    } finally {
      upstreamE.setFault(null);
    }
    expect((await test.db.usageEvent.findFirstOrThrow({ where: { orgId: org.id } })).costMicros).toBe(0n);
    const after = await client(plaintext).embeddings.create({ model: "disconnect-embed", input: "still served" });
    expect((after as unknown as { x_blockable: { provider: string } }).x_blockable.provider).toBe("fake-e");
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ heldMicros: 0n });
  });

  it("embeddings: an upstream refusing our credentials fails over, and alone is a 502 upstream_auth_failed (not the client's 400)", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: USD });
    upstreamLocked.reset();
    const served = await client(plaintext).embeddings.create({ model: "locked-embed", input: "hello" });
    expect((served as unknown as { x_blockable: { provider: string } }).x_blockable.provider).toBe("fake-b");
    expect(upstreamLocked.requestCount).toBe(1);
    const pinned = await fetch(`${server.baseUrl}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json", "x-blockable-provider": "fake-locked" },
      body: JSON.stringify({ model: "locked-embed", input: "hello" }),
    });
    expect(pinned.status).toBe(502);
    const { error } = await pinned.json();
    expect(error).toMatchObject({ code: "upstream_auth_failed", type: "api_error" });
    expect(error.message).not.toContain("the-key-blockable-does-not-have");
  });

  it("a burst of requests whose content makes the adapter throw: 400s, the breaker stays closed, other tenants are served", async () => {
    // Stands for any input an adapter cannot take (a schema nested to overflow the simulator's
    // stack, say): the adapter throws on the request's own content before any upstream answers.
    const simulator = adapterFor("simulator");
    const original = simulator.chat.bind(simulator);
    const chat = vi.spyOn(simulator, "chat").mockImplementation(async (request, context) => {
      if (JSON.stringify(request.messages).includes("HOSTILE")) throw new RangeError("Maximum call stack size exceeded");
      return original(request, context);
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const attacker = await createStartupWithKey(test.db, { creditsMicros: USD });
      const refused = await Promise.all(
        Array.from({ length: 12 }, (_, i) => postChat(attacker.plaintext, { model: "fragile-chat", messages: [{ role: "user", content: `HOSTILE ${i}` }], max_tokens: 5 }).then(async (r) => ({ status: r.status, body: await r.json() }))),
      );
      expect(refused.every((r) => r.status === 400 && r.body.error.code === "invalid_request")).toBe(true);
      expect(await getCreditBalances(test.db, attacker.org.id)).toMatchObject({ spendableMicros: USD, heldMicros: 0n });

      const other = await createStartupWithKey(test.db, { creditsMicros: USD });
      const completion = await client(other.plaintext).chat.completions.create({ model: "fragile-chat", messages: [{ role: "user", content: "hello" }], max_tokens: 5 });
      expect((completion as unknown as { x_blockable: { provider: string } }).x_blockable.provider).toBe("sim-fragile");
    } finally {
      chat.mockRestore();
      warn.mockRestore();
    }
  });
});
