import "@/lib/server/server-only";
import { takeToken, type RateLimitState } from "@/lib/domain/routing/rate-limit";
import type { Db } from "@/lib/server/db/client";
import { processWide } from "@/lib/server/process-wide";
import { OpenAiError } from "./openai-errors";

/** Who is asking, as the limits see it. */
export type RateLimitedCaller = { orgId: string; apiKey: { id: string; rpmLimit: number | null } };

/**
 * A request let through the limits. `headers` go on its reply (OpenAI's `x-ratelimit-*`);
 * `release()` must run exactly once when the request is over (reply sent, stream ended or
 * failed), which frees its organisation's concurrency slot.
 */
export type Admission = { headers: Record<string, string>; release: () => void };

const rateStates = processWide("rateLimitStates", () => new Map<string, RateLimitState>());

/**
 * Admits one routing API request or throws a 429 OpenAiError with `retry-after`.
 * (Issue 17 replaces this per-instance bucket with limits shared by every instance.)
 */
export async function admitRequest(_db: Db, caller: RateLimitedCaller, nowMs: number): Promise<Admission> {
  const rpm = caller.apiKey.rpmLimit;
  if (!rpm) return { headers: {}, release: () => undefined };
  const decision = takeToken(rateStates.get(caller.apiKey.id) ?? null, nowMs, rpm);
  rateStates.set(caller.apiKey.id, decision.state);
  if (!decision.allowed) {
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new OpenAiError(429, "rate_limit_exceeded", `This API key allows ${rpm} requests per minute. Retry in ${retryAfterSeconds} s.`, null, "rate_limit_error", {
      "retry-after": String(retryAfterSeconds),
    });
  }
  return { headers: {}, release: () => undefined };
}
