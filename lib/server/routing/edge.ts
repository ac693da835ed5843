import "@/lib/server/server-only";
import { z } from "zod";
import { findTooDeep, findTooDeepInJsonText } from "@/lib/domain/routing/json-depth";
import { planRoute, type PlannedRoute } from "@/lib/domain/routing/plan-route";
import type { Db } from "@/lib/server/db/client";
import { LedgerError } from "@/lib/server/ledger/errors";
import { authenticateApiKey } from "@/lib/server/services/api-keys";
import { breakerStates } from "./breakers";
import { getCatalog, type CatalogModel, type CatalogRoute } from "./catalog";
import { reserveForRequest, type MeteredKey } from "./metering";
import { OpenAiError, openAiErrorBody } from "./openai-errors";
import { jsonReply, toWebResponse, type GatewayRequest, type JsonReply } from "./reply";

/**
 * The steps every metered endpoint of the routing API shares, each throwing OpenAI's error shape:
 * who is calling, the body, the model, the route plan, the hold. The endpoints compose them
 * (chat-pipeline.ts for chat and the Responses API, embeddings.ts).
 */

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const requestTooLarge = () => new OpenAiError(413, "request_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
// Longer than any request may run (upstream timeouts and the stream cap), so the sweeper never
// voids a hold whose request is still going; it only catches requests whose process died.
export const HOLD_TTL_MS = 15 * 60_000;

export type Caller = { orgId: string; apiKey: MeteredKey & { rpmLimit: number | null } };

export type GatewayOptions = {
  /**
   * Runs a JSON reply's settlement after the response has gone out (the route handler passes
   * Next's `after`). The hold already secures the worst case, and the reply's cost and spendable
   * figures are computed exactly as the settlement will record them. Without it the reply waits
   * for the settlement's commit.
   */
  settleAfterResponse?: (task: () => Promise<unknown>) => void;
};

export async function authenticateRequest(db: Db, request: GatewayRequest, now: Date): Promise<Caller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new OpenAiError(401, "missing_api_key", "Send your API key as `Authorization: Bearer sk-bl-…`.");
  const found = await authenticateApiKey(db, match[1], now);
  if (!found) throw new OpenAiError(401, "invalid_api_key", "Incorrect or revoked API key. Create one under API keys in the dashboard.");
  return { orgId: found.orgId, apiKey: { id: found.apiKey.id, spendCapMicros: found.apiKey.spendCapMicros, rpmLimit: found.apiKey.rpmLimit } };
}

/** Deeper JSON is refused: everything after the body reader walks it recursively. */
export const MAX_JSON_DEPTH = 64;
/**
 * Up to this size JSON.parse is quick whatever the nesting (16 KiB of brackets: ~4 ms here), and
 * the depth is checked on the parsed value (a few µs for a typical request). A larger body is
 * checked on its text first (~4 ms per MiB): parsing 2 MiB of brackets would hold the event loop
 * for ~200 ms, for every tenant.
 */
const CHECK_DEPTH_AFTER_PARSE_MAX_CHARS = 16 * 1024;

const tooDeep = (path: string) =>
  new OpenAiError(400, "json_too_deep", `${path || "The body"}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted.`, path || null);

export async function readJsonBody(request: GatewayRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw requestTooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw requestTooLarge();
  const isSmall = text.length <= CHECK_DEPTH_AFTER_PARSE_MAX_CHARS;
  if (!isSmall) {
    const path = findTooDeepInJsonText(text, MAX_JSON_DEPTH);
    if (path !== null) throw tooDeep(path);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OpenAiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (isSmall) {
    const path = findTooDeep(value, MAX_JSON_DEPTH);
    if (path !== null) throw tooDeep(path);
  }
  return value;
}

type Issue = z.core.$ZodIssue;

/**
 * The most precise account of a failed check. A union reports only "Invalid input"; the branch
 * that matched the value's type (a content array whose 2nd part lacks `text`) says what is wrong,
 * and when no branch did, the types it may have are listed.
 */
function describeIssue(issue: Issue, basePath: PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...basePath, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const firstOfEach = issue.errors.map((branch) => branch[0]).filter((first): first is Issue => first !== undefined);
    const matched = firstOfEach.find((first) => !(first.code === "invalid_type" && first.path.length === 0));
    if (matched) return describeIssue(matched, path);
    const expected = [...new Set(firstOfEach.map((first) => (first.code === "invalid_type" ? String(first.expected) : null)).filter((name): name is string => name !== null))];
    if (expected.length > 0) return { path, message: `expected ${expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}`}` };
  }
  return { path, message: issue.message };
}

export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { path, message } = describeIssue(result.error.issues[0], []);
  const param = path.map(String).join(".") || null;
  throw new OpenAiError(400, "invalid_request", param ? `${param}: ${message}` : message, param);
}

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

/** One hold covers a failover to any candidate: the largest worst case among them. */
export function worstCaseOf(candidates: readonly PlannedRoute<CatalogRoute>[]): bigint {
  return candidates.reduce((max, c) => (c.worstCaseCostMicros > max ? c.worstCaseCostMicros : max), 0n);
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

const SETTLE_ATTEMPTS = 3;

/** A deferred settlement has nobody to answer to: retry a failed one, then leave it to the hold sweeper. */
export async function settleWithRetry(settle: () => Promise<unknown>, requestId: string) {
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

/**
 * Any error as OpenAI's JSON error. `headers` (the rate-limit headers of an admitted request) go
 * on it too; the error's own headers (`retry-after`) win.
 */
export function errorReply(error: unknown, requestId: string, headers?: Record<string, string>): JsonReply {
  const known =
    error instanceof OpenAiError
      ? error
      : (console.error(`[${requestId}]`, error), new OpenAiError(500, "internal_error", `Something went wrong on our side (request ${requestId}); you were not charged.`, null, "api_error"));
  return jsonReply(openAiErrorBody(known), { status: known.status, headers: { "x-request-id": requestId, ...headers, ...known.headers } });
}

export function errorToResponse(error: unknown, requestId: string): Response {
  return toWebResponse(errorReply(error, requestId));
}
