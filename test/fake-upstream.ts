import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 that stands in for OpenAI and Anthropic in tests and benchmarks.
 *
 * Routes: POST /chat/completions and /v1/chat/completions (JSON, or SSE with include_usage),
 * POST /embeddings and /v1/embeddings, POST /v1/messages (Anthropic JSON or SSE), GET /health.
 *
 * Faults, set for the whole server with `setFault()` or per request with the `x-fake-fault`
 * header (the header wins), comma-separated so they combine ("delay:50,slow-stream:20"):
 * - `delay:<ms>`            wait before sending headers
 * - `status:<code>`         answer with that error status (429 carries `retry-after`)
 * - `reset-mid-stream[:N]`  destroy the socket after N stream events (default 2)
 * - `hang-after-headers`    send 200 headers, then nothing, ever
 * - `slow-stream:<ms>`      wait that long between stream events
 * - `fragment:<bytes>`      write each event in pieces of that many bytes with CRLF line endings
 *                           and `: keepalive` comments between events (exercises SSE parsers)
 * - `json-for-stream`       answer a stream request with a plain JSON completion, as some servers do
 * Per request, `x-fake-output-tokens: <n>` overrides the number of output tokens.
 */

export type FakeFault =
  | { kind: "delay"; ms: number }
  | { kind: "status"; status: number }
  | { kind: "reset-mid-stream"; afterEvents: number }
  | { kind: "hang-after-headers" }
  | { kind: "slow-stream"; msPerEvent: number }
  | { kind: "fragment"; bytes: number }
  | { kind: "json-for-stream" };

export type FakeRequestState = "receiving" | "delaying" | "streaming" | "hanging" | "completed" | "client-closed" | "reset";

export type FakeRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  receivedAtMs: number;
  faults: FakeFault[];
  /** Updated live: a test can read it while the response is still being written. */
  state: FakeRequestState;
  eventsSent: number;
  /** Resolves once the response ended, the client went away, or the server reset the socket. */
  done: Promise<FakeRequestState>;
};

export type FakeUpstreamOptions = {
  /** Output tokens per answer unless the request's max_tokens is lower (then finish_reason "length"). */
  outputTokens?: number;
  /** Sent as `retry-after` with a 429 fault. */
  retryAfterSeconds?: number;
  /** When set, requests without this key (Bearer or x-api-key) get a 401 that quotes the key they sent, as OpenAI's does. */
  requireApiKey?: string;
  /** Embedding dimensions when the request does not ask for some. */
  embeddingDimensions?: number;
};

export type FakeUpstream = {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  requests: FakeRequest[];
  readonly requestCount: number;
  readonly lastRequest: FakeRequest | undefined;
  /** Faults for every later request (or just the next `times` requests); null clears them. */
  setFault(fault: string | null, options?: { times?: number }): void;
  /** Forget recorded requests. */
  reset(): void;
  close(): Promise<void>;
};

export function parseFaults(spec: string | null | undefined): FakeFault[] {
  if (!spec) return [];
  return spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): FakeFault => {
      const [name, arg] = part.split(":");
      const number = Number(arg);
      switch (name) {
        case "delay":
          return { kind: "delay", ms: number };
        case "status":
          return { kind: "status", status: number };
        case "reset-mid-stream":
          return { kind: "reset-mid-stream", afterEvents: arg === undefined ? 2 : number };
        case "hang-after-headers":
          return { kind: "hang-after-headers" };
        case "slow-stream":
          return { kind: "slow-stream", msPerEvent: number };
        case "fragment":
          return { kind: "fragment", bytes: arg === undefined ? 3 : number };
        case "json-for-stream":
          return { kind: "json-for-stream" };
        default:
          throw new Error(`fake upstream: unknown fault "${part}"`);
      }
    });
}

type Dialect = "openai" | "anthropic";

function find<K extends FakeFault["kind"]>(faults: FakeFault[], kind: K): Extract<FakeFault, { kind: K }> | undefined {
  return faults.find((fault) => fault.kind === kind) as Extract<FakeFault, { kind: K }> | undefined;
}

function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));
}

function outputWords(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (index === 0 ? `tok${index}` : ` tok${index}`));
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const defaultOutputTokens = options.outputTokens ?? 5;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: FakeRequest[] = [];
  let serverFaults: FakeFault[] = [];
  let serverFaultsRemaining = Infinity;
  let sequence = 0;

  function wait(ms: number, response: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      if (ms <= 0) return resolve(!response.destroyed);
      const onClose = () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        response.off("close", onClose);
        resolve(!response.destroyed);
      }, ms);
      timers.add(timer);
      response.once("close", onClose);
    });
  }

  function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    response.end(text);
  }

  function errorBody(dialect: Dialect, status: number, message: string) {
    if (dialect === "anthropic") {
      const type = status === 429 ? "rate_limit_error" : status === 529 ? "overloaded_error" : status >= 500 ? "api_error" : status === 401 ? "authentication_error" : "invalid_request_error";
      return { type: "error", error: { type, message } };
    }
    const type = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
    return { error: { message, type, param: null, code: status === 401 ? "invalid_api_key" : null } };
  }

  /** Writes stream events honouring the stream faults; returns false when the stream was cut. */
  async function writeEvents(record: FakeRequest, response: ServerResponse, events: string[]): Promise<boolean> {
    const reset = find(record.faults, "reset-mid-stream");
    const slow = find(record.faults, "slow-stream");
    const fragment = find(record.faults, "fragment");
    let lastWrite: Promise<unknown> = Promise.resolve();
    for (const [index, event] of events.entries()) {
      if (reset && index === reset.afterEvents) {
        // Let what was written reach the client first, or the reset would look like a refused request.
        await lastWrite;
        await wait(5, response);
        record.state = "reset";
        response.socket?.destroy();
        return false;
      }
      if (slow && index > 0 && !(await wait(slow.msPerEvent, response))) return false;
      if (response.destroyed) return false;
      if (fragment) {
        const text = `: keepalive\r\n\r\n${event.replace(/\n/g, "\r\n")}`;
        for (let offset = 0; offset < text.length; offset += fragment.bytes) {
          response.write(text.slice(offset, offset + fragment.bytes));
          if (!(await wait(1, response))) return false;
        }
      } else {
        lastWrite = new Promise((resolve) => response.write(event, resolve));
      }
      record.eventsSent++;
    }
    return true;
  }

  function sse(data: unknown, event?: string): string {
    return `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
  }

  function openAiChat(body: Record<string, unknown>, outputTokens: number, model: string) {
    const maxTokens = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
    const count = maxTokens !== undefined ? Math.min(maxTokens, outputTokens) : outputTokens;
    const finishReason = maxTokens !== undefined && maxTokens < outputTokens ? "length" : "stop";
    const id = `chatcmpl-fake-${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: estimateTokens(body.messages), completion_tokens: count, total_tokens: estimateTokens(body.messages) + count };
    return { id, created, model, words: outputWords(count), finishReason, usage };
  }

  async function handleOpenAiChat(record: FakeRequest, response: ServerResponse, outputTokens: number) {
    const body = record.body as Record<string, unknown>;
    const model = String(body.model ?? "fake-model");
    const answer = openAiChat(body, outputTokens, model);
    if (!body.stream || find(record.faults, "json-for-stream")) {
      sendJson(response, 200, {
        id: answer.id,
        object: "chat.completion",
        created: answer.created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: answer.words.join(""), refusal: null }, logprobs: null, finish_reason: answer.finishReason }],
        usage: answer.usage,
        system_fingerprint: "fp_fake",
      });
      return;
    }
    const base = { id: answer.id, object: "chat.completion.chunk", created: answer.created, model, system_fingerprint: "fp_fake" };
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const events = [
      sse({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) }),
      ...answer.words.map((word) => sse({ ...base, choices: [{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) })),
      sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: answer.finishReason }], ...(includeUsage ? { usage: null } : {}) }),
      ...(includeUsage ? [sse({ ...base, choices: [], usage: answer.usage })] : []),
      sse("[DONE]"),
    ];
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    record.state = "streaming";
    if (await writeEvents(record, response, events)) response.end();
  }

  async function handleEmbeddings(record: FakeRequest, response: ServerResponse) {
    const body = record.body as { input?: unknown; model?: string; dimensions?: number; encoding_format?: string };
    const inputs = Array.isArray(body.input) && typeof body.input[0] !== "number" ? (body.input as unknown[]) : [body.input];
    const dimensions = body.dimensions ?? options.embeddingDimensions ?? 8;
    const data = inputs.map((input, index) => {
      const vector = Array.from({ length: dimensions }, (_, i) => ((JSON.stringify(input).length + i) % 7) / 7);
      const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
      return { object: "embedding", index, embedding };
    });
    const promptTokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(input), 0);
    sendJson(response, 200, { object: "list", data, model: body.model ?? "fake-embedding", usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
  }

  async function handleAnthropicMessages(record: FakeRequest, response: ServerResponse, outputTokens: number) {
    const body = record.body as { model?: string; max_tokens?: number; stream?: boolean; tools?: Array<{ name: string }>; tool_choice?: { type: string; name?: string }; messages?: unknown; system?: unknown };
    const model = body.model ?? "claude-fake";
    const id = `msg_fake_${++sequence}`;
    const inputTokens = estimateTokens([body.system, body.messages]);
    const forcedTool = body.tools?.length && (body.tool_choice?.type === "any" || body.tool_choice?.type === "tool") ? (body.tool_choice.name ?? body.tools[0].name) : null;
    const maxTokens = body.max_tokens ?? Infinity;
    const count = Math.min(maxTokens, outputTokens);
    const words = outputWords(count);
    const stopReason = forcedTool ? "tool_use" : maxTokens < outputTokens ? "max_tokens" : "end_turn";
    const toolInput = { location: "Paris" };
    const toolId = `toolu_fake_${sequence}`;

    if (!body.stream) {
      const content = forcedTool ? [{ type: "tool_use", id: toolId, name: forcedTool, input: toolInput }] : [{ type: "text", text: words.join("") }];
      sendJson(response, 200, { id, type: "message", role: "assistant", model, content, stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: count } });
      return;
    }
    const blocks = forcedTool
      ? [
          sse({ type: "content_block_start", index: 0, content_block: { type: "tool_use", id: toolId, name: forcedTool, input: {} } }, "content_block_start"),
          sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"location":' } }, "content_block_delta"),
          sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: ' "Paris"}' } }, "content_block_delta"),
        ]
      : [
          sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
          ...words.map((word) => sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: word } }, "content_block_delta")),
        ];
    const events = [
      sse({ type: "message_start", message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } }, "message_start"),
      ...blocks.slice(0, 1),
      sse({ type: "ping" }, "ping"),
      ...blocks.slice(1),
      sse({ type: "content_block_stop", index: 0 }, "content_block_stop"),
      sse({ type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: count } }, "message_delta"),
      sse({ type: "message_stop" }, "message_stop"),
    ];
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    record.state = "streaming";
    if (await writeEvents(record, response, events)) response.end();
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Recorded as raw text so a test can see what was sent.
    }
    const headerFault = request.headers["x-fake-fault"];
    let faults = parseFaults(Array.isArray(headerFault) ? headerFault.join(",") : headerFault);
    if (headerFault === undefined && serverFaultsRemaining > 0) {
      faults = serverFaults;
      serverFaultsRemaining--;
    }
    let resolveDone: (state: FakeRequestState) => void = () => {};
    const record: FakeRequest = {
      method: request.method ?? "GET",
      path: (request.url ?? "/").split("?")[0],
      headers: request.headers,
      body,
      receivedAtMs: Date.now(),
      faults,
      state: "receiving",
      eventsSent: 0,
      done: new Promise((resolve) => (resolveDone = resolve)),
    };
    requests.push(record);
    response.on("close", () => {
      if (record.state !== "reset") record.state = response.writableFinished ? "completed" : "client-closed";
      resolveDone(record.state);
    });

    const dialect: Dialect = record.path === "/v1/messages" ? "anthropic" : "openai";
    const delay = find(faults, "delay");
    if (delay) {
      record.state = "delaying";
      if (!(await wait(delay.ms, response))) return;
    }

    if (options.requireApiKey) {
      const sent = request.headers["x-api-key"] ?? request.headers.authorization?.replace(/^Bearer /, "");
      if (sent !== options.requireApiKey) {
        return sendJson(response, 401, errorBody(dialect, 401, `Incorrect API key provided: ${String(sent)}. You can find your API key at https://example.invalid.`));
      }
    }

    const statusFault = find(faults, "status");
    if (statusFault) {
      const headers: Record<string, string> = statusFault.status === 429 ? { "retry-after": String(options.retryAfterSeconds ?? 1) } : {};
      const message = statusFault.status === 400 ? "Invalid value for 'temperature': must be at most 2." : `fake upstream fault: HTTP ${statusFault.status}`;
      return sendJson(response, statusFault.status, errorBody(dialect, statusFault.status, message), headers);
    }

    if (find(faults, "hang-after-headers")) {
      const isStream = (body as { stream?: boolean } | undefined)?.stream === true;
      response.writeHead(200, { "content-type": isStream ? "text/event-stream" : "application/json" });
      response.flushHeaders();
      record.state = "hanging";
      return;
    }

    const outputHeader = Number(request.headers["x-fake-output-tokens"]);
    const outputTokens = Number.isFinite(outputHeader) && outputHeader >= 0 ? outputHeader : defaultOutputTokens;
    if (request.method === "GET" && record.path === "/health") return sendJson(response, 200, { ok: true });
    if (request.method !== "POST") return sendJson(response, 405, errorBody(dialect, 405, "method not allowed"));
    switch (record.path) {
      case "/chat/completions":
      case "/v1/chat/completions":
        return handleOpenAiChat(record, response, outputTokens);
      case "/embeddings":
      case "/v1/embeddings":
        return handleEmbeddings(record, response);
      case "/v1/messages":
        return handleAnthropicMessages(record, response, outputTokens);
      default:
        return sendJson(response, 404, errorBody(dialect, 404, `no route ${record.path}`));
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on("connection", (socket) => {
    // Streams are latency tests: never let Nagle batch two events into one segment.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get requestCount() {
      return requests.length;
    },
    get lastRequest() {
      return requests.at(-1);
    },
    setFault(fault, faultOptions) {
      serverFaults = parseFaults(fault);
      serverFaultsRemaining = faultOptions?.times ?? Infinity;
    },
    reset() {
      requests.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
