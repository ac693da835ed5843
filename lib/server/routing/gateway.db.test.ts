// The routing API over real HTTP, on real SQLite and PostgreSQL, with the official `openai` client
// and the `ai` SDK's OpenAI-compatible provider; upstreams are the built-in simulator and fake
// OpenAI-compatible servers on 127.0.0.1.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { freezeCredits, getCreditBalances, issueCredits, sweepExpiredHolds } from "@/lib/server/ledger/ledger";
import { invalidateCatalog } from "./catalog";

const USD = 1_000_000n;

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

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    upstreamA = await startFakeUpstream({ outputTokens: 12 });
    upstreamB = await startFakeUpstream({ outputTokens: 12 });
    await createCatalog(
      test.db,
      [
        { slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } },
        { slug: "sim-slow", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 20 } },
        { slug: "fake-a", kind: "openai_compatible", baseUrl: upstreamA.url, breakerFailures: 2, breakerCooldownMs: 60_000 },
        { slug: "fake-b", kind: "openai_compatible", baseUrl: upstreamB.url },
      ],
      [
        { slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
        // Input free, output at $10/M: with the simulator always writing max_tokens, cost == worst case.
        { slug: "exact-chat", routes: [{ provider: "sim", inputPrice: 0n, outputPrice: 10_000_000n }] },
        { slug: "slow-chat", routes: [{ provider: "sim-slow", inputPrice: 0n, outputPrice: 1_000_000n }] },
        { slug: "sim-embed", kind: "embedding", routes: [{ provider: "sim", inputPrice: 20_000n, outputPrice: 0n }] },
        {
          slug: "failover-chat",
          routes: [
            { provider: "fake-a", priority: 0, inputPrice: 1_000_000n, outputPrice: 1_000_000n },
            { provider: "fake-b", priority: 1, inputPrice: 1_000_000n, outputPrice: 1_000_000n },
          ],
        },
        { slug: "passthrough-chat", routes: [{ provider: "fake-b", inputPrice: 1_000_000n, outputPrice: 1_000_000n }] },
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
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 500n * 200n });
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
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 200n * 200n });
    const results = await Promise.all(Array.from({ length: 400 }, () => postExactChat(deferred.baseUrl, plaintext)));
    await deferred.drain();
    const byStatus = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 200: 200, 402: 200 });
    expect(results.filter((r) => r.status === 200).every((r) => r.body.x_blockable.cost_micros === "200")).toBe(true);
    expect(await getCreditBalances(test.db, org.id)).toMatchObject({ spendableMicros: 0n, heldMicros: 0n });
    const recorded = await test.db.usageEvent.aggregate({ where: { orgId: org.id, status: "ok" }, _count: { _all: true }, _sum: { costMicros: true } });
    expect({ requests: recorded._count._all, costMicros: recorded._sum.costMicros }).toEqual({ requests: 200, costMicros: 200n * 200n });
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
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
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 0n });
    const loan = await test.db.loan.create({ data: { reference: `F-${org.id}`, startupOrgId: org.id, state: "ACTIVE", principalMicros: USD, multiplierBps: 12_500, termMonths: 12, pledgedMicros: 0n, purpose: "test" } });
    await issueCredits(test.db, { orgId: org.id, amountMicros: 5n * USD, idempotencyKey: `fin:${loan.id}`, kind: "FINANCED", loanId: loan.id });
    const openStream = async () => {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "slow-chat", messages: [{ role: "user", content: "keep talking" }], max_tokens: 2_000, stream: true }),
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
});
