import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { UpstreamError, type CallContext, type ChatCompletionChunk, type ChatCompletionRequest, type ProviderRuntime } from "../types";
import { chunksOf, parseRetryAfterMs, upstreamErrorForStatus } from "../upstream-http";
import { openAiCompatibleAdapter as adapter, usageFromOpenAi } from "./index";

const API_KEY = "sk-test-0123456789abcdef";
let upstream: FakeUpstream;
let closedPortUrl: string;

beforeAll(async () => {
  upstream = await startFakeUpstream({ outputTokens: 5, retryAfterSeconds: 2 });
  const closed = await startFakeUpstream();
  closedPortUrl = closed.url;
  await closed.close();
});
afterAll(() => upstream.close());
afterEach(() => {
  upstream.setFault(null);
  upstream.reset();
});

function context(overrides: Partial<ProviderRuntime> = {}, signal = new AbortController().signal): CallContext {
  const provider: ProviderRuntime = { id: "prov_1", slug: "fake-openai", kind: "openai_compatible", baseUrl: upstream.url, apiKey: API_KEY, config: {}, timeoutMs: 2_000, ...overrides };
  return { provider, upstreamModel: "upstream-model-7b", signal };
}

const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: "public/model", messages: [{ role: "user", content: "Say hello" }], ...extra });

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const received: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) received.push(chunk);
  return received;
}

async function chatError(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe("openAiCompatibleAdapter: JSON", () => {
  it("returns the completion and the upstream's usage", async () => {
    const result = await adapter.chat(request(), context());
    expect(result.kind).toBe("json");
    if (result.kind !== "json") return;
    expect(result.completion.choices[0].message.content).toBe("tok0 tok1 tok2 tok3 tok4");
    expect(result.usage).toEqual({ inputTokens: result.completion.usage!.prompt_tokens, outputTokens: 5 });
  });

  it("sends the upstream model, the bearer key and every other field untouched", async () => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    await adapter.chat(request({ tools, tool_choice: "auto", response_format: { type: "json_object" }, stop: ["\n\n"], seed: 7, logit_bias: { "50256": -100 } }), context());
    const sent = upstream.lastRequest!;
    expect(sent.path).toBe("/chat/completions");
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      model: "upstream-model-7b",
      messages: [{ role: "user", content: "Say hello" }],
      tools,
      tool_choice: "auto",
      response_format: { type: "json_object" },
      stop: ["\n\n"],
      seed: 7,
      logit_bias: { "50256": -100 },
    });
  });

  it("sends no authorization header for a keyless upstream (a local vLLM or Ollama)", async () => {
    await adapter.chat(request(), context({ apiKey: null }));
    expect(upstream.lastRequest!.headers.authorization).toBeUndefined();
  });

  it.each<[string, unknown, unknown]>([
    ["usage with both counts", { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }, { inputTokens: 12, outputTokens: 3 }],
    ["embeddings-style usage without completion tokens", { prompt_tokens: 4, total_tokens: 4 }, { inputTokens: 4, outputTokens: 0 }],
    ["no usage at all", undefined, null],
    ["usage: null (chunks before the last one)", null, null],
  ])("reads %s", (_label, usage, expected) => {
    expect(usageFromOpenAi(usage)).toEqual(expected);
  });
});

describe("openAiCompatibleAdapter: streams", () => {
  it("yields OpenAI chunks and captures the usage chunk, which it still yields", async () => {
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    expect(result.usage()).toBeNull();
    const chunks = await collect(chunksOf(result.batches));
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("tok0 tok1 tok2 tok3 tok4");
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(result.usage()).toEqual({ inputTokens: chunks.at(-1)!.usage!.prompt_tokens, outputTokens: 5 });
  });

  it("hands a reader that was busy everything that arrived meanwhile as one batch, and stops reading far ahead of it", async () => {
    const outputTokens = 3_000;
    const long = await adapter.chat(request({ stream: true }), context({ config: { headers: { "x-fake-output-tokens": String(outputTokens) } } }));
    if (long.kind !== "stream") throw new Error("expected a stream");
    const iterator = long.batches[Symbol.asyncIterator]();
    const sizes: number[] = [(await iterator.next()).value!.length];
    // Busy elsewhere while the upstream sends all of it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) sizes.push(next.value.length);
    // The role chunk, one per token, the finish and the usage chunk; none lost, none repeated.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(outputTokens + 3);
    // What arrived during the wait came as one batch, but not all of it: the socket was paused.
    expect(sizes[1]).toBeGreaterThan(100);
    expect(sizes[1]).toBeLessThan(outputTokens);
  });

  it("asks for usage even when the client asked for none", async () => {
    const result = await adapter.chat(request({ stream: true, stream_options: { include_usage: false } }), context());
    if (result.kind === "stream") await collect(chunksOf(result.batches));
    expect((upstream.lastRequest!.body as { stream_options: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it("lets the upstream finish normally so its connection can be reused", async () => {
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind === "stream") await collect(chunksOf(result.batches));
    expect(await upstream.lastRequest!.done).toBe("completed");
  });

  it("delivers the first chunk while the upstream is still sending", async () => {
    upstream.setFault("slow-stream:80");
    const startedAtMs = performance.now();
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = chunksOf(result.batches)[Symbol.asyncIterator]();
    const first = await iterator.next();
    const firstChunkAfterMs = performance.now() - startedAtMs;
    expect(first.value.choices[0].delta.role).toBe("assistant");
    expect(upstream.lastRequest!.state).toBe("streaming");
    expect(upstream.lastRequest!.eventsSent).toBeLessThan(3);
    expect(firstChunkAfterMs).toBeLessThan(80);
    let rest = 0;
    while (!(await iterator.next()).done) rest++;
    expect(rest).toBe(7); // 5 tokens, finish, usage
    expect(result.usage()?.outputTokens).toBe(5);
  });

  it("parses events written in 3-byte pieces with CRLF and keepalive comments", async () => {
    upstream.setFault("fragment:3");
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(chunksOf(result.batches));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("tok0 tok1 tok2 tok3 tok4");
    expect(result.usage()?.outputTokens).toBe(5);
  });

  it("throws from the iterator when the upstream connection dies mid-stream", async () => {
    upstream.setFault("reset-mid-stream:3");
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const received: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of chunksOf(result.batches)) received.push(chunk);
    })().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/connection lost mid-stream/);
    expect(received).toHaveLength(3);
    expect(result.usage()).toBeNull();
  });

  it("throws from the iterator when the upstream goes silent after its headers", async () => {
    upstream.setFault("hang-after-headers");
    const startedAtMs = performance.now();
    const result = await adapter.chat(request({ stream: true }), context({ timeoutMs: 150 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    await expect(collect(chunksOf(result.batches))).rejects.toThrow(/sent nothing for 150 ms/);
    expect(performance.now() - startedAtMs).toBeLessThan(1_000);
    expect(await upstream.lastRequest!.done).toBe("client-closed");
  });
});

describe("openAiCompatibleAdapter: cancellation", () => {
  it("aborting the caller's signal mid-stream closes the upstream connection", async () => {
    upstream.setFault("slow-stream:50");
    const controller = new AbortController();
    const result = await adapter.chat(request({ stream: true }), context({}, controller.signal));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = chunksOf(result.batches)[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    controller.abort(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(await upstream.lastRequest!.done).toBe("client-closed");
    expect(upstream.lastRequest!.eventsSent).toBeLessThan(9);
  });

  it("breaking out of the iteration closes the upstream connection", async () => {
    upstream.setFault("slow-stream:50");
    const result = await adapter.chat(request({ stream: true }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    for await (const chunk of chunksOf(result.batches)) {
      expect(chunk.choices[0].delta.role).toBe("assistant");
      break;
    }
    expect(await upstream.lastRequest!.done).toBe("client-closed");
  });

  it("return() while a read is pending cancels at once instead of waiting for the next chunk", async () => {
    upstream.setFault("hang-after-headers");
    const result = await adapter.chat(request({ stream: true }), context({ timeoutMs: 10_000 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = chunksOf(result.batches)[Symbol.asyncIterator]();
    const pending = iterator.next().catch(() => "rejected");
    const startedAtMs = performance.now();
    await iterator.return!();
    expect(await pending).toBe("rejected");
    expect(performance.now() - startedAtMs).toBeLessThan(500);
    expect(await upstream.lastRequest!.done).toBe("client-closed");
  });

  it("aborting before the headers rejects with the caller's reason, not an UpstreamError", async () => {
    upstream.setFault("delay:5000");
    const controller = new AbortController();
    const pending = adapter.chat(request(), context({}, controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(await upstream.lastRequest!.done).toBe("client-closed");
  });
});

describe("openAiCompatibleAdapter: failures before the first byte", () => {
  const rows: Array<{ label: string; fault?: string; closedPort?: boolean; timeoutMs?: number; expected: Partial<UpstreamError>; message?: RegExp }> = [
    { label: "connection refused on a closed port → 502 connect_error, retryable", closedPort: true, expected: { status: 502, code: "connect_error", isRetryable: true }, message: /ECONNREFUSED/ },
    { label: "no headers within timeoutMs → 504 timeout, retryable", fault: "delay:2000", timeoutMs: 100, expected: { status: 504, code: "timeout", isRetryable: true } },
    { label: "429 → rate_limited with retry-after in ms, retryable", fault: "status:429", expected: { status: 429, code: "rate_limited", isRetryable: true, retryAfterMs: 2_000 } },
    { label: "500 → 502 server_error, retryable", fault: "status:500", expected: { status: 502, code: "server_error", isRetryable: true } },
    { label: "503 → 503 server_error, retryable", fault: "status:503", expected: { status: 503, code: "server_error", isRetryable: true } },
    { label: "400 → bad_request carrying the upstream's message, not retryable", fault: "status:400", expected: { status: 400, code: "bad_request", isRetryable: false }, message: /^Invalid value for 'temperature': must be at most 2\.$/ },
    { label: "404 → bad_request, not retryable", fault: "status:404", expected: { status: 404, code: "bad_request", isRetryable: false } },
    { label: "422 → bad_request, not retryable", fault: "status:422", expected: { status: 422, code: "bad_request", isRetryable: false } },
  ];

  it.each(rows.flatMap((row) => [false, true].map((stream) => ({ ...row, stream }))))("$label (stream: $stream)", async ({ fault, closedPort, timeoutMs, expected, message, stream }) => {
    if (fault) upstream.setFault(fault);
    const startedAtMs = performance.now();
    const error = await chatError(adapter.chat(request({ stream }), context({ baseUrl: closedPort ? closedPortUrl : upstream.url, timeoutMs: timeoutMs ?? 2_000 })));
    expect(error).toMatchObject(expected);
    if (message) expect(error.message).toMatch(message);
    if (timeoutMs) expect(performance.now() - startedAtMs).toBeLessThan(timeoutMs + 500);
  });

  it("a stream request answered with plain JSON is a retryable bad_response", async () => {
    upstream.setFault("json-for-stream");
    const error = await chatError(adapter.chat(request({ stream: true }), context()));
    expect(error).toMatchObject({ status: 502, code: "bad_response", isRetryable: true });
    expect(error.message).toMatch(/without a stream/);
  });

  it("a JSON answer whose body never comes is a timeout, since nothing reached the client yet", async () => {
    upstream.setFault("hang-after-headers");
    const error = await chatError(adapter.chat(request(), context({ timeoutMs: 150 })));
    expect(error).toMatchObject({ status: 504, code: "timeout", isRetryable: true });
  });

  it.each([
    ["401", { stream: false }],
    ["401 on a stream", { stream: true }],
  ])("%s → auth_error that never repeats the key, not retryable", async (_label, extra) => {
    const guarded = await startFakeUpstream({ requireApiKey: "sk-the-right-one" });
    try {
      const wrongKey = "sk-wrong-secret-key-1234567890";
      const error = await chatError(adapter.chat(request(extra), context({ baseUrl: guarded.url, apiKey: wrongKey })));
      expect(error).toMatchObject({ code: "auth_error", isRetryable: false, status: 502 });
      expect(error.message).not.toContain(wrongKey);
      expect(error.message).not.toContain("sk-wrong");
      expect(error.message).toContain("401");
    } finally {
      await guarded.close();
    }
  });
});

describe("openAiCompatibleAdapter: embeddings", () => {
  it("posts to /embeddings with the upstream model and returns its usage", async () => {
    const result = await adapter.embeddings({ model: "public/embed", input: ["a", "b"], dimensions: 4 }, context());
    expect(upstream.lastRequest!.path).toBe("/embeddings");
    expect(upstream.lastRequest!.body).toEqual({ model: "upstream-model-7b", input: ["a", "b"], dimensions: 4 });
    expect(result.body.data).toHaveLength(2);
    expect(result.body.data[0].embedding).toHaveLength(4);
    expect(result.usage).toEqual({ inputTokens: result.body.usage.prompt_tokens, outputTokens: 0 });
  });

  it.each([
    ["500 → retryable server_error", "status:500", { status: 502, code: "server_error", isRetryable: true }],
    ["429 → rate_limited", "status:429", { status: 429, code: "rate_limited", retryAfterMs: 2_000 }],
    ["400 → bad_request", "status:400", { status: 400, code: "bad_request", isRetryable: false }],
  ])("%s", async (_label, fault, expected) => {
    upstream.setFault(fault);
    expect(await chatError(adapter.embeddings({ model: "public/embed", input: "a" }, context()))).toMatchObject(expected);
  });
});

describe("parseRetryAfterMs", () => {
  const nowMs = Date.parse("2025-01-01T00:00:00Z");
  it.each<[string, Record<string, string>, number | null]>([
    ["whole seconds", { "retry-after": "3" }, 3_000],
    ["fractional seconds round up", { "retry-after": "0.25" }, 250],
    ["an HTTP date in the future", { "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }, 5_000],
    ["an HTTP date in the past means now", { "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }, 0],
    ["retry-after-ms wins over retry-after", { "retry-after-ms": "120", "retry-after": "3" }, 120],
    ["garbage is ignored", { "retry-after": "soon" }, null],
    ["absent", {}, null],
  ])("%s", (_label, headers, expected) => {
    expect(parseRetryAfterMs(new Headers(headers), nowMs)).toBe(expected);
  });
});

describe("upstreamErrorForStatus", () => {
  it.each<[number, Pick<UpstreamError, "status" | "code" | "isRetryable">]>([
    [400, { status: 400, code: "bad_request", isRetryable: false }],
    [401, { status: 502, code: "auth_error", isRetryable: false }],
    [403, { status: 502, code: "auth_error", isRetryable: false }],
    [404, { status: 404, code: "bad_request", isRetryable: false }],
    [408, { status: 504, code: "timeout", isRetryable: true }],
    [409, { status: 502, code: "server_error", isRetryable: true }],
    [413, { status: 413, code: "bad_request", isRetryable: false }],
    [422, { status: 422, code: "bad_request", isRetryable: false }],
    [429, { status: 429, code: "rate_limited", isRetryable: true }],
    [500, { status: 502, code: "server_error", isRetryable: true }],
    [502, { status: 502, code: "server_error", isRetryable: true }],
    [503, { status: 503, code: "server_error", isRetryable: true }],
    [504, { status: 504, code: "server_error", isRetryable: true }],
    [529, { status: 503, code: "server_error", isRetryable: true }],
  ])("upstream HTTP %i", (status, expected) => {
    expect(upstreamErrorForStatus(status, "upstream said no", "p", null)).toMatchObject(expected);
  });
});
