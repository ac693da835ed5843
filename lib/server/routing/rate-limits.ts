import "@/lib/server/server-only";
import { concurrencyLimitMessage, effectiveKeyRpm, IN_FLIGHT_LEASE_MS, MINUTE_MS, rateLimitMessage, type LimitDefaults } from "@/lib/domain/limits/config";
import { rateLimitHeaders, retryAfterSeconds } from "@/lib/domain/limits/headers";
import type { Db } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { platformLimitDefaults } from "@/lib/server/limits/defaults";
import { sharedLimitStore } from "@/lib/server/limits/shared";
import type { LimitStore } from "@/lib/server/limits/store";
import { OpenAiError } from "./openai-errors";

/** Who is asking, as the limits see it. */
export type RateLimitedCaller = { orgId: string; apiKey: { id: string; rpmLimit: number | null } };

/**
 * A request let through the limits. `headers` go on its reply (OpenAI's `x-ratelimit-*`);
 * `release()` must run exactly once when the request is over (reply sent, stream ended or
 * failed), which frees its organisation's concurrency slot.
 */
export type Admission = { headers: Record<string, string>; release: () => void };

export type RequestLimits = { store: LimitStore; defaults: LimitDefaults };

// A concurrency slot frees when some request ends, which cannot be predicted: a second is the
// shortest honest wait that does not invite a retry storm.
const CONCURRENCY_RETRY_MS = 1_000;

export const apiKeyRateBucket = (apiKeyId: string) => `rpm:${apiKeyId}`;

/**
 * Admits one routing API request or throws a 429 OpenAiError (`rate_limit_exceeded` or
 * `concurrency_limit_exceeded`) with `retry-after` and the `x-ratelimit-*` headers. Limits are
 * shared by every instance: the database, or Redis when REDIS_URL is set.
 */
export async function admitRequest(db: Db, caller: RateLimitedCaller, nowMs: number): Promise<Admission> {
  return admitWith({ store: sharedLimitStore(db), defaults: platformLimitDefaults() }, caller, nowMs);
}

/** admitRequest against a given store (tests give each simulated instance its own). */
export async function admitWith(limits: RequestLimits, caller: RateLimitedCaller, nowMs: number): Promise<Admission> {
  const { rpm, isDefault } = effectiveKeyRpm(caller.apiKey.rpmLimit, limits.defaults);
  let outcome;
  try {
    outcome = await limits.store.admitRequest({
      rate: { bucket: apiKeyRateBucket(caller.apiKey.id), limit: rpm, windowMs: MINUTE_MS },
      orgId: caller.orgId,
      defaultOrgConcurrency: limits.defaults.orgConcurrency,
      requestId: newRowId(),
      nowMs,
      leaseMs: IN_FLIGHT_LEASE_MS,
    });
  } catch (error) {
    console.error("limits: could not check the rate and concurrency limits", error);
    throw new OpenAiError(503, "limits_unavailable", "The request could not be checked against its rate limits just now. Retry in 1 s.", null, "api_error", { "retry-after": "1" });
  }
  const headers = rateLimitHeaders(outcome.window);
  if (outcome.kind === "rate_limited") {
    const seconds = retryAfterSeconds(outcome.window.retryAfterMs);
    throw new OpenAiError(429, "rate_limit_exceeded", rateLimitMessage(rpm, isDefault, seconds), null, "rate_limit_error", { ...headers, "retry-after": String(seconds) });
  }
  if (outcome.kind === "concurrency_limited") {
    const seconds = retryAfterSeconds(CONCURRENCY_RETRY_MS);
    throw new OpenAiError(429, "concurrency_limit_exceeded", concurrencyLimitMessage(outcome.concurrencyLimit, seconds), null, "rate_limit_error", { ...headers, "retry-after": String(seconds) });
  }
  const release = outcome.release;
  let isReleased = false;
  return {
    headers,
    release: () => {
      if (isReleased) return;
      isReleased = true;
      // Never throws into the reply: a lease that cannot be deleted expires on its own.
      release().catch((error: unknown) => console.error("limits: could not release a concurrency lease (it expires by itself)", error));
    },
  };
}
