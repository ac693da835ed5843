import "@/lib/server/server-only";
import { settledChargeMicros, spendableAfterSettlementMicros } from "@/lib/domain/ledger/settlement";
import { requestCostMicros } from "@/lib/domain/money";
import type { SseFrame, StreamEncoder, XBlockable } from "@/lib/domain/routing/stream-encoder";
import { estimateInputTokens, maxOutputTokens } from "@/lib/domain/routing/worst-case";
import type { Db } from "@/lib/server/db/client";
import { adapterFor } from "@/lib/server/providers/registry";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatResult, Usage } from "@/lib/server/providers/types";
import type { CatalogRoute } from "./catalog";
import { authenticateRequest, errorReply, findModelOrThrow, planOrThrow, readJsonBody, reserveOrThrow, settleWithRetry, worstCaseOf, type Caller, type GatewayOptions } from "./edge";
import { runFailover } from "./failover";
import { watchForFreeze } from "./freeze-watch";
import { settleRequest, type SettledRequest, type UsageRecord } from "./metering";
import { OpenAiError } from "./openai-errors";
import { admitRequest } from "./rate-limits";
import { jsonReply, newRequestId, type GatewayReply, type GatewayRequest, type StreamSink } from "./reply";
import { countTokens } from "./tokenizer";

/**
 * The metered flow behind every chat-like endpoint of the routing API — Chat Completions today,
 * the Responses API on the same path — so both are routed, held, metered and settled alike:
 *
 *   authenticate → admit (rate limits; their headers go on every reply from here on, errors
 *   included) → read the body → `dialect.toChatRequest` (parse, validate, translate) → model →
 *   worst case → plan → hold → `runFailover` over the planned routes (failover.ts) → settle →
 *   `dialect.renderJson`, or a stream whose frames `dialect.createStreamEncoder` decides.
 *
 * A dialect only translates: the request into a `ChatCompletionRequest`, the completion into its
 * JSON reply, upstream chunks into its SSE frames (lib/domain/routing/stream-encoder.ts). The
 * admission is released exactly once, when the request is over: its JSON reply is out (with the
 * deferred settlement) or built (errors, or a settlement that is not deferred), or its stream
 * ended, failed or was cancelled.
 *
 * Hot path: no database round trip and no serialisation beyond the ones each step needs; phase
 * timings go out as Server-Timing.
 */

export type DialectContext = {
  requestId: string;
  /** The model as the client named it, which every reply shows (never the upstream's id). */
  modelSlug: string;
  /** Unix seconds of the request, for `created` fields. */
  createdS: number;
};

export type ChatLikeDialect = {
  /** Recorded on the usage event. */
  endpoint: UsageRecord["endpoint"];
  /**
   * The parsed JSON body → a validated chat request; throws OpenAiError (400 naming the field).
   * `stream: true` streams. Runs after authentication and admission; `caller` is who asks (a
   * dialect may load what the body refers to, scoped to the caller's organisation).
   */
  toChatRequest(body: unknown, caller: Caller): ChatCompletionRequest | Promise<ChatCompletionRequest>;
  /** A non-streamed reply: the upstream's completion with the billed usage and `x_blockable`. */
  renderJson(completion: ChatCompletion, usage: Usage, xBlockable: Required<XBlockable>, context: DialectContext): unknown;
  /** A streamed reply's frames, one encoder per request. */
  createStreamEncoder(chatRequest: ChatCompletionRequest, context: DialectContext): StreamEncoder;
};

const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
const MAX_STREAM_MS = 10 * 60_000;
const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

function costOf(route: CatalogRoute, usage: Usage): bigint {
  return requestCostMicros({
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens,
    outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens,
  });
}

function deltaText(chunk: ChatCompletionChunk): string {
  let text = "";
  for (const choice of chunk.choices) {
    const delta = choice.delta as { content?: unknown; tool_calls?: unknown };
    if (typeof delta.content === "string") text += delta.content;
    if (delta.tool_calls) text += JSON.stringify(delta.tool_calls);
  }
  return text;
}

/** Calls `release` at most once, however many endings race. */
function once(release: () => void): () => void {
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    release();
  };
}

export async function runChatLike(db: Db, request: GatewayRequest, options: GatewayOptions, dialect: ChatLikeDialect): Promise<GatewayReply> {
  const requestId = newRequestId();
  const startedAt = Date.now();
  const now = new Date(startedAt);
  let limitHeaders: Record<string, string> | undefined;
  let release: (() => void) | null = null;
  /** Set once a later step (the stream, or the deferred settlement) frees the admission itself. */
  let isReleaseHandedOver = false;
  try {
    // Phase timings go out as a Server-Timing header: where the routing API spends its time.
    const marks: [string, number][] = [];
    const mark = (name: string) => marks.push([name, performance.now()]);
    const serverTiming = () => marks.slice(1).map(([name, at], i) => `${name};dur=${(at - marks[i][1]).toFixed(2)}`).join(", ");
    mark("start");
    const caller = await authenticateRequest(db, request, now);
    mark("auth");
    const admission = await admitRequest(db, caller, startedAt);
    limitHeaders = admission.headers;
    release = once(admission.release);
    mark("admit");
    const chatRequest = await dialect.toChatRequest(await readJsonBody(request), caller);
    const model = await findModelOrThrow(db, chatRequest.model, "chat");
    const estimatedInputTokens = estimateInputTokens(chatRequest.messages, countTokens, chatRequest.tools ?? null);
    const limit = maxOutputTokens(chatRequest, { estimatedInputTokens, contextWindowTokens: model.contextWindow, defaultMaxTokens: DEFAULT_MAX_OUTPUT_TOKENS });
    if (!limit.ok) throw new OpenAiError(400, "context_length_exceeded", limit.message, limit.param);
    const candidates = planOrThrow(model, request, estimatedInputTokens, limit.maxOutputTokens, startedAt);
    mark("plan");
    const isStream = chatRequest.stream === true;
    const hold = await reserveOrThrow(db, caller, requestId, worstCaseOf(candidates), model.slug, now, isStream);
    mark("reserve");

    const abort = new AbortController();
    const onClientGone = () => abort.abort();
    request.signal.addEventListener("abort", onClientGone);
    const settle = (route: CatalogRoute, usage: Usage, status: UsageRecord["status"]) =>
      settleRequest(db, {
        holdId: hold.id,
        actualMicros: status === "error" && usage.outputTokens === 0 ? 0n : costOf(route, usage),
        now: new Date(),
        apiKey: caller.apiKey,
        usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug: route.providerSlug, endpoint: dialect.endpoint, ...usage, latencyMs: Date.now() - startedAt, status },
      });

    const outcome = await runFailover(
      candidates,
      (route) => adapterFor(route.provider.kind).chat({ ...chatRequest, model: route.upstreamModel, max_tokens: chatRequest.max_tokens ?? undefined }, { provider: route.provider, upstreamModel: route.upstreamModel, signal: abort.signal }),
      { signal: abort.signal, requestId },
    );
    mark("upstream");
    const context: DialectContext = { requestId, modelSlug: model.slug, createdS: Math.floor(startedAt / 1000) };

    if (!outcome.ok) {
      request.signal.removeEventListener("abort", onClientGone);
      const route = outcome.route ?? candidates.at(-1)!;
      if (outcome.error === null) {
        await settle(route, NO_USAGE, "aborted");
        return { kind: "empty", status: 499, headers: { "x-request-id": requestId, ...limitHeaders } };
      }
      await settle(route, NO_USAGE, "error");
      throw outcome.error;
    }

    const { route, value: result } = outcome;
    if (result.kind === "json") {
      request.signal.removeEventListener("abort", onClientGone);
      const usage = result.usage ?? { inputTokens: estimatedInputTokens, outputTokens: countTokens(result.completion.choices.map((c) => JSON.stringify(c.message ?? "")).join("")) };
      let settled: { chargedMicros: bigint; spendableLeftMicros: bigint };
      if (options.settleAfterResponse) {
        const actualMicros = costOf(route, usage);
        // The concurrency slot frees when the reply is out, in the settlement's turn (one commit for both on SQLite).
        const releaseAdmission = release;
        isReleaseHandedOver = true;
        options.settleAfterResponse(() => {
          const settled = settleWithRetry(() => settle(route, usage, "ok"), requestId);
          releaseAdmission?.();
          return settled;
        });
        settled = {
          chargedMicros: settledChargeMicros(hold.amountMicros, actualMicros),
          spendableLeftMicros: spendableAfterSettlementMicros({ spendableAfterHoldMicros: hold.spendableAfterHoldMicros, holdMicros: hold.amountMicros, actualMicros }),
        };
      } else {
        settled = await settle(route, usage, "ok");
      }
      mark("settle");
      const xBlockable = { request_id: requestId, provider: route.providerSlug, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() };
      return jsonReply(dialect.renderJson(result.completion, usage, xBlockable, context), { headers: { "x-request-id": requestId, "server-timing": serverTiming(), ...limitHeaders } });
    }

    isReleaseHandedOver = true;
    return streamReply({
      db,
      request,
      requestId,
      route,
      caller,
      result,
      estimatedInputTokens,
      encoder: dialect.createStreamEncoder(chatRequest, context),
      abort,
      onClientGone,
      settle,
      freezeBaseline: hold.freezeMarker,
      release,
      headers: { "x-request-id": requestId, "server-timing": serverTiming(), ...limitHeaders },
    });
  } catch (error) {
    return errorReply(error, requestId, limitHeaders);
  } finally {
    if (!isReleaseHandedOver) release?.();
  }
}

type StreamInput = {
  db: Db;
  request: GatewayRequest;
  requestId: string;
  route: CatalogRoute;
  caller: Caller;
  result: Extract<ChatResult, { kind: "stream" }>;
  estimatedInputTokens: number;
  encoder: StreamEncoder;
  abort: AbortController;
  onClientGone: () => void;
  settle: (route: CatalogRoute, usage: Usage, status: UsageRecord["status"]) => Promise<SettledRequest>;
  freezeBaseline: string | null;
  release: () => void;
  headers: Record<string, string>;
};

/** SSE frames as text, all of one batch in one string (one write to the client). */
function encodeFrames(frames: readonly SseFrame[]): string {
  let text = "";
  for (const frame of frames) {
    if (frame.event) text += `event: ${frame.event}\n`;
    text += `data: ${typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data)}\n\n`;
  }
  return text;
}

/** Resolves on the event loop's next turn (after pending I/O callbacks). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends the dialect's frames as chunks arrive, one write per upstream read. Ends early — billing
 * only what was sent — when the client leaves, the upstream breaks, the payer's credits are
 * frozen, or the stream runs too long.
 */
function streamReply(input: StreamInput): GatewayReply {
  const { db, request, requestId, route, caller, result, estimatedInputTokens, encoder, abort, settle, release } = input;
  const iterator = result.batches[Symbol.asyncIterator]();
  let sentText = "";
  let stopReason: "frozen" | "too_long" | null = null;
  const stopTimer = setTimeout(() => {
    stopReason = "too_long";
    abort.abort();
  }, MAX_STREAM_MS);
  const unwatch = watchForFreeze(db, caller.orgId, input.freezeBaseline, () => {
    stopReason = "frozen";
    abort.abort();
  });
  const cleanup = () => {
    clearTimeout(stopTimer);
    unwatch();
    request.signal.removeEventListener("abort", input.onClientGone);
  };
  const sentUsage = (): Usage => ({ inputTokens: estimatedInputTokens, outputTokens: countTokens(sentText) });
  /**
   * Settles, and frees the concurrency slot in the same turn: on SQLite the lease's delete then
   * shares the settlement's commit (sql-program.ts) instead of paying for one of its own.
   */
  const settleAndRelease = (settledRoute: CatalogRoute, usage: Usage, status: UsageRecord["status"]) => {
    try {
      return settle(settledRoute, usage, status);
    } finally {
      release();
    }
  };

  /** The client went away: stop the upstream and bill what was sent. */
  const stopForGoneClient = async (sink: StreamSink) => {
    cleanup();
    abort.abort();
    await iterator.return?.().catch(() => undefined);
    await settleAndRelease(route, sentUsage(), "aborted").catch(() => undefined);
    sink.end();
  };

  /** The upstream read failed: the client left, or the stream was stopped or broke. */
  const stopOnError = async (sink: StreamSink, error: unknown) => {
    cleanup();
    const status = stopReason === "frozen" ? "frozen" : request.signal.aborted || sink.isGone ? "aborted" : "error";
    // End the client's stream first, settle after: a frozen payer's stream must stop now.
    const billed = { inputTokens: result.usage()?.inputTokens ?? estimatedInputTokens, outputTokens: countTokens(sentText) };
    // Deferred a turn so every stopped stream is closed before settlements take the database.
    const settled = nextTurn()
      .then(() => settleAndRelease(route, billed, status))
      .catch(() => null);
    if (status === "aborted") {
      await settled;
      return sink.end();
    }
    const failure =
      status === "frozen"
        ? new OpenAiError(402, "credits_frozen", "Your lender froze your credits; this stream was stopped. You are billed only for what was sent.")
        : stopReason === "too_long"
          ? new OpenAiError(504, "stream_too_long", `Streams are capped at ${MAX_STREAM_MS / 60_000} minutes.`, null, "api_error")
          : new OpenAiError(502, "upstream_stream_broken", `The provider ${route.providerSlug} broke off the stream: ${(error as Error).message}. You are billed only for what was sent.`, null, "api_error");
    sink.write(encodeFrames(encoder.fail({ status: failure.status, code: failure.code, message: failure.message, type: failure.type }, { request_id: requestId, provider: route.providerSlug })));
    sink.end();
    await settled;
  };

  const pump = async (sink: StreamSink) => {
    const opening = encodeFrames(encoder.open());
    let next = iterator.next();
    if (opening !== "") {
      sink.write(opening);
    } else {
      // The headers ride on the first chunk when it is already here (one write instead of two);
      // otherwise they go now, so the client knows its stream is open.
      let isFirstHere = false;
      next.then(() => (isFirstHere = true), () => (isFirstHere = true));
      await nextTurn();
      if (!isFirstHere) sink.flushHeaders();
    }
    for (;;) {
      let batch: IteratorResult<ChatCompletionChunk[]>;
      try {
        batch = await next;
      } catch (error) {
        return stopOnError(sink, error);
      }
      if (sink.isGone || request.signal.aborted) return stopForGoneClient(sink);
      if (batch.done) break;
      let text = "";
      for (const chunk of batch.value) {
        sentText += deltaText(chunk);
        text += encodeFrames(encoder.chunk(chunk));
      }
      if (text !== "" && !sink.write(text)) {
        await sink.room();
        if (sink.isGone) return stopForGoneClient(sink);
      }
      next = iterator.next();
    }
    cleanup();
    const usage = result.usage() ?? sentUsage();
    let xBlockable: XBlockable = { request_id: requestId, provider: route.providerSlug };
    try {
      const settled = await settleAndRelease(route, usage, "ok");
      xBlockable = { ...xBlockable, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() };
    } catch (error) {
      // The client has its answer; the hold sweeper voids the hold, so it is not charged.
      console.error(`[${requestId}] settlement of a finished stream failed`, error);
    }
    sink.write(encodeFrames(encoder.close(usage, xBlockable)));
    sink.end();
  };
  return {
    kind: "stream",
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no", ...input.headers },
    pump,
  };
}
