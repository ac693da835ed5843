import "@/lib/server/server-only";
import { UpstreamError } from "@/lib/server/providers/types";
import { reportFailure, reportNoVerdict, reportSuccess, tryAcquire } from "./breakers";
import { OpenAiError } from "./openai-errors";

/**
 * The one failover loop of the routing API: chat completions, the Responses API and embeddings
 * all call `runFailover`, so what counts against a provider cannot drift between them again.
 *
 * Every way an attempt can end is classified in ONE place, `classifyAttemptError`:
 *
 * | the attempt ended with                          | breaker    | then      | the client gets              |
 * |-------------------------------------------------|------------|-----------|------------------------------|
 * | the client going away                           | no verdict | stop      | nothing (499)                |
 * | connect error, timeout, 429, 5xx, bad answer    | failure    | fail over | 502/503/504/429 if last      |
 * | upstream 401/403: the provider refused OUR key  | failure    | fail over | 502 `upstream_auth_failed`   |
 * | upstream 4xx about the request                  | success    | stop      | 400 `upstream_bad_request`   |
 * | an adapter exception that is not the network    | no verdict | stop      | 400 `invalid_request`        |
 *
 * The last row is a request whose own content broke the adapter before any upstream answered (the
 * simulator throwing on a hostile schema, a translation that cannot express the input). It never
 * counts against the breaker — a burst of such requests must not open the circuit for every
 * tenant — and it is a 400, not a 5xx: the same body fails the same way again, and a 5xx would make
 * the official clients retry it twice on their own (more load, same answer). It is not failed over
 * either, for the same reason. A key refused upstream counts as a failure: every request through
 * that provider fails until an administrator fixes its key, and the breaker spares them the round trip.
 */

/** What one routing attempt needs of a route: its provider and that provider's breaker settings. */
export type FailoverRoute = { providerId: string; providerSlug: string; breakerFailures: number; breakerCooldownMs: number };

export type BreakerVerdict = "failure" | "success" | "no_verdict";

export type AttemptVerdict = {
  /** What the provider's breaker hears about this attempt. */
  breaker: BreakerVerdict;
  /** Try the next candidate (the provider failed), or stop (the request or the client ended it). */
  next: "fail_over" | "stop";
  /** What the client is told if this is the last word; null when the client is gone. */
  error: OpenAiError | null;
};

/** Node's and undici's network failures carry a code like ECONNRESET or UND_ERR_SOCKET, here or in a cause. */
function networkErrorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z0-9_]+|UND_ERR(_[A-Z0-9_]+)?)$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Error messages shown to clients stay short and single-line. */
const MAX_MESSAGE_CHARS = 300;
const brief = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
};

/** An upstream's failure in OpenAI's error shape, naming the provider but never its key. */
export function upstreamToOpenAiError(error: UpstreamError, providerSlug: string): OpenAiError {
  const headers: Record<string, string> = error.retryAfterMs ? { "retry-after": String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) } : {};
  switch (error.code) {
    case "bad_request":
      return new OpenAiError(400, "upstream_bad_request", `${providerSlug}: ${brief(error.message)}`);
    case "rate_limited":
      return new OpenAiError(429, "upstream_rate_limited", `Every provider for this model is rate limiting (last: ${providerSlug}). Retry shortly.`, null, "rate_limit_error", headers);
    case "timeout":
      return new OpenAiError(504, "upstream_timeout", `The provider ${providerSlug} did not answer in time.`, null, "api_error");
    case "connect_error":
      return new OpenAiError(502, "upstream_unreachable", `The provider ${providerSlug} could not be reached.`, null, "api_error");
    case "auth_error":
      return new OpenAiError(502, "upstream_auth_failed", `The provider ${providerSlug} refused Blockable's credentials; an administrator has to fix the provider's key.`, null, "api_error");
    default:
      return new OpenAiError(502, "upstream_error", `The provider ${providerSlug} failed (${error.status}).`, null, "api_error", headers);
  }
}

/** How one failed attempt counts, and what follows it. See the table at the top of this file. */
export function classifyAttemptError(error: unknown, context: { providerSlug: string; isClientGone: boolean }): AttemptVerdict {
  const { providerSlug } = context;
  if (context.isClientGone) return { breaker: "no_verdict", next: "stop", error: null };
  if (error instanceof UpstreamError) {
    if (error.code === "bad_request") return { breaker: "success", next: "stop", error: upstreamToOpenAiError(error, providerSlug) };
    // auth_error is not retryable for the request's sake, but it is the provider's (its key) failure.
    if (error.code === "auth_error" || error.isRetryable) return { breaker: "failure", next: "fail_over", error: upstreamToOpenAiError(error, providerSlug) };
    // A non-retryable error of a kind this table does not know: the provider answered about the request.
    return { breaker: "success", next: "stop", error: upstreamToOpenAiError(new UpstreamError(error.status, error.message, false, null, "bad_request"), providerSlug) };
  }
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return { breaker: "failure", next: "fail_over", error: new OpenAiError(504, "upstream_timeout", `The provider ${providerSlug} did not answer in time.`, null, "api_error") };
  }
  const code = networkErrorCode(error);
  if (code) return { breaker: "failure", next: "fail_over", error: new OpenAiError(502, "upstream_unreachable", `The provider ${providerSlug} could not be reached (${code}).`, null, "api_error") };
  // The adapter threw on the request's own content before any upstream answered.
  const reason = error instanceof Error ? error.message : String(error);
  const param = typeof (error as { param?: unknown } | null)?.param === "string" ? ((error as { param: string }).param) : null;
  return {
    breaker: "no_verdict",
    next: "stop",
    error: new OpenAiError(400, "invalid_request", `The provider ${providerSlug} could not process this request${param ? ` (${param})` : ""}: ${brief(reason)}`, param),
  };
}

export type FailoverOutcome<Route, Value> =
  | { ok: true; route: Route; value: Value }
  /** `route`: the last one tried (null when every breaker was open); `error` null: the client left. */
  | { ok: false; route: Route | null; error: OpenAiError | null };

/**
 * Tries `candidates` in order, each only if its breaker lets it (`tryAcquire`), until one answers.
 * A resolved `attempt` is a success for the provider (for a stream: its headers arrived; what
 * happens mid-stream is the stream's business). Failures are classified by `classifyAttemptError`.
 */
export async function runFailover<Route extends FailoverRoute, Value>(
  candidates: readonly Route[],
  attempt: (route: Route) => Promise<Value>,
  options: { signal: AbortSignal; requestId: string },
): Promise<FailoverOutcome<Route, Value>> {
  let last: { route: Route; error: OpenAiError } | null = null;
  for (const route of candidates) {
    if (options.signal.aborted) return { ok: false, route: last?.route ?? null, error: null };
    if (!tryAcquire(route.providerId, Date.now(), route.breakerCooldownMs)) continue;
    let value: Value;
    try {
      value = await attempt(route);
    } catch (error) {
      const verdict = classifyAttemptError(error, { providerSlug: route.providerSlug, isClientGone: options.signal.aborted });
      if (verdict.breaker === "failure") reportFailure(route.providerId, Date.now(), route.breakerFailures);
      else if (verdict.breaker === "success") reportSuccess(route.providerId);
      else reportNoVerdict(route.providerId);
      if (verdict.error === null) return { ok: false, route, error: null };
      // Not a provider failure and not the client: worth one line for whoever maintains the adapter.
      if (verdict.breaker === "no_verdict") console.warn(`[${options.requestId}] ${route.providerSlug} could not process the request: ${verdict.error.message}`);
      if (verdict.next === "stop") return { ok: false, route, error: verdict.error };
      last = { route, error: verdict.error };
      continue;
    }
    reportSuccess(route.providerId);
    return { ok: true, route, value };
  }
  if (last) return { ok: false, route: last.route, error: last.error };
  return {
    ok: false,
    route: null,
    error: new OpenAiError(503, "providers_unavailable", "Every provider for this model is failing right now; retry shortly.", null, "api_error"),
  };
}
