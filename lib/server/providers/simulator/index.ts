import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatMessage, EmbeddingsRequest, EmbeddingsResult, ProviderAdapter, Usage } from "../types";
import { UpstreamError } from "../types";
import { cancellable } from "../upstream-http";

/**
 * A provider that needs no network: a fresh install (and the demo world) routes real requests to
 * it offline. Answers are deterministic for the same messages and seed, arrive at a configurable
 * pace, and report real usage numbers, so metering behaves exactly as with a remote upstream.
 */

export type SimulatorConfig = {
  /** Time to the first token. */
  latencyMs: number;
  /** Pace of the following tokens; 0 sends them all at once. */
  tokensPerSecond: number;
  /** Share of requests that fail with a retryable 503, 0..1. */
  failureRate: number;
};

export type CountTokens = (text: string) => number;

const DEFAULT_CONFIG: SimulatorConfig = { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 };
const DEFAULT_OUTPUT_TOKENS = 64;
const MAX_OUTPUT_TOKENS = 256;
const DEFAULT_EMBEDDING_DIMENSIONS = 256;
/** OpenAI's accounting for chat framing: a few tokens per message plus the reply's priming. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

const WORDS = (
  "the a of to and in that for it with as on this by from at can will be is are was model " +
  "credit compute token request route provider latency answer simple quick clear result value " +
  "system data plan cost budget stream reply message useful small large fast steady good " +
  "works runs sends returns checks counts keeps moves builds makes finds shows " +
  "today here now again always often together carefully quickly"
).split(" ");
const PLACES = ["Paris", "Lisbon", "Nairobi", "Osaka", "Toronto", "Lima", "Oslo", "Cairo"];

function readNumber(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

export function readSimulatorConfig(config: Record<string, unknown>): SimulatorConfig {
  return {
    latencyMs: readNumber(config.latencyMs, DEFAULT_CONFIG.latencyMs, 0, 600_000),
    tokensPerSecond: readNumber(config.tokensPerSecond, DEFAULT_CONFIG.tokensPerSecond, 0, 1_000_000),
    failureRate: readNumber(config.failureRate, DEFAULT_CONFIG.failureRate, 0, 1),
  };
}

/** FNV-1a: tiny, stable across processes and versions, which is all determinism needs here. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a seeded PRNG, uniform in [0, 1). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => (typeof part.text === "string" ? part.text : "")).join("");
}

/** Chat-framed input count, close to what OpenAI bills for the same messages. */
export function countInputTokens(request: ChatCompletionRequest, countTokens: CountTokens): number {
  let total = TOKENS_PER_REPLY;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + countTokens(message.role) + countTokens(textOf(message.content));
    if (message.name) total += countTokens(message.name);
    if (message.tool_calls?.length) total += countTokens(JSON.stringify(message.tool_calls));
  }
  if (request.tools?.length) total += countTokens(JSON.stringify(request.tools));
  return total;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/** Words grouped into capitalised sentences of 5–12 words, each word one output token. */
function sentenceWords(count: number, random: () => number): string[] {
  const words: string[] = [];
  let sentenceLeft = 0;
  for (let i = 0; i < count; i++) {
    let word = pick(WORDS, random);
    if (sentenceLeft === 0) {
      sentenceLeft = 5 + Math.floor(random() * 8);
      word = word[0].toUpperCase() + word.slice(1);
    }
    sentenceLeft--;
    if (sentenceLeft === 0 || i === count - 1) word += ".";
    words.push(word);
  }
  return words;
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; items?: JsonSchema };

/** A value that satisfies the simple schemas tools and response formats use: required fields only. */
function valueForSchema(schema: JsonSchema | undefined, name: string, random: () => number): unknown {
  if (!schema) return {};
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return /location|city|place|where/i.test(name) ? pick(PLACES, random) : `${pick(WORDS, random)} ${pick(WORDS, random)}`;
    case "number":
      return Math.round(random() * 1000) / 10;
    case "integer":
      return Math.floor(random() * 100);
    case "boolean":
      return random() < 0.5;
    case "array":
      return [];
    case "null":
      return null;
    default: {
      const object: Record<string, unknown> = {};
      for (const key of schema.required ?? []) object[key] = valueForSchema(schema.properties?.[key], key, random);
      return object;
    }
  }
}

/** Splits text into output tokens the way the stream sends them: each word with its leading space. */
function piecesOf(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

export type SimulatedReply =
  | { kind: "text"; pieces: string[]; finishReason: "stop" | "length"; usage: Usage }
  | { kind: "tool_call"; toolCall: { id: string; name: string; arguments: string }; usage: Usage };

type FunctionTool = { type?: string; function?: { name?: string; parameters?: JsonSchema } };

function forcedToolName(toolChoice: unknown): string | null {
  if (toolChoice && typeof toolChoice === "object") return (toolChoice as { function?: { name?: string } }).function?.name ?? null;
  return null;
}

function cutAtStop(pieces: string[], stop: ChatCompletionRequest["stop"]): string[] | null {
  const sequences = (Array.isArray(stop) ? stop : stop ? [stop] : []).filter((sequence) => sequence !== "");
  if (sequences.length === 0) return null;
  const text = pieces.join("");
  let cutAt = -1;
  for (const sequence of sequences) {
    const index = text.indexOf(sequence);
    if (index !== -1 && (cutAt === -1 || index < cutAt)) cutAt = index;
  }
  if (cutAt === -1) return null;
  const kept: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (length + piece.length >= cutAt) {
      if (cutAt > length) kept.push(piece.slice(0, cutAt - length));
      break;
    }
    kept.push(piece);
    length += piece.length;
  }
  return kept;
}

/** The whole answer, decided up front from the request alone. Pure, so it is tested as a table. */
export function planSimulatedReply(request: ChatCompletionRequest, countTokens: CountTokens): SimulatedReply {
  const lastUser = [...request.messages].reverse().find((message) => message.role === "user");
  const lastUserText = textOf(lastUser?.content ?? "");
  const seedText = `${lastUserText}\u0000${request.seed ?? ""}`;
  const random = randomFrom(hash32(seedText));
  const inputTokens = countInputTokens(request, countTokens);

  const tools = ((request.tools ?? []) as FunctionTool[]).filter((tool) => tool.function?.name);
  const forcedName = forcedToolName(request.tool_choice);
  const isToolCall = tools.length > 0 && request.tool_choice !== "none" && (request.tool_choice === "required" || forcedName !== null || /\bweather\b/i.test(lastUserText));
  if (isToolCall) {
    const tool = tools.find((candidate) => candidate.function!.name === forcedName) ?? tools[0];
    const name = tool.function!.name!;
    const args = JSON.stringify(valueForSchema(tool.function!.parameters ?? { type: "object" }, name, random));
    const id = `call_${hash32(`${seedText}\u0000${name}`).toString(16).padStart(8, "0")}`;
    return { kind: "tool_call", toolCall: { id, name, arguments: args }, usage: { inputTokens, outputTokens: countTokens(name) + countTokens(args) } };
  }

  const limit = request.max_completion_tokens ?? request.max_tokens;
  const targetTokens = Math.max(1, Math.min(limit ?? DEFAULT_OUTPUT_TOKENS, MAX_OUTPUT_TOKENS));
  const isCutByLimit = limit !== undefined && limit <= MAX_OUTPUT_TOKENS;
  const format = request.response_format as { type?: string; json_schema?: { schema?: JsonSchema } } | undefined;
  let pieces: string[];
  if (format?.type === "json_schema" && format.json_schema?.schema?.properties) {
    pieces = piecesOf(JSON.stringify(valueForSchema(format.json_schema.schema, "", random), null, 1).replace(/\n/g, ""));
  } else if (format?.type === "json_object" || format?.type === "json_schema") {
    // The `{"reply":` opener is a token too, so the words fill what is left of the budget.
    pieces = piecesOf(`{"reply": "${sentenceWords(Math.max(1, targetTokens - 1), random).join(" ")}"}`);
  } else {
    pieces = piecesOf(sentenceWords(targetTokens, random).join(" "));
  }
  const stopped = cutAtStop(pieces, request.stop);
  const finishReason = stopped ? "stop" : isCutByLimit ? "length" : "stop";
  const kept = stopped ?? pieces;
  return { kind: "text", pieces: kept, finishReason, usage: { inputTokens, outputTokens: kept.length } };
}

function isSimulatedFailure(request: { seed?: number }, requestKey: string, failureRate: number): boolean {
  if (failureRate <= 0) return false;
  const roll = request.seed === undefined ? Math.random() : randomFrom(hash32(`${requestKey}\u0000${request.seed}\u0000failure`))();
  return roll < failureRate;
}

/** Resolves after `ms`, or rejects with the abort reason as soon as the signal fires, leaving no timer behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function openAiUsage(usage: Usage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

function completionOf(reply: SimulatedReply, id: string, model: string, createdSeconds: number): ChatCompletion {
  const message: Record<string, unknown> =
    reply.kind === "tool_call"
      ? { role: "assistant", content: null, refusal: null, tool_calls: [{ id: reply.toolCall.id, type: "function", function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }] }
      : { role: "assistant", content: reply.pieces.join(""), refusal: null };
  const finishReason = reply.kind === "tool_call" ? "tool_calls" : reply.finishReason;
  return { id, object: "chat.completion", created: createdSeconds, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }], usage: openAiUsage(reply.usage) };
}

/** The deltas a stream sends, one per output token; the first carries the role. */
function deltasOf(reply: SimulatedReply): Array<Record<string, unknown>> {
  if (reply.kind === "tool_call") {
    const { id, name, arguments: args } = reply.toolCall;
    return [
      { role: "assistant", content: null, tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: args } }] },
    ];
  }
  if (reply.pieces.length === 0) return [{ role: "assistant", content: "" }];
  return reply.pieces.map((piece, index) => (index === 0 ? { role: "assistant", content: piece } : { content: piece }));
}

function embeddingInputs(input: EmbeddingsRequest["input"]): Array<string | number[]> {
  if (typeof input === "string") return [input];
  if (input.length === 0) return [];
  if (typeof input[0] === "number") return [input as number[]];
  return input as Array<string | number[]>;
}

/** A unit vector derived from the input alone, as float32 values so `float` and `base64` agree. */
export function simulatedEmbedding(input: string | number[], dimensions: number): number[] {
  const random = randomFrom(hash32(typeof input === "string" ? `s:${input}` : `t:${input.join(",")}`));
  const vector = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => Math.fround(value / norm));
}

/** OpenAI's base64 embedding encoding: the float32 array's little-endian bytes. */
export function encodeFloat32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString("base64");
}

export function createSimulatorAdapter(countTokens: CountTokens): ProviderAdapter {
  return {
    kind: "simulator",

    async chat(request, { provider, upstreamModel, signal }) {
      const config = readSimulatorConfig(provider.config);
      const reply = planSimulatedReply(request, countTokens);
      // The answer is deterministic, the id is not: usage records and logs key on it.
      const id = `chatcmpl-sim-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
      const createdSeconds = Math.floor(Date.now() / 1000);
      const tokenIntervalMs = config.tokensPerSecond > 0 ? 1000 / config.tokensPerSecond : 0;
      const deltas = deltasOf(reply);

      const startedAtMs = performance.now();
      await sleep(config.latencyMs, signal);
      if (isSimulatedFailure(request, JSON.stringify(request.messages), config.failureRate)) {
        throw new UpstreamError(503, `Simulated upstream failure on "${provider.slug}"`, true, null, "server_error");
      }

      if (!request.stream) {
        // A non-streamed answer arrives when its last token would have.
        await sleep(startedAtMs + config.latencyMs + (deltas.length - 1) * tokenIntervalMs - performance.now(), signal);
        return { kind: "json", completion: completionOf(reply, id, upstreamModel, createdSeconds), usage: reply.usage };
      }

      const cancel = new AbortController();
      const streamSignal = AbortSignal.any([signal, cancel.signal]);
      let usage: Usage | null = null;
      const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): ChatCompletionChunk => ({
        id,
        object: "chat.completion.chunk",
        created: createdSeconds,
        model: upstreamModel,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      });

      async function* chunks(): AsyncGenerator<ChatCompletionChunk> {
        // Deadlines are absolute so timer lateness does not accumulate into a slower stream.
        const firstTokenAtMs = performance.now();
        for (const [index, delta] of deltas.entries()) {
          if (index > 0) await sleep(firstTokenAtMs + index * tokenIntervalMs - performance.now(), streamSignal);
          else if (streamSignal.aborted) throw streamSignal.reason;
          yield chunk(delta);
        }
        yield chunk({}, reply.kind === "tool_call" ? "tool_calls" : reply.finishReason);
        usage = reply.usage;
        yield { id, object: "chat.completion.chunk", created: createdSeconds, model: upstreamModel, choices: [], usage: openAiUsage(reply.usage) };
      }

      return { kind: "stream", chunks: cancellable(chunks(), () => cancel.abort()), usage: () => usage };
    },

    async embeddings(request, { provider, upstreamModel, signal }): Promise<EmbeddingsResult> {
      const config = readSimulatorConfig(provider.config);
      await sleep(config.latencyMs, signal);
      const inputs = embeddingInputs(request.input);
      if (isSimulatedFailure({}, JSON.stringify(request.input), config.failureRate)) {
        throw new UpstreamError(503, `Simulated upstream failure on "${provider.slug}"`, true, null, "server_error");
      }
      const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
      const data = inputs.map((input, index) => {
        const vector = simulatedEmbedding(input, dimensions);
        return { object: "embedding" as const, index, embedding: request.encoding_format === "base64" ? encodeFloat32Base64(vector) : vector };
      });
      const inputTokens = inputs.reduce((sum, input) => sum + (typeof input === "string" ? countTokens(input) : input.length), 0);
      return {
        body: { object: "list", data, model: upstreamModel, usage: { prompt_tokens: inputTokens, total_tokens: inputTokens } },
        usage: { inputTokens, outputTokens: 0 },
      };
    },
  };
}

/** Until a real tokenizer is wired in: about four characters per token, as OpenAI's rule of thumb. */
export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

export const simulatorAdapter: ProviderAdapter = createSimulatorAdapter(estimateTokens);
