// Retry schedule of a webhook delivery. Attempt n (1-based) that failed waits
// min(cap, base × 2^(n−1)), shortened by up to JITTER_RATIO so endpoints that failed together do
// not all retry in the same second. Jitter is a number in [0, 1) passed in by the caller, so the
// schedule is deterministic in tests (0 = no jitter) and per delivery in production (derived from
// its id with `jitterFromId`).
import { createHash } from "node:crypto";

/** Attempts in all, the first one included; after the last failure the delivery is FAILED. */
export const MAX_ATTEMPTS = 10;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 60 * 60_000;
export const JITTER_RATIO = 0.25;

/** How long to wait after failed attempt number `attempt` (1-based) before the next one. */
export function nextAttemptDelayMs(attempt: number, options: { jitter?: number; baseMs?: number; capMs?: number } = {}): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const jitter = options.jitter ?? 0;
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), got ${jitter}`);
  const baseMs = options.baseMs ?? BACKOFF_BASE_MS;
  const capMs = options.capMs ?? BACKOFF_CAP_MS;
  // 2^(attempt−1) overflows nothing here: the exponent is clamped once the cap is reached.
  const exponent = Math.min(attempt - 1, 40);
  const delayMs = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.round(delayMs * (1 - JITTER_RATIO * jitter));
}

/** What happens after a failed attempt: retry at a time, or give up. */
export function retryDecision(attemptsMade: number, nowMs: number, options: { jitter?: number; maxAttempts?: number } = {}): { kind: "retry"; nextAttemptAtMs: number } | { kind: "give_up" } {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  if (attemptsMade >= maxAttempts) return { kind: "give_up" };
  return { kind: "retry", nextAttemptAtMs: nowMs + nextAttemptDelayMs(attemptsMade, { jitter: options.jitter }) };
}

/** A stable number in [0, 1) for a string (a delivery id): same id, same jitter, on every instance. */
export function jitterFromId(id: string): number {
  const digest = createHash("sha256").update(id, "utf8").digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
