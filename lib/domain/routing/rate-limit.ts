// Requests per minute per API key, as a token bucket: a key may burst up to its whole minute's
// allowance, then refills continuously at rpm per 60 s. One small state per key (no log of
// timestamps), so 100,000 rpm costs the same memory as 1.
//
// Integer arithmetic: a token is 60,000 units and the bucket gains `rpm` units per millisecond,
// so refill is exact for any rpm (7 rpm refills one token every 8,571.43 ms without floats).

export const MINUTE_MS = 60_000;
const UNITS_PER_TOKEN = MINUTE_MS;

export type RateLimitState = {
  /** Tokens available × 60,000. */
  tokenUnits: number;
  updatedAtMs: number;
};

export type RateLimitDecision = {
  allowed: boolean;
  state: RateLimitState;
  /** 0 when allowed; otherwise how long until one token is back (for `retry-after`). */
  retryAfterMs: number;
};

export function assertValidRpm(rpm: number) {
  if (!Number.isSafeInteger(rpm) || rpm < 1) throw new RangeError(`rpm must be a positive integer, got ${rpm}`);
}

/**
 * Takes one token for a request at `nowMs`. `state` null means the key has not been seen (a full
 * bucket). A lowered rpm takes effect at once: the bucket is cut to the new capacity.
 */
export function takeToken(state: RateLimitState | null, nowMs: number, rpm: number): RateLimitDecision {
  assertValidRpm(rpm);
  const capacityUnits = rpm * UNITS_PER_TOKEN;
  let tokenUnits = capacityUnits;
  let updatedAtMs = nowMs;
  if (state) {
    // A clock that steps backwards refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
    // Capping elapsed time at a minute keeps elapsedMs × rpm far inside safe integers.
    tokenUnits = Math.min(capacityUnits, state.tokenUnits + Math.min(elapsedMs, MINUTE_MS) * rpm);
    updatedAtMs = Math.max(nowMs, state.updatedAtMs);
  }
  if (tokenUnits >= UNITS_PER_TOKEN) {
    return { allowed: true, state: { tokenUnits: tokenUnits - UNITS_PER_TOKEN, updatedAtMs }, retryAfterMs: 0 };
  }
  return { allowed: false, state: { tokenUnits, updatedAtMs }, retryAfterMs: Math.ceil((UNITS_PER_TOKEN - tokenUnits) / rpm) };
}
