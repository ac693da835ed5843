import { describe, expect, it } from "vitest";
import { UpstreamError, type CallContext, type ChatCompletion, type ChatCompletionChunk, type ChatCompletionRequest } from "../types";
import { createSimulatorAdapter, planSimulatedReply, readSimulatorConfig, simulatorAdapter } from "./index";

const instant = { latencyMs: 0, tokensPerSecond: 0 };

function context(config: Record<string, unknown> = instant, signal = new AbortController().signal): CallContext {
  return { provider: { id: "sim", slug: "simulator", kind: "simulator", baseUrl: null, apiKey: null, config, timeoutMs: 30_000 }, upstreamModel: "sim-small", signal };
}

const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: "demo/sim", messages: [{ role: "user", content }], ...extra });

async function complete(request: ChatCompletionRequest, config?: Record<string, unknown>): Promise<ChatCompletion> {
  const result = await simulatorAdapter.chat({ ...request, stream: false }, context(config));
  if (result.kind !== "json") throw new Error("expected json");
  return result.completion;
}

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const received: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) received.push(chunk);
  return received;
}

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

const weatherTool = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" }, unit: { type: "string" } }, required: ["location"] } } };
const timeTool = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } };

describe("simulator: deterministic answers", () => {
  it("gives the same answer (with a fresh id) for the same messages and seed", async () => {
    const first = await complete(ask("Tell me about credit", { seed: 7 }));
    const second = await complete(ask("Tell me about credit", { seed: 7 }));
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(second.id).not.toBe(first.id);
  });

  it.each([
    ["another seed", ask("Tell me about credit", { seed: 8 })],
    ["another question", ask("Tell me about compute", { seed: 7 })],
  ])("gives a different answer for %s", async (_label, request) => {
    const reference = await complete(ask("Tell me about credit", { seed: 7 }));
    expect((await complete(request)).choices[0].message.content).not.toBe(reference.choices[0].message.content);
  });

  it("writes capitalised sentences ending with a full stop", async () => {
    const content = (await complete(ask("Hello"))).choices[0].message.content as string;
    expect(content).toMatch(/^[A-Z][a-z]*( [a-z]+\.?| [A-Z][a-z]*)*\.$/);
  });
});

describe("simulator: length and stop", () => {
  it.each<[string, Partial<ChatCompletionRequest>, number, string]>([
    ["no max_tokens → 64 tokens, stop", {}, 64, "stop"],
    ["max_tokens 10 → 10 tokens, length", { max_tokens: 10 }, 10, "length"],
    ["max_completion_tokens 7 wins → 7 tokens, length", { max_tokens: 10, max_completion_tokens: 7 }, 7, "length"],
    ["max_tokens 256 → 256 tokens, length", { max_tokens: 256 }, 256, "length"],
    ["max_tokens 1000 → capped at 256 tokens, stop", { max_tokens: 1_000 }, 256, "stop"],
  ])("%s", async (_label, extra, tokens, finishReason) => {
    const completion = await complete(ask("Hello", extra));
    expect((completion.choices[0].message.content as string).split(" ")).toHaveLength(tokens);
    expect(completion.usage!.completion_tokens).toBe(tokens);
    expect(completion.choices[0].finish_reason).toBe(finishReason);
  });

  it("cuts at the first stop sequence, counts only what was kept and finishes with stop", async () => {
    const full = (await complete(ask("Hello", { max_tokens: 20 }))).choices[0].message.content as string;
    const words = full.split(" ");
    const stop = ` ${words[5]}`;
    const kept = full.slice(0, full.indexOf(stop));
    const completion = await complete(ask("Hello", { max_tokens: 20, stop: ["never-there", stop] }));
    expect(completion.choices[0].message.content).toBe(kept);
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage!.completion_tokens).toBe(kept.split(" ").length);
  });

  it("a stop sequence inside a word keeps the word's beginning as one more token", async () => {
    const full = (await complete(ask("Hello", { max_tokens: 20 }))).choices[0].message.content as string;
    const third = full.split(" ")[2];
    const cutAt = full.indexOf(third) + 1;
    const completion = await complete(ask("Hello", { max_tokens: 20, stop: third.slice(1) }));
    expect(completion.choices[0].message.content).toBe(full.slice(0, cutAt));
    expect(completion.usage!.completion_tokens).toBe(3);
  });

  it("counts input tokens with the tokenizer it was given, with chat framing", () => {
    const countTokens = (text: string) => text.length;
    const reply = planSimulatedReply({ model: "m", messages: [{ role: "system", content: "abc" }, { role: "user", content: "hello" }] }, countTokens);
    // 3 for the reply + per message: 3 + role + content
    expect(reply.usage.inputTokens).toBe(3 + (3 + 6 + 3) + (3 + 4 + 5));
  });

  it("uses the injected tokenizer through the adapter", async () => {
    const adapter = createSimulatorAdapter(() => 1);
    const result = await adapter.chat(ask("anything at all"), context());
    expect(result.kind === "json" && result.usage).toEqual({ inputTokens: 3 + (3 + 1 + 1), outputTokens: 64 });
  });
});

describe("simulator: tools and JSON", () => {
  it.each<[string, Partial<ChatCompletionRequest>, string | null]>([
    ["tools + 'weather' in the last user message → the first tool", { tools: [weatherTool, timeTool] }, "get_weather"],
    ["a forced function → that function, whatever was asked", { tools: [weatherTool, timeTool], tool_choice: { type: "function", function: { name: "get_time" } } }, "get_time"],
    ['tool_choice "required" → the first tool', { tools: [timeTool, weatherTool], tool_choice: "required" }, "get_time"],
    ['tool_choice "none" → text', { tools: [weatherTool], tool_choice: "none" }, null],
    ["no tools → text", {}, null],
  ])("%s", async (_label, extra, expectedTool) => {
    const completion = await complete(ask("What's the weather in Paris?", extra));
    const choice = completion.choices[0];
    if (expectedTool === null) {
      expect(choice.finish_reason).toBe("stop");
      expect(typeof choice.message.content).toBe("string");
      return;
    }
    const [call] = choice.message.tool_calls as Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(call).toMatchObject({ type: "function", function: { name: expectedTool } });
    expect(call.id).toMatch(/^call_[0-9a-f]{8}$/);
    const args = JSON.parse(call.function.arguments);
    if (expectedTool === "get_weather") expect(Object.keys(args)).toEqual(["location"]);
    else expect(args).toEqual({});
  });

  it("a question without 'weather' gets text even when tools are offered", async () => {
    expect((await complete(ask("Hello there", { tools: [weatherTool] }))).choices[0].finish_reason).toBe("stop");
  });

  it("json_object → a JSON object string", async () => {
    const content = (await complete(ask("Hello", { response_format: { type: "json_object" }, max_tokens: 12 }))).choices[0].message.content as string;
    expect(JSON.parse(content)).toEqual({ reply: expect.any(String) });
  });

  it("json_schema → an object with the schema's required fields", async () => {
    const schema = { type: "object", properties: { city: { type: "string" }, score: { type: "integer" }, ok: { type: "boolean" } }, required: ["city", "score", "ok"] };
    const content = (await complete(ask("Hello", { response_format: { type: "json_schema", json_schema: { name: "x", schema } } }))).choices[0].message.content as string;
    expect(JSON.parse(content)).toEqual({ city: expect.any(String), score: expect.any(Number), ok: expect.any(Boolean) });
  });
});

describe("simulator: failures", () => {
  it("fails every request at failureRate 1 with a retryable 503", async () => {
    const error = await simulatorAdapter.chat(ask("Hello"), context({ ...instant, failureRate: 1 })).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 503, isRetryable: true, code: "server_error" });
  });

  it("decides failures deterministically from the request when a seed is given", async () => {
    const outcomes = async () =>
      Promise.all(
        Array.from({ length: 20 }, (_, seed) =>
          simulatorAdapter.chat(ask("Hello", { seed }), context({ ...instant, failureRate: 0.5 })).then(
            () => "ok",
            () => "failed",
          ),
        ),
      );
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(first).toContain("ok");
    expect(first).toContain("failed");
  });

  it.each([
    ["defaults", {}, { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 }],
    ["values out of range are clamped", { latencyMs: -5, tokensPerSecond: -1, failureRate: 3 }, { latencyMs: 0, tokensPerSecond: 0, failureRate: 1 }],
    ["non-numbers fall back to defaults", { latencyMs: "fast", failureRate: null }, { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 }],
  ])("config: %s", (_label, config, expected) => {
    expect(readSimulatorConfig(config)).toEqual(expected);
  });
});

describe("simulator: streaming", () => {
  it("streams one chunk per token, then finish_reason, then usage, matching the JSON answer", async () => {
    const request = ask("Hello", { max_tokens: 12, seed: 1 });
    const json = await complete(request);
    const result = await simulatorAdapter.chat({ ...request, stream: true }, context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    expect(result.usage()).toBeNull();
    const chunks = await collect(result.chunks);
    expect(chunks).toHaveLength(12 + 2);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.slice(1, 12).every((chunk) => chunk.choices[0].delta.role === undefined)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(json.choices[0].message.content);
    expect(chunks[12].choices[0]).toMatchObject({ delta: {}, finish_reason: "length" });
    expect(chunks[13]).toMatchObject({ choices: [], usage: json.usage });
    expect(result.usage()).toEqual({ inputTokens: json.usage!.prompt_tokens, outputTokens: 12 });
  });

  it("streams a tool call as a name chunk then an arguments chunk", async () => {
    const result = await simulatorAdapter.chat(ask("weather in Oslo?", { stream: true, tools: [weatherTool] }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(result.chunks);
    expect(chunks[0].choices[0].delta).toMatchObject({ role: "assistant", tool_calls: [{ index: 0, type: "function", function: { name: "get_weather", arguments: "" } }] });
    expect(JSON.parse((chunks[1].choices[0].delta.tool_calls as Array<{ function: { arguments: string } }>)[0].function.arguments)).toHaveProperty("location");
    expect(chunks[2].choices[0].finish_reason).toBe("tool_calls");
    expect(chunks[3].choices).toEqual([]);
  });

  it("waits latencyMs for the first token and paces the rest at tokensPerSecond", async () => {
    const startedAtMs = performance.now();
    const result = await simulatorAdapter.chat(ask("Hello", { stream: true, max_tokens: 11 }), context({ latencyMs: 40, tokensPerSecond: 100 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const arrivalsMs: number[] = [];
    for await (const chunk of result.chunks) if (chunk.choices[0]?.delta.content) arrivalsMs.push(performance.now() - startedAtMs);
    expect(arrivalsMs).toHaveLength(11);
    expect(arrivalsMs[0]).toBeGreaterThanOrEqual(38);
    // 10 gaps of 10 ms after the first token; generous ceiling for a busy CI machine.
    expect(arrivalsMs[10] - arrivalsMs[0]).toBeGreaterThanOrEqual(95);
    expect(arrivalsMs[10] - arrivalsMs[0]).toBeLessThan(400);
  });

  it("makes a JSON answer wait for its last token", async () => {
    const startedAtMs = performance.now();
    await complete(ask("Hello", { max_tokens: 6 }), { latencyMs: 10, tokensPerSecond: 100 });
    expect(performance.now() - startedAtMs).toBeGreaterThanOrEqual(58);
  });

  it("stops promptly and leaves no timer behind when the caller aborts mid-stream", async () => {
    const timersBefore = activeTimeouts();
    const controller = new AbortController();
    const result = await simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 0, tokensPerSecond: 2 }, controller.signal));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = result.chunks[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    const abortedAtMs = performance.now();
    controller.abort(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(performance.now() - abortedAtMs).toBeLessThan(50);
    expect(activeTimeouts()).toBe(timersBefore);
    expect(result.usage()).toBeNull();
  });

  it("return() while waiting for the next token ends at once without a leftover timer", async () => {
    const timersBefore = activeTimeouts();
    const result = await simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 0, tokensPerSecond: 1 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = result.chunks[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next().catch(() => "cancelled");
    const returnedAtMs = performance.now();
    await iterator.return!();
    expect(await pending).toBe("cancelled");
    expect(performance.now() - returnedAtMs).toBeLessThan(50);
    expect(activeTimeouts()).toBe(timersBefore);
  });

  it("aborting during latencyMs rejects chat() itself", async () => {
    const controller = new AbortController();
    const pending = simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 5_000 }, controller.signal));
    controller.abort(new Error("gone"));
    await expect(pending).rejects.toThrow("gone");
  });
});

describe("simulator: embeddings", () => {
  function norm(vector: number[]) {
    return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  }

  it.each<[string, Parameters<typeof simulatorAdapter.embeddings>[0], number, number]>([
    ["one string, default 256 dimensions", { model: "e", input: "hello" }, 1, 256],
    ["several strings with dimensions", { model: "e", input: ["a", "b", "c"], dimensions: 64 }, 3, 64],
    ["one token array", { model: "e", input: [1, 2, 3] }, 1, 256],
    ["several token arrays", { model: "e", input: [[1, 2], [3]], dimensions: 8 }, 2, 8],
  ])("%s → unit vectors of the right shape", async (_label, request, count, dimensions) => {
    const { body } = await simulatorAdapter.embeddings(request, context());
    expect(body.object).toBe("list");
    expect(body.model).toBe("sim-small");
    expect(body.data.map((item) => item.index)).toEqual(Array.from({ length: count }, (_, index) => index));
    for (const item of body.data) {
      expect(item.object).toBe("embedding");
      expect(item.embedding).toHaveLength(dimensions);
      expect(norm(item.embedding as number[])).toBeCloseTo(1, 5);
    }
  });

  it("is deterministic per input and differs between inputs", async () => {
    const { body } = await simulatorAdapter.embeddings({ model: "e", input: ["same", "same", "other"], dimensions: 16 }, context());
    expect(body.data[0].embedding).toEqual(body.data[1].embedding);
    expect(body.data[0].embedding).not.toEqual(body.data[2].embedding);
  });

  it("encodes base64 as little-endian float32, like OpenAI", async () => {
    const floats = await simulatorAdapter.embeddings({ model: "e", input: "hello", dimensions: 32 }, context());
    const encoded = await simulatorAdapter.embeddings({ model: "e", input: "hello", dimensions: 32, encoding_format: "base64" }, context());
    const bytes = Buffer.from(encoded.body.data[0].embedding as string, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    expect(decoded).toEqual(floats.body.data[0].embedding);
  });

  it("reports input tokens from the tokenizer (strings) or the array length (token arrays)", async () => {
    const adapter = createSimulatorAdapter((text) => text.length);
    expect((await adapter.embeddings({ model: "e", input: ["abc", "de"] }, context())).usage).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect((await adapter.embeddings({ model: "e", input: [[1, 2, 3], [4]] }, context())).body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });
});
