// OpenAI's Responses API (`POST /api/v1/responses`) over real HTTP, on real SQLite and PostgreSQL,
// with the clients that call it unmodified: the official `openai` SDK (create, stream, parse), the
// Vercel AI SDK, whose default `openai(model)` speaks the Responses API, and LangChain's
// ChatOpenAI with `useResponsesApi`. Upstreams are the
// built-in simulator and a fake OpenAI-compatible server on 127.0.0.1.
import { createOpenAI } from "@ai-sdk/openai";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool as langchainTool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { generateObject, generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { invalidateCatalog } from "./catalog";

const USD = 1_000_000n;
const Weather = z.object({ city: z.string(), temperatureC: z.number() });
type XBlockable = { request_id: string; provider: string; cost_micros: string; spendable_left_micros: string };
type SseEvent = { event: string | null; data: Record<string, unknown> & { type: string; sequence_number: number } };

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Current weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  strict: true,
};

await describeEachProvider("Responses API", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startGatewayServer>>;
  // Served as the app's route serves it: a JSON reply settles after the response is sent.
  let deferred: Awaited<ReturnType<typeof startGatewayServer>>;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    upstream = await startFakeUpstream({ outputTokens: 12 });
    await createCatalog(
      test.db,
      [
        { slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } },
        { slug: "fake", kind: "openai_compatible", baseUrl: upstream.url },
      ],
      [
        { slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
        { slug: "passthrough-chat", routes: [{ provider: "fake", inputPrice: 1_000_000n, outputPrice: 1_000_000n }] },
      ],
    );
    invalidateCatalog(test.db);
    server = await startGatewayServer(test.db);
    deferred = await startGatewayServer(test.db, { settleAfterResponse: true });
  });

  afterAll(async () => {
    await server?.close();
    await deferred?.close();
    await upstream?.close();
    await test?.drop();
  });

  const client = (apiKey: string, baseURL = server.baseUrl) => new OpenAI({ apiKey, baseURL, maxRetries: 0 });
  const xBlockableOf = (response: unknown) => (response as { x_blockable: XBlockable }).x_blockable;

  /** The request's usage event and its hold: one of each, the hold settled at the event's cost. */
  async function ledgerOf(requestId: string) {
    const event = await test.db.usageEvent.findUniqueOrThrow({ where: { requestId } });
    const hold = await test.db.hold.findUniqueOrThrow({ where: { requestId } });
    return { event, hold };
  }

  /** Every request over, streams included, gives its organisation's concurrency slot back. */
  const expectConcurrencySlotsFreed = (orgId: string) => expect.poll(() => test.db.inFlightRequest.count({ where: { orgId } })).toBe(0);

  async function postResponses(apiKey: string, body: unknown) {
    return fetch(`${server.baseUrl}/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** A stream as raw SSE frames: the `event:` line and the parsed `data:`. */
  async function readEvents(response: Response): Promise<SseEvent[]> {
    return (await response.text())
      .split("\n\n")
      .filter((block) => block.trim() !== "")
      .map((block) => {
        const event = /^event: (.+)$/m.exec(block)?.[1] ?? null;
        const data = /^data: (.+)$/m.exec(block)![1];
        return { event, data: JSON.parse(data) as SseEvent["data"] };
      });
  }

  it("answers responses.create with a Response object, metered and settled like chat (endpoint responses)", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const response = await client(plaintext).responses.create({ model: "sim-chat", instructions: "Answer briefly.", input: "What does a compute credit buy?", metadata: { run: "1" } });

    expect(response).toMatchObject({ object: "response", status: "completed", model: "sim-chat", instructions: "Answer briefly.", store: true, metadata: { run: "1" }, error: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(response.output_text.length).toBeGreaterThan(0);

    const xb = xBlockableOf(response);
    expect(xb).toMatchObject({ provider: "sim", request_id: expect.stringMatching(/^req_/) });
    expect(response.id).toBe(xb.request_id.replace(/^req_/, "resp_"));
    const { event, hold } = await ledgerOf(xb.request_id);
    expect(event).toMatchObject({ endpoint: "responses", status: "ok", modelSlug: "sim-chat", providerSlug: "sim", inputTokens: response.usage!.input_tokens, outputTokens: response.usage!.output_tokens });
    // $1/M in, $2/M out: the reply's cost is the usage's, and what the ledger recorded.
    const expectedCost = BigInt(response.usage!.input_tokens + 2 * response.usage!.output_tokens);
    expect(event.costMicros).toBe(expectedCost);
    expect(BigInt(xb.cost_micros)).toBe(expectedCost);
    expect(hold).toMatchObject({ status: "SETTLED", settledMicros: expectedCost });
    expect(response.usage).toMatchObject({ total_tokens: response.usage!.input_tokens + response.usage!.output_tokens, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } });
    const balances = await getCreditBalances(test.db, org.id);
    expect(balances).toMatchObject({ heldMicros: 0n, spendableMicros: 10n * USD - expectedCost });
    expect(BigInt(xb.spendable_left_micros)).toBe(balances.spendableMicros);
    expect(await test.db.usageEvent.count({ where: { orgId: org.id } })).toBe(1);
    expect((await checkLedgerHealth(test.db, { orgId: org.id })).violations).toEqual([]);
  });

  it("streams with OpenAI's event types: event: lines, sequence numbers, deltas that add up to the completed response", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const response = await postResponses(plaintext, { model: "sim-chat", input: [{ role: "user", content: "Stream a sentence about routing." }], stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);

    for (const { event, data } of events) expect(event).toBe(data.type);
    expect(events.map(({ data }) => data.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0].data.type).toBe("response.created");
    expect(events[1].data.type).toBe("response.in_progress");
    expect(events.at(-1)!.data.type).toBe("response.completed");
    const streamed = events.filter(({ data }) => data.type === "response.output_text.delta").map(({ data }) => data.delta as string);
    expect(streamed.length).toBeGreaterThan(1);
    const completed = events.at(-1)!.data.response as { output_text: string; usage: { input_tokens: number; output_tokens: number }; x_blockable: XBlockable };
    expect(completed.output_text).toBe(streamed.join(""));

    const requestId = response.headers.get("x-request-id")!;
    const { event, hold } = await ledgerOf(requestId);
    expect(event).toMatchObject({ endpoint: "responses", status: "ok", inputTokens: completed.usage.input_tokens, outputTokens: completed.usage.output_tokens });
    expect(completed.x_blockable).toMatchObject({ request_id: requestId, provider: "sim", cost_micros: event.costMicros.toString() });
    expect(hold.status).toBe("SETTLED");
    expect((await getCreditBalances(test.db, org.id)).heldMicros).toBe(0n);
  });

  it("works with the openai SDK's stream loop and its strict responses.stream() accumulator", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const stream = await openai.responses.create({ model: "sim-chat", input: "Tell me about credits.", stream: true });
    let text = "";
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(completed!.output_text).toBe(text);

    const helper = openai.responses.stream({ model: "sim-chat", input: "Tell me about collateral." });
    let helperText = "";
    helper.on("response.output_text.delta", (event) => (helperText += event.delta));
    const final = await helper.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe(helperText);
    expect(final.usage!.output_tokens).toBeGreaterThan(0);
  });

  it("runs a function tool round trip: a function_call, then a text answer from its function_call_output", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const input: OpenAI.Responses.ResponseInput = [{ role: "user", content: "What is the weather in Oslo?" }];
    const first = await openai.responses.create({ model: "sim-chat", input, tools: [weatherTool] });
    const calls = first.output.filter((item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === "function_call");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: "get_weather", status: "completed", id: expect.stringMatching(/^fc_/), call_id: expect.any(String) });
    expect(() => JSON.parse(calls[0].arguments)).not.toThrow();

    // The call items go back as they came (id and status included), followed by the tool's result.
    const second = await openai.responses.create({
      model: "sim-chat",
      tools: [weatherTool],
      input: [...input, ...calls, { type: "function_call_output", call_id: calls[0].call_id, output: JSON.stringify({ city: "Oslo", temperatureC: 17 }) }],
    });
    expect(second.status).toBe("completed");
    expect(second.output.map((item) => item.type)).toEqual(["message"]);
    expect(second.output_text).toContain("17");
    expect(await test.db.usageEvent.count({ where: { orgId: org.id, endpoint: "responses", status: "ok" } })).toBe(2);
  });

  it("sends the translated chat request upstream: instructions, tool calls and their results, text.format", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const response = await client(plaintext).responses.create({
      model: "passthrough-chat",
      instructions: "Be brief.",
      tools: [weatherTool],
      tool_choice: "auto",
      max_output_tokens: 40,
      temperature: 0.3,
      text: { format: { type: "json_object" } },
      input: [
        { role: "user", content: "Weather in Oslo?" },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call_output", call_id: "call_1", output: '{"temperatureC":17}' },
      ],
    });
    expect(response.status).toBe("completed");
    expect(upstream.lastRequest!.body).toMatchObject({
      model: "passthrough-chat-upstream",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: '{"temperatureC":17}' },
      ],
      tools: [{ type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: weatherTool.parameters, strict: true } }],
      tool_choice: "auto",
      max_tokens: 40,
      temperature: 0.3,
      response_format: { type: "json_object" },
    });
  });

  it("gives parseable structured output for text.format json_schema (responses.parse with a zod schema)", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const parsed = await client(plaintext).responses.parse({ model: "sim-chat", input: "The weather in Oslo, please.", text: { format: zodTextFormat(Weather, "weather") } });
    expect(parsed.status).toBe("completed");
    expect(Weather.parse(parsed.output_parsed)).toBeTruthy();
    expect(parsed.text?.format).toMatchObject({ type: "json_schema", name: "weather" });
  });

  it("is incomplete (max_output_tokens) when the answer is cut at max_output_tokens, JSON and streamed", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const cut = await openai.responses.create({ model: "sim-chat", input: "Write a long essay about routing.", max_output_tokens: 16 });
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, max_output_tokens: 16 });
    expect(cut.usage!.output_tokens).toBeLessThanOrEqual(16);
    expect(cut.output_text.length).toBeGreaterThan(0);
    const { event } = await ledgerOf(xBlockableOf(cut).request_id);
    expect(event.status).toBe("ok");

    const stream = await openai.responses.create({ model: "sim-chat", input: "Write a long essay about routing.", max_output_tokens: 16, stream: true });
    const types: string[] = [];
    for await (const streamed of stream) types.push(streamed.type);
    expect(types.at(-1)).toBe("response.incomplete");
  });

  it("refuses what it cannot honour with a 400 naming the parameter, before any hold", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const cases: Array<[OpenAI.Responses.ResponseCreateParamsNonStreaming, string]> = [
      [{ model: "sim-chat", input: "hi", conversation: "conv_123" }, "conversation"],
      [{ model: "sim-chat", input: "hi", tools: [{ type: "web_search" }] }, "tools.0.type"],
      [{ model: "sim-chat", input: "hi", include: ["message.output_text.logprobs"] }, "include"],
      [{ model: "sim-chat", input: "hi", background: true }, "background"],
      [{ model: "sim-chat", input: [{ role: "user", content: "a" }, { type: "item_reference" } as unknown as OpenAI.Responses.ResponseInputItem] }, "input.1.id"],
      [{ model: "sim-chat", input: [{ role: "user", content: [{ type: "input_text", text: "a" }, { type: "input_file", file_id: "file_1" }] }] }, "input.0.content.1.type"],
    ];
    for (const [body, param] of cases) {
      const error = await openai.responses.create(body).catch((caught: unknown) => caught);
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    }
    const unknownModel = await openai.responses.create({ model: "no-such-model", input: "hi" }).catch((caught: unknown) => caught);
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    const malformed = await postResponses(plaintext, "not an object");
    expect(malformed.status).toBe(400);
    expect(await test.db.hold.count({ where: { orgId: org.id } })).toBe(0);
    expect(await test.db.usageEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("a stream the upstream breaks ends with an error event and response.failed carrying x_blockable; only what was sent is billed", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    upstream.setFault("reset-mid-stream:4", { times: 1 });
    const response = await postResponses(plaintext, { model: "passthrough-chat", input: "Tell me a story", stream: true });
    const events = await readEvents(response);
    const requestId = response.headers.get("x-request-id")!;
    expect(events.slice(-2).map(({ data }) => data.type)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.data).toMatchObject({ code: "upstream_stream_broken" });
    expect(events.at(-1)!.data.response).toMatchObject({ status: "failed", error: { code: "upstream_stream_broken" }, x_blockable: { request_id: requestId, provider: "fake" } });
    await expect.poll(async () => (await test.db.hold.findUnique({ where: { requestId } }))?.status).toBe("SETTLED");
    const { event } = await ledgerOf(requestId);
    expect(event).toMatchObject({ endpoint: "responses", status: "error" });
    // Some text went out before the break: that, and only that, is charged ($1/M in and out).
    expect(event.outputTokens).toBeGreaterThan(0);
    expect(event.costMicros).toBe(BigInt(event.inputTokens + event.outputTokens));
    expect((await getCreditBalances(test.db, org.id)).heldMicros).toBe(0n);

    // The openai SDK's stream loop throws on it, as on a broken chat stream.
    upstream.setFault("reset-mid-stream:4", { times: 1 });
    const stream = await client(plaintext).responses.create({ model: "passthrough-chat", input: "Tell me a story", stream: true });
    const thrown = await (async () => {
      for await (const _event of stream) void _event;
    })().catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    await expectConcurrencySlotsFreed(org.id);
  });

  it("settled after the response is sent, the JSON reply's cost is still exactly what the ledger records", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const response = await client(plaintext, deferred.baseUrl).responses.create({ model: "sim-chat", input: "Hello", max_output_tokens: 300 });
    await deferred.drain();
    const xb = xBlockableOf(response);
    const { event, hold } = await ledgerOf(xb.request_id);
    expect(event.costMicros.toString()).toBe(xb.cost_micros);
    expect(hold.status).toBe("SETTLED");
  });

  it("works unchanged with the Vercel AI SDK's default openai(model): generateText, streamText, generateObject, multi-step tools", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = createOpenAI({ baseURL: server.baseUrl, apiKey: plaintext });

    const generated = await generateText({ model: openai("sim-chat"), system: "Answer briefly.", prompt: "Name one benefit of prepaid credits.", maxRetries: 0 });
    expect(generated.text.length).toBeGreaterThan(0);
    expect(generated.finishReason).toBe("stop");
    expect(generated.usage.outputTokens).toBeGreaterThan(0);
    expect(generated.response.id).toMatch(/^resp_/);

    const streamed = streamText({ model: openai("sim-chat"), prompt: "Stream two sentences.", maxRetries: 0 });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
    expect(await streamed.finishReason).toBe("stop");

    const { object } = await generateObject({ model: openai("sim-chat"), schema: Weather, prompt: "The weather in Nairobi.", maxRetries: 0 });
    expect(Weather.parse(object)).toBeTruthy();

    const withTools = await generateText({
      model: openai("sim-chat"),
      tools: {
        get_weather: tool({
          description: "Current weather in a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, temperatureC: 17, conditions: "cloudy" }),
        }),
      },
      stopWhen: stepCountIs(5),
      prompt: "What is the weather in Toronto?",
      maxRetries: 0,
    });
    expect(withTools.steps).toHaveLength(2);
    expect(withTools.steps[0].toolCalls[0].toolName).toBe("get_weather");
    expect(withTools.finishReason).toBe("stop");
    expect(withTools.text).toContain("17");

    // Every call above was one metered request on the Responses endpoint, all holds settled.
    const events = await test.db.usageEvent.findMany({ where: { orgId: org.id } });
    expect(events).toHaveLength(5);
    expect(new Set(events.map((event) => `${event.endpoint}:${event.status}`))).toEqual(new Set(["responses:ok"]));
    expect(await test.db.hold.count({ where: { orgId: org.id, status: { not: "SETTLED" } } })).toBe(0);
    await expectConcurrencySlotsFreed(org.id);
  });

  it("works unchanged with LangChain's ChatOpenAI on the Responses API: invoke, stream, withStructuredOutput, bindTools round trip", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const chat = new ChatOpenAI({ model: "sim-chat", apiKey: plaintext, configuration: { baseURL: server.baseUrl }, maxRetries: 0, useResponsesApi: true });

    const reply = await chat.invoke("Say something about collateral.");
    expect(String(reply.content).length).toBeGreaterThan(0);
    let streamed = "";
    for await (const chunk of await chat.stream("Stream something about credits.")) streamed += chunk.text;
    expect(streamed.length).toBeGreaterThan(0);

    const weather = await chat.withStructuredOutput(Weather).invoke("The weather in Cairo.");
    expect(Weather.parse(weather)).toBeTruthy();

    const getWeather = langchainTool(async ({ city }: { city: string }) => JSON.stringify({ city, temperatureC: 9, conditions: "rain" }), {
      name: "get_weather",
      description: "Current weather in a city",
      schema: z.object({ city: z.string() }),
    });
    const withTools = chat.bindTools([getWeather]);
    const messages: (HumanMessage | AIMessage | ToolMessage)[] = [new HumanMessage("What is the weather in Lima?")];
    const first = (await withTools.invoke(messages)) as AIMessage;
    expect(first.tool_calls).toHaveLength(1);
    messages.push(first);
    const call = first.tool_calls![0];
    messages.push(new ToolMessage({ tool_call_id: call.id!, content: await getWeather.invoke(call.args as { city: string }) }));
    const second = (await withTools.invoke(messages)) as AIMessage;
    expect(second.tool_calls ?? []).toEqual([]);
    expect(String(second.text)).toContain("9");

    expect(new Set((await test.db.usageEvent.findMany({ where: { orgId: org.id } })).map((event) => `${event.endpoint}:${event.status}`))).toEqual(new Set(["responses:ok"]));
    await expectConcurrencySlotsFreed(org.id);
  });
});
