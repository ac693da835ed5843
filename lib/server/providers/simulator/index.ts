import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsRequest, EmbeddingsResult, ProviderAdapter, Usage } from "../types";
import { UpstreamError } from "../types";
import { cancellable } from "../upstream-http";
import { hash32, planSimulatedReply, randomFrom, type CountTokens, type SimulatedReply } from "./plan";

export { countInputTokens, planSimulatedReply, type CountTokens, type SimulatedReply } from "./plan";

/**
 * A provider that needs no network: a fresh install (and the demo world) routes real requests to
 * it offline. Answers (planned in ./plan.ts) are deterministic for the same messages and seed,
 * arrive at a configurable pace, and report real usage numbers, so metering behaves exactly as
 * with a remote upstream.
 */

export type SimulatorConfig = {
  /** Time to the first token. */
  latencyMs: number;
  /** Pace of the following tokens; 0 sends them all at once. */
  tokensPerSecond: number;
  /** Share of requests that fail with a retryable 503, 0..1. */
  failureRate: number;
};

const DEFAULT_CONFIG: SimulatorConfig = { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 };
const DEFAULT_EMBEDDING_DIMENSIONS = 256;

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

/** `requestKey` is called only when a failure is possible: serialising a large request costs time. */
function isSimulatedFailure(request: { seed?: number }, requestKey: () => string, failureRate: number): boolean {
  if (failureRate <= 0) return false;
  const roll = request.seed === undefined ? Math.random() : randomFrom(hash32(`${requestKey()}\u0000${request.seed}\u0000failure`))();
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
  return { id, object: "chat.completion", created: createdSeconds, model, choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }], usage: openAiUsage(reply.usage) };
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
      if (isSimulatedFailure(request, () => JSON.stringify(request.messages), config.failureRate)) {
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

      // One chunk per batch: each token arrives on its own, as from a real upstream.
      async function* batches(): AsyncGenerator<ChatCompletionChunk[]> {
        // Deadlines are absolute so timer lateness does not accumulate into a slower stream.
        const firstTokenAtMs = performance.now();
        for (const [index, delta] of deltas.entries()) {
          if (index > 0) await sleep(firstTokenAtMs + index * tokenIntervalMs - performance.now(), streamSignal);
          else if (streamSignal.aborted) throw streamSignal.reason;
          yield [chunk(delta)];
        }
        yield [chunk({}, reply.finishReason)];
        usage = reply.usage;
        yield [{ id, object: "chat.completion.chunk", created: createdSeconds, model: upstreamModel, choices: [], usage: openAiUsage(reply.usage) }];
      }

      return { kind: "stream", batches: cancellable(batches(), () => cancel.abort()), usage: () => usage };
    },

    async embeddings(request, { provider, upstreamModel, signal }): Promise<EmbeddingsResult> {
      const config = readSimulatorConfig(provider.config);
      await sleep(config.latencyMs, signal);
      const inputs = embeddingInputs(request.input);
      if (isSimulatedFailure({}, () => JSON.stringify(request.input), config.failureRate)) {
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
