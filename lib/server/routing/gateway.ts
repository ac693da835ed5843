import "@/lib/server/server-only";
import { z } from "zod";
import { settledChargeMicros, spendableAfterSettlementMicros } from "@/lib/domain/ledger/settlement";
import { requestCostMicros } from "@/lib/domain/money";
import { planRoute, type PlannedRoute } from "@/lib/domain/routing/plan-route";
import { takeToken, type RateLimitState } from "@/lib/domain/routing/rate-limit";
import { estimateInputTokens, maxOutputTokens } from "@/lib/domain/routing/worst-case";
import type { Db } from "@/lib/server/db/client";
import { LedgerError } from "@/lib/server/ledger/errors";
import { adapterFor } from "@/lib/server/providers/registry";
import { UpstreamError, type ChatCompletionChunk, type ChatCompletionRequest, type Usage } from "@/lib/server/providers/types";
import { processWide } from "@/lib/server/process-wide";
import { authenticateApiKey } from "@/lib/server/services/api-keys";
import { breakerStates, reportFailure, reportNoVerdict, reportSuccess, tryAcquire } from "./breakers";
import { getCatalog, type CatalogModel, type CatalogRoute } from "./catalog";
import { reserveForRequest, settleRequest, type MeteredKey, type UsageRecord } from "./metering";
import { watchForFreeze } from "./freeze-watch";
import { OpenAiError, openAiErrorBody } from "./openai-errors";
import { jsonReply, newRequestId, toWebResponse, type GatewayReply, type GatewayRequest } from "./reply";
import { countTokens } from "./tokenizer";

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const requestTooLarge = () => new OpenAiError(413, "request_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
// Longer than any request may run (upstream timeouts and the stream cap), so the sweeper never
// voids a hold whose request is still going; it only catches requests whose process died.
export const HOLD_TTL_MS = 15 * 60_000;
const MAX_STREAM_MS = 10 * 60_000;

export type Caller = { orgId: string; apiKey: MeteredKey & { rpmLimit: number | null } };

// ───────────────────────────── Edge: auth, limits, body ─────────────────────────────

export async function authenticateRequest(db: Db, request: GatewayRequest, now: Date): Promise<Caller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new OpenAiError(401, "missing_api_key", "Send your API key as `Authorization: Bearer sk-bl-…`.");
  const found = await authenticateApiKey(db, match[1], now);
  if (!found) throw new OpenAiError(401, "invalid_api_key", "Incorrect or revoked API key. Create one under API keys in the dashboard.");
  return { orgId: found.orgId, apiKey: { id: found.apiKey.id, spendCapMicros: found.apiKey.spendCapMicros, rpmLimit: found.apiKey.rpmLimit } };
}

const rateStates = processWide("rateLimitStates", () => new Map<string, RateLimitState>());

/** Per-key requests-per-minute, per app instance (a token bucket in memory). */
export function enforceRateLimit(caller: Caller, nowMs: number) {
  if (!caller.apiKey.rpmLimit) return;
  const decision = takeToken(rateStates.get(caller.apiKey.id) ?? null, nowMs, caller.apiKey.rpmLimit);
  rateStates.set(caller.apiKey.id, decision.state);
  if (!decision.allowed) {
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new OpenAiError(429, "rate_limit_exceeded", `This API key allows ${caller.apiKey.rpmLimit} requests per minute. Retry in ${retryAfterSeconds} s.`, null, "rate_limit_error", {
      "retry-after": String(retryAfterSeconds),
    });
  }
}

export async function readJsonBody(request: GatewayRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw requestTooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw requestTooLarge();
  try {
    return JSON.parse(text);
  } catch {
    throw new OpenAiError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.join(".") || null;
  throw new OpenAiError(400, "invalid_request", param ? `${param}: ${issue.message}` : issue.message, param);
}

const contentPartSchema = z.looseObject({ type: z.string() });
const messageSchema = z.looseObject({
  role: z.enum(["system", "user", "assistant", "tool", "developer"]),
  content: z.union([z.string(), z.null(), z.array(contentPartSchema)]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(z.unknown()).optional(),
  tool_call_id: z.string().optional(),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, "a model is required"),
  messages: z.array(messageSchema).min(1, "at least one message is required"),
  stream: z.boolean().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1, "only n = 1 is supported").nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  response_format: z.unknown().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

// ───────────────────────────── Planning ─────────────────────────────

export async function findModelOrThrow(db: Db, slug: string, kind: CatalogModel["kind"]): Promise<CatalogModel> {
  const model = (await getCatalog(db)).get(slug);
  if (!model || model.kind !== kind) {
    throw new OpenAiError(404, "model_not_found", `The model \`${slug}\` does not exist${model ? ` as a ${kind} model` : ""}. GET /api/v1/models lists the models you can use.`, "model");
  }
  return model;
}

export function planOrThrow(model: CatalogModel, request: GatewayRequest, estimatedInputTokens: number, outputTokens: number, nowMs: number): PlannedRoute<CatalogRoute>[] {
  const maxCostHeader = request.headers.get("x-blockable-max-cost-micros");
  let maxCostMicros: bigint | null = null;
  if (maxCostHeader !== null) {
    if (!/^\d{1,18}$/.test(maxCostHeader.trim())) throw new OpenAiError(400, "invalid_header", "x-blockable-max-cost-micros must be a whole number of micro-dollars.", "x-blockable-max-cost-micros");
    maxCostMicros = BigInt(maxCostHeader.trim());
  }
  const plan = planRoute({
    routes: model.routes,
    policy: model.routingPolicy,
    breakerStates: breakerStates(),
    now: nowMs,
    estimatedInputTokens,
    maxOutputTokens: outputTokens,
    pinnedProviderSlug: request.headers.get("x-blockable-provider"),
    maxCostMicros,
  });
  if (plan.ok) return plan.candidates;
  switch (plan.reason) {
    case "max_cost_exceeded":
      throw new OpenAiError(402, "max_cost_exceeded", plan.message, "x-blockable-max-cost-micros");
    case "provider_not_found":
      throw new OpenAiError(404, "provider_not_found", plan.message, "x-blockable-provider");
    case "all_circuits_open":
      throw new OpenAiError(503, "providers_unavailable", plan.message, null, "api_error", plan.retryAfterMs ? { "retry-after": String(Math.ceil(plan.retryAfterMs / 1000)) } : {});
    default:
      throw new OpenAiError(503, "no_routes", plan.message, null, "api_error");
  }
}

export async function reserveOrThrow(db: Db, caller: Caller, requestId: string, worstCaseMicros: bigint, modelSlug: string, now: Date, readFreezeMarker = false) {
  try {
    return await reserveForRequest(db, { orgId: caller.orgId, apiKey: caller.apiKey, requestId, worstCaseMicros, modelSlug, now, holdTtlMs: HOLD_TTL_MS, readFreezeMarker });
  } catch (error) {
    if (error instanceof LedgerError) {
      if (error.code === "CREDITS_FROZEN") throw new OpenAiError(402, "credits_frozen", "Your remaining credits are frozen by your lender, so this request cannot be admitted. See Financing in the dashboard.");
      if (error.code === "SPEND_CAP_EXCEEDED") throw new OpenAiError(402, "spend_cap_exceeded", error.message);
      if (error.code === "INSUFFICIENT_CREDITS") throw new OpenAiError(402, "insufficient_credits", `Not enough spendable credits for this request's worst case of ${worstCaseMicros} µUSD. Lower max_tokens or add credits.`);
    }
    throw error;
  }
}

function upstreamToOpenAiError(error: UpstreamError, providerSlug: string): OpenAiError {
  const headers: Record<string, string> = error.retryAfterMs ? { "retry-after": String(Math.ceil(error.retryAfterMs / 1000)) } : {};
  if (error.code === "bad_request") return new OpenAiError(400, "upstream_bad_request", `${providerSlug}: ${error.message}`);
  if (error.code === "rate_limited") return new OpenAiError(429, "upstream_rate_limited", `Every provider for this model is rate limiting (last: ${providerSlug}). Retry shortly.`, null, "rate_limit_error", headers);
  if (error.code === "timeout") return new OpenAiError(504, "upstream_timeout", `The provider ${providerSlug} did not answer in time.`, null, "api_error");
  if (error.code === "connect_error") return new OpenAiError(502, "upstream_unreachable", `The provider ${providerSlug} could not be reached.`, null, "api_error");
  if (error.code === "auth_error") return new OpenAiError(502, "upstream_auth_failed", `The provider ${providerSlug} refused Blockable's credentials; an administrator has to fix the provider's key.`, null, "api_error");
  return new OpenAiError(502, "upstream_error", `The provider ${providerSlug} failed (${error.status}).`, null, "api_error");
}

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

// ───────────────────────────── Chat completions ─────────────────────────────

export type GatewayOptions = {
  /**
   * Runs a JSON reply's settlement after the response has gone out (the route handler passes
   * Next's `after`). The hold already secures the worst case, and the reply's cost and spendable
   * figures are computed exactly as the settlement will record them. Without it the reply waits
   * for the settlement's commit.
   */
  settleAfterResponse?: (task: () => Promise<unknown>) => void;
};

const SETTLE_ATTEMPTS = 3;

/** A deferred settlement has nobody to answer to: retry a failed one, then leave it to the hold sweeper. */
async function settleWithRetry(settle: () => Promise<unknown>, requestId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await settle();
      return;
    } catch (error) {
      if (attempt >= SETTLE_ATTEMPTS) {
        console.error(`[${requestId}] settlement failed ${attempt} times; the hold sweeper will void the hold when it expires`, error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** (attempt - 1)));
    }
  }
}

export async function handleChatCompletions(db: Db, request: GatewayRequest, options: GatewayOptions = {}): Promise<GatewayReply> {
  const requestId = newRequestId();
  const startedAt = Date.now();
  const now = new Date(startedAt);
  try {
    // Phase timings go out as a Server-Timing header: where the routing API spends its time.
    const marks: [string, number][] = [];
    const mark = (name: string) => marks.push([name, performance.now()]);
    mark("start");
    const caller = await authenticateRequest(db, request, now);
    mark("auth");
    enforceRateLimit(caller, startedAt);
    const body = parseWith(chatRequestSchema, await readJsonBody(request)) as ChatCompletionRequest & z.infer<typeof chatRequestSchema>;
    const model = await findModelOrThrow(db, body.model, "chat");
    const estimatedInputTokens = estimateInputTokens(body.messages as never, countTokens, body.tools ?? null);
    const limit = maxOutputTokens(body, { estimatedInputTokens, contextWindowTokens: model.contextWindow, defaultMaxTokens: DEFAULT_MAX_OUTPUT_TOKENS });
    if (!limit.ok) throw new OpenAiError(400, "context_length_exceeded", limit.message, limit.param);
    const candidates = planOrThrow(model, request, estimatedInputTokens, limit.maxOutputTokens, startedAt);
    mark("plan");
    // One hold covers a failover to any candidate: the largest worst case among them.
    const worstCaseMicros = candidates.reduce((max, c) => (c.worstCaseCostMicros > max ? c.worstCaseCostMicros : max), 0n);
    const hold = await reserveOrThrow(db, caller, requestId, worstCaseMicros, model.slug, now, body.stream === true);
    const freezeBaseline = hold.freezeMarker;
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
        usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug: route.providerSlug, endpoint: "chat.completions", ...usage, latencyMs: Date.now() - startedAt, status },
      });

    let lastError: UpstreamError | null = null;
    for (const route of candidates) {
      if (!tryAcquire(route.providerId, Date.now(), route.breakerCooldownMs)) continue;
      const requestBody: ChatCompletionRequest = { ...body, model: route.upstreamModel, max_tokens: body.max_tokens ?? undefined };
      let result;
      try {
        result = await adapterFor(route.provider.kind).chat(requestBody, { provider: route.provider, upstreamModel: route.upstreamModel, signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) {
          reportNoVerdict(route.providerId);
          await settle(route, { inputTokens: 0, outputTokens: 0 }, "aborted");
          request.signal.removeEventListener("abort", onClientGone);
          return { kind: "empty", status: 499, headers: {} };
        }
        if (error instanceof UpstreamError) {
          if (error.isRetryable) {
            reportFailure(route.providerId, Date.now(), route.breakerFailures);
            lastError = error;
            continue;
          }
          reportSuccess(route.providerId); // the provider answered; the request was the problem
          await settle(route, { inputTokens: 0, outputTokens: 0 }, "error");
          throw upstreamToOpenAiError(error, route.providerSlug);
        }
        reportFailure(route.providerId, Date.now(), route.breakerFailures);
        lastError = new UpstreamError(502, (error as Error).message, true, null, "connect_error");
        continue;
      }
      reportSuccess(route.providerId);
      mark("upstream");
      if (result.kind === "json") {
        request.signal.removeEventListener("abort", onClientGone);
        const outputText = result.completion.choices.map((c) => JSON.stringify(c.message ?? "")).join("");
        const usage = result.usage ?? { inputTokens: estimatedInputTokens, outputTokens: countTokens(outputText) };
        let settled: { chargedMicros: bigint; spendableLeftMicros: bigint };
        if (options.settleAfterResponse) {
          const actualMicros = costOf(route, usage);
          options.settleAfterResponse(() => settleWithRetry(() => settle(route, usage, "ok"), requestId));
          settled = {
            chargedMicros: settledChargeMicros(hold.amountMicros, actualMicros),
            spendableLeftMicros: spendableAfterSettlementMicros({ spendableAfterHoldMicros: hold.spendableAfterHoldMicros, holdMicros: hold.amountMicros, actualMicros }),
          };
        } else {
          settled = await settle(route, usage, "ok");
        }
        mark("settle");
        const serverTiming = marks.slice(1).map(([name, at], i) => `${name};dur=${(at - marks[i][1]).toFixed(2)}`).join(", ");
        return jsonReply(
          {
            ...result.completion,
            model: model.slug,
            usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
            x_blockable: { request_id: requestId, provider: route.providerSlug, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() },
          },
          { headers: { "x-request-id": requestId, "server-timing": serverTiming } },
        );
      }
      return streamReply({ db, request, requestId, model, route, caller, result, estimatedInputTokens, includeUsage: body.stream_options?.include_usage === true, abort, onClientGone, settle, freezeBaseline });
    }
    // Every candidate failed before the first byte, or every breaker is open.
    await settleRequest(db, {
      holdId: hold.id,
      actualMicros: 0n,
      now: new Date(),
      apiKey: caller.apiKey,
      usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug: candidates.at(-1)!.providerSlug, endpoint: "chat.completions", inputTokens: 0, outputTokens: 0, latencyMs: Date.now() - startedAt, status: "error" },
    });
    request.signal.removeEventListener("abort", onClientGone);
    throw lastError ? upstreamToOpenAiError(lastError, candidates.at(-1)!.providerSlug) : new OpenAiError(503, "providers_unavailable", "Every provider for this model is failing right now; retry shortly.", null, "api_error");
  } catch (error) {
    return errorReply(error, requestId);
  }
}

export function errorReply(error: unknown, requestId: string): GatewayReply {
  const known =
    error instanceof OpenAiError
      ? error
      : (console.error(`[${requestId}]`, error), new OpenAiError(500, "internal_error", `Something went wrong on our side (request ${requestId}); you were not charged.`, null, "api_error"));
  return jsonReply(openAiErrorBody(known), { status: known.status, headers: { "x-request-id": requestId, ...known.headers } });
}

export function errorToResponse(error: unknown, requestId: string): Response {
  return toWebResponse(errorReply(error, requestId));
}

type StreamInput = {
  db: Db;
  request: GatewayRequest;
  requestId: string;
  model: CatalogModel;
  route: CatalogRoute;
  caller: Caller;
  result: { kind: "stream"; chunks: AsyncIterable<ChatCompletionChunk>; usage: () => Usage | null };
  estimatedInputTokens: number;
  includeUsage: boolean;
  abort: AbortController;
  onClientGone: () => void;
  settle: (route: CatalogRoute, usage: Usage, status: UsageRecord["status"]) => ReturnType<typeof settleRequest>;
  freezeBaseline: string | null;
};

const encoder = new TextEncoder();
const sse = (data: unknown) => encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

/**
 * Passes chunks through as they arrive. Ends early — billing only what was sent — when the client
 * leaves, the upstream breaks, the payer's credits are frozen, or the stream runs too long.
 */
function streamReply(input: StreamInput): GatewayReply {
  const { db, request, requestId, model, route, caller, result, estimatedInputTokens, includeUsage, abort, settle } = input;
  const iterator = result.chunks[Symbol.asyncIterator]();
  let sentText = "";
  let stopReason: "frozen" | "too_long" | null = null;
  let isFinished = false;
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

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull must enqueue something or finish, or the stream stalls: skip chunks in a loop.
      for (;;) {
      if (isFinished) return;
      let next: IteratorResult<ChatCompletionChunk>;
      try {
        next = await iterator.next();
      } catch (error) {
        isFinished = true;
        cleanup();
        const status = stopReason === "frozen" ? "frozen" : request.signal.aborted ? "aborted" : "error";
        // End the client's stream first, settle after: a frozen payer's stream must stop now.
        const billed = { inputTokens: result.usage()?.inputTokens ?? estimatedInputTokens, outputTokens: countTokens(sentText) };
        // Deferred a turn so every stopped stream is closed before settlements take the database.
        const settled = new Promise((resolve) => setImmediate(resolve)).then(() => settle(route, billed, status)).catch(() => null);
        if (status === "aborted") {
          await settled;
          return controller.close();
        }
        const failure =
          status === "frozen"
            ? new OpenAiError(402, "credits_frozen", "Your lender froze your credits; this stream was stopped. You are billed only for what was sent.")
            : stopReason === "too_long"
              ? new OpenAiError(504, "stream_too_long", `Streams are capped at ${MAX_STREAM_MS / 60_000} minutes.`, null, "api_error")
              : new OpenAiError(502, "upstream_stream_broken", `The provider ${route.providerSlug} broke off the stream: ${(error as Error).message}. You are billed only for what was sent.`, null, "api_error");
        controller.enqueue(sse({ ...openAiErrorBody(failure), x_blockable: { request_id: requestId, provider: route.providerSlug } }));
        controller.enqueue(sse("[DONE]"));
        controller.close();
        await settled;
        return;
      }
      if (!next.done) {
        const chunk = next.value;
        if (chunk.choices.length === 0 && chunk.usage) continue; // the upstream's usage chunk: ours follows settlement
        sentText += deltaText(chunk);
        controller.enqueue(sse({ ...chunk, model: model.slug }));
        return;
      }
      isFinished = true;
      cleanup();
      const usage = result.usage() ?? sentUsage();
      const settled = await settle(route, usage, "ok");
      controller.enqueue(
        sse({
          id: `chatcmpl-${requestId}`,
          object: "chat.completion.chunk",
          created: Math.floor(Date.now() / 1000),
          model: model.slug,
          choices: [],
          ...(includeUsage ? { usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens } } : {}),
          x_blockable: { request_id: requestId, provider: route.providerSlug, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() },
        }),
      );
      controller.enqueue(sse("[DONE]"));
      controller.close();
      return;
      }
    },
    async cancel() {
      // The client went away: stop the upstream and bill what was sent.
      if (isFinished) return;
      isFinished = true;
      cleanup();
      abort.abort();
      await iterator.return?.().catch(() => undefined);
      await settle(route, sentUsage(), "aborted").catch(() => undefined);
    },
  });
  return {
    kind: "stream",
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-request-id": requestId, "x-accel-buffering": "no" },
    stream,
  };
}
