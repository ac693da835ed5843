import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { UpstreamError, type CallContext, type ChatCompletionChunk, type ChatCompletionRequest, type ProviderRuntime } from "../types";
import { chunksOf } from "../upstream-http";
import { anthropicAdapter as adapter, createAnthropicStreamTranslator, fromAnthropicResponse, toAnthropicRequest, type AnthropicResponse } from "./index";

const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } },
};

const base = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: "public/claude", messages: [{ role: "user", content: "Hi" }], ...extra });

describe("toAnthropicRequest", () => {
  it.each<[string, Partial<ChatCompletionRequest>, Record<string, unknown>]>([
    ["the upstream model and a default max_tokens of 4096", {}, { model: "claude-upstream", max_tokens: 4096, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] }],
    ["max_tokens passes through", { max_tokens: 100 }, { max_tokens: 100 }],
    ["max_completion_tokens wins over max_tokens", { max_tokens: 100, max_completion_tokens: 50 }, { max_tokens: 50 }],
    ["a stop string becomes a one-element stop_sequences", { stop: "END" }, { stop_sequences: ["END"] }],
    ["a stop array becomes stop_sequences", { stop: ["a", "b"] }, { stop_sequences: ["a", "b"] }],
    ["temperature and top_p pass through", { temperature: 0.3, top_p: 0.9 }, { temperature: 0.3, top_p: 0.9 }],
    ["temperature above Anthropic's 1 is clamped to 1", { temperature: 1.7 }, { temperature: 1 }],
    ["user becomes metadata.user_id", { user: "end-user-42" }, { metadata: { user_id: "end-user-42" } }],
    ["stream: true is kept", { stream: true }, { stream: true }],
    ["json_object becomes a system instruction", { response_format: { type: "json_object" } }, { system: "Respond with a single valid JSON object and nothing else." }],
  ])("%s", (_label, extra, expected) => {
    expect(toAnthropicRequest(base(extra), "claude-upstream")).toMatchObject(expected);
  });

  it("drops what Anthropic does not take (seed, stream_options, n)", () => {
    const mapped = toAnthropicRequest(base({ seed: 3, stream_options: { include_usage: true }, n: 1 }), "m") as Record<string, unknown>;
    expect(Object.keys(mapped).sort()).toEqual(["max_tokens", "messages", "model"]);
  });

  it("moves system and developer messages into `system`, in order", () => {
    const mapped = toAnthropicRequest(
      base({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Use metric units." }] },
          { role: "user", content: "Hi" },
        ],
      }),
      "m",
    );
    expect(mapped.system).toBe("Be brief.\n\nUse metric units.");
    expect(mapped.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hi" }] }]);
  });

  it("turns a tool round trip into tool_use and tool_result blocks, merging same-role turns", () => {
    const mapped = toAnthropicRequest(
      base({
        messages: [
          { role: "user", content: "Weather in Paris and Oslo?" },
          { role: "user", content: "Quickly please." },
          {
            role: "assistant",
            content: "Checking.",
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
              { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Oslo"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "18°C" },
          { role: "tool", tool_call_id: "call_2", content: "9°C" },
          { role: "assistant", content: null },
        ],
      }),
      "m",
    );
    expect(mapped.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Oslo?" }, { type: "text", text: "Quickly please." }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { location: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18°C" },
          { type: "tool_result", tool_use_id: "call_2", content: "9°C" },
        ],
      },
    ]);
  });

  it("maps image parts: data URLs to base64 sources, others to url sources", () => {
    const mapped = toAnthropicRequest(
      base({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
            ],
          },
        ],
      }),
      "m",
    );
    expect(mapped.messages[0].content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });

  it("maps function tools to input_schema tools", () => {
    expect(toAnthropicRequest(base({ tools: [weatherTool] }), "m").tools).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: weatherTool.function.parameters },
    ]);
  });

  it.each<[string, Partial<ChatCompletionRequest>, unknown]>([
    ["no tool_choice → none sent", {}, undefined],
    ['"auto" → auto', { tool_choice: "auto" }, { type: "auto" }],
    ['"none" → none', { tool_choice: "none" }, { type: "none" }],
    ['"required" → any', { tool_choice: "required" }, { type: "any" }],
    ["a named function → tool", { tool_choice: { type: "function", function: { name: "get_weather" } } }, { type: "tool", name: "get_weather" }],
    ["parallel_tool_calls: false → disable_parallel_tool_use", { tool_choice: "required", parallel_tool_calls: false }, { type: "any", disable_parallel_tool_use: true }],
    ["parallel_tool_calls: false alone → auto without parallel use", { parallel_tool_calls: false }, { type: "auto", disable_parallel_tool_use: true }],
  ])("tool_choice: %s", (_label, extra, expected) => {
    expect(toAnthropicRequest(base({ tools: [weatherTool], ...extra }), "m").tool_choice).toEqual(expected);
  });
});

describe("fromAnthropicResponse", () => {
  const response = (extra: Partial<AnthropicResponse>): AnthropicResponse => ({
    id: "msg_1",
    model: "claude-upstream",
    content: [{ type: "text", text: "Hello there." }],
    stop_reason: "end_turn",
    usage: { input_tokens: 10, output_tokens: 4 },
    ...extra,
  });

  it.each<[string, string | null, string | null]>([
    ["end_turn → stop", "end_turn", "stop"],
    ["stop_sequence → stop", "stop_sequence", "stop"],
    ["max_tokens → length", "max_tokens", "length"],
    ["tool_use → tool_calls", "tool_use", "tool_calls"],
    ["refusal → content_filter", "refusal", "content_filter"],
  ])("finish_reason %s", (_label, stopReason, expected) => {
    expect(fromAnthropicResponse(response({ stop_reason: stopReason })).completion.choices[0].finish_reason).toBe(expected);
  });

  it("maps text, usage and identity", () => {
    const { completion, usage } = fromAnthropicResponse(response({}), 1_700_000_000);
    expect(completion).toEqual({
      id: "msg_1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "claude-upstream",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there.", refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
    });
    expect(usage).toEqual({ inputTokens: 10, outputTokens: 4 });
  });

  it("maps tool_use blocks to tool_calls with JSON-string arguments and null content", () => {
    const { completion } = fromAnthropicResponse(
      response({ content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } }], stop_reason: "tool_use" }),
    );
    expect(completion.choices[0].message).toEqual({
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [{ id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
    });
  });

  it("counts cached prompt tokens as prompt tokens", () => {
    const { usage } = fromAnthropicResponse(response({ usage: { input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 } }));
    expect(usage).toEqual({ inputTokens: 1105, outputTokens: 2 });
  });
});

describe("createAnthropicStreamTranslator", () => {
  function run(events: Array<Record<string, unknown>>) {
    const translator = createAnthropicStreamTranslator("fallback-model", 1_700_000_000);
    const chunks = events.flatMap((event) => translator.translate(event));
    return { translator, chunks, deltas: chunks.map((chunk) => chunk.choices[0] ?? { usage: chunk.usage }) };
  }
  const messageStart = { type: "message_start", message: { id: "msg_9", model: "claude-upstream", usage: { input_tokens: 25, output_tokens: 1 } } };

  it("translates a text stream, ending with a usage chunk like include_usage", () => {
    const { chunks, deltas, translator } = run([
      messageStart,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "ping" },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "lo" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } },
      { type: "message_stop" },
    ]);
    expect(deltas).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: "Hel" }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: "lo" }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
      { usage: { prompt_tokens: 25, completion_tokens: 2, total_tokens: 27 } },
    ]);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.every((chunk) => chunk.id === "msg_9" && chunk.model === "claude-upstream" && chunk.object === "chat.completion.chunk")).toBe(true);
    expect(translator.usage()).toEqual({ inputTokens: 25, outputTokens: 2 });
    expect(translator.isComplete).toBe(true);
  });

  it("translates tool_use blocks into indexed tool_call deltas", () => {
    const { deltas } = run([
      messageStart,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me check." } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"location":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"Paris"}' } },
      { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_2", name: "get_time", input: {} } },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 30 } },
      { type: "message_stop" },
    ]);
    expect(deltas.slice(1).map((choice) => ("delta" in choice ? [choice.delta, choice.finish_reason] : choice))).toEqual([
      [{ content: "Let me check." }, null],
      [{ tool_calls: [{ index: 0, id: "toolu_1", type: "function", function: { name: "get_weather", arguments: "" } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null],
      [{ tool_calls: [{ index: 1, id: "toolu_2", type: "function", function: { name: "get_time", arguments: "" } }] }, null],
      [{}, "tool_calls"],
      { usage: { prompt_tokens: 25, completion_tokens: 30, total_tokens: 55 } },
    ]);
  });

  it("has no usage until message_delta reports the final count (a cut stream is counted by the caller)", () => {
    const { translator } = run([messageStart, { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } }]);
    expect(translator.usage()).toBeNull();
    expect(translator.isComplete).toBe(false);
  });

  it("throws on an error event", () => {
    expect(() => run([messageStart, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }])).toThrow("Anthropic stream error (overloaded_error): Overloaded");
  });
});

describe("anthropicAdapter over HTTP", () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream({ outputTokens: 4, retryAfterSeconds: 3 });
  });
  afterAll(() => upstream.close());
  afterEach(() => upstream.setFault(null));

  const context = (overrides: Partial<ProviderRuntime> = {}): CallContext => ({
    provider: { id: "prov_a", slug: "fake-anthropic", kind: "anthropic", baseUrl: upstream.url, apiKey: "sk-ant-test", config: {}, timeoutMs: 2_000, ...overrides },
    upstreamModel: "claude-upstream",
    signal: new AbortController().signal,
  });

  async function collect(chunks: AsyncIterable<ChatCompletionChunk>) {
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of chunks) received.push(chunk);
    return received;
  }

  it("round-trips a JSON request with Anthropic's headers", async () => {
    const result = await adapter.chat(base({ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], stop: "END" }), context());
    const sent = upstream.lastRequest!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({ model: "claude-upstream", system: "Be brief.", max_tokens: 4096, stop_sequences: ["END"] });
    if (result.kind !== "json") throw new Error("expected json");
    expect(result.completion.choices[0]).toMatchObject({ message: { role: "assistant", content: "tok0 tok1 tok2 tok3" }, finish_reason: "stop" });
    expect(result.usage).toEqual({ inputTokens: result.completion.usage!.prompt_tokens, outputTokens: 4 });
  });

  it("round-trips a stream into OpenAI chunks with usage", async () => {
    const result = await adapter.chat(base({ stream: true, max_tokens: 3 }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(chunksOf(result.batches));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("tok0 tok1 tok2");
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("length");
    expect(result.usage()).toEqual({ inputTokens: chunks.at(-1)!.usage!.prompt_tokens, outputTokens: 3 });
    expect(await upstream.lastRequest!.done).toBe("completed");
  });

  it("round-trips a forced tool call as a stream of tool_call deltas", async () => {
    const result = await adapter.chat(base({ stream: true, tools: [weatherTool], tool_choice: "required" }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(chunksOf(result.batches));
    expect((upstream.lastRequest!.body as { tool_choice: unknown }).tool_choice).toEqual({ type: "any" });
    const args = chunks.flatMap((chunk) => (chunk.choices[0]?.delta.tool_calls as Array<{ function: { arguments: string } }> | undefined) ?? []).map((call) => call.function.arguments);
    expect(JSON.parse(args.join(""))).toEqual({ location: "Paris" });
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("tool_calls");
  });

  it("throws from the iterator when the connection dies mid-stream", async () => {
    upstream.setFault("reset-mid-stream:3");
    const result = await adapter.chat(base({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    await expect(collect(chunksOf(result.batches))).rejects.toThrow(/connection lost mid-stream/);
    expect(result.usage()).toBeNull();
  });

  it.each([
    ["529 overloaded → 503, retryable", "status:529", { status: 503, code: "server_error", isRetryable: true }],
    ["429 → rate_limited with retry-after", "status:429", { status: 429, code: "rate_limited", isRetryable: true, retryAfterMs: 3_000 }],
    ["400 → bad_request with Anthropic's message", "status:400", { status: 400, code: "bad_request", isRetryable: false, message: "Invalid value for 'temperature': must be at most 2." }],
  ])("maps %s", async (_label, fault, expected) => {
    upstream.setFault(fault);
    await expect(adapter.chat(base(), context())).rejects.toMatchObject(expected);
  });

  it("refuses embeddings with a non-retryable 400", async () => {
    const error = await adapter.embeddings({ model: "m", input: "x" }, context()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 400, code: "bad_request", isRetryable: false, message: "Anthropic has no embeddings endpoint" });
  });
});
