import "@/lib/server/server-only";
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { admissionBounds, describeWindow, windowPosition, windowState, type WindowPosition } from "@/lib/domain/limits/sliding-window";
import type { LimitStore, RequestAdmissionInput, WindowEvent } from "./store";

/**
 * The shared limits in Redis, with the database store's semantics: each decision is one Lua
 * script, which Redis runs atomically, so every instance sees the same counts.
 *
 * - A window is a counter key per bucket and fixed window (INCR, expiring once it can no longer be
 *   anybody's previous window); the script reads both windows and counts only what it admits.
 * - An organisation's requests in flight are a sorted set of request ids scored by their lease's
 *   expiry: expired leases are dropped (ZREMRANGEBYSCORE) before counting (ZCARD), so a dead
 *   process's requests stop counting when their lease runs out.
 */

// KEYS[1] current window, KEYS[2] previous window.
// ARGV[1] windowMs, ARGV[2] previous window's weight, ARGV[3] capacity units, ARGV[4] current window's TTL (ms).
const WINDOW_CHECK = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local admissible = (current + 1) * tonumber(ARGV[1]) + previous * tonumber(ARGV[2]) <= tonumber(ARGV[3])
`;
const WINDOW_COUNT = `
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
`;

const HIT_SCRIPT = `${WINDOW_CHECK}
if not admissible then return {0, current, previous} end
${WINDOW_COUNT}
return {1, current, previous}`;

// KEYS[3] the organisation's in-flight set. ARGV[5] now (ms), ARGV[6] the lease's expiry (ms),
// ARGV[7] request id, ARGV[8] the organisation's concurrency limit, ARGV[9] the set's TTL (ms).
// Returns {verdict, current, previous, inFlight, limit}: 1 admitted, 0 rate-limited, 2 concurrency-limited.
const ADMIT_SCRIPT = `${WINDOW_CHECK}
if not admissible then return {0, current, previous, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[5])
local inFlight = redis.call('ZCARD', KEYS[3])
if inFlight >= tonumber(ARGV[8]) then return {2, current, previous, inFlight} end
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[7])
redis.call('PEXPIRE', KEYS[3], ARGV[9])
${WINDOW_COUNT}
return {1, current, previous, inFlight + 1}`;

type Script = { source: string; sha: string };
const script = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") });
const HIT = script(HIT_SCRIPT);
const ADMIT = script(ADMIT_SCRIPT);

/** EVALSHA (the script is sent once per server), EVAL when the server does not know it yet. */
async function runScript(redis: Redis, { source, sha }: Script, keys: string[], args: (string | number)[]): Promise<number[]> {
  try {
    return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as number[];
  } catch (error) {
    if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
    return (await redis.eval(source, keys.length, ...keys, ...args)) as number[];
  }
}

export type RedisLimitStoreOptions = {
  /** Prepended to every key, so several deployments (or tests) can share one Redis. */
  keyPrefix: string;
  /** The organisation's concurrency limit (its own, else `defaultLimit`). */
  concurrencyLimitOf: (orgId: string, defaultLimit: number, nowMs: number) => Promise<number>;
};

export function redisLimitStore(redis: Redis, options: RedisLimitStoreOptions): LimitStore {
  const windowKey = (bucket: string, windowStartMs: number) => `${options.keyPrefix}window:${bucket}:${windowStartMs}`;
  const inFlightKey = (orgId: string) => `${options.keyPrefix}in-flight:${orgId}`;

  function windowArgs(bucket: string, position: WindowPosition, limit: number) {
    const bounds = admissionBounds(position, limit);
    // The key lives until it can no longer be anybody's previous window.
    const ttlMs = 2 * position.windowMs - position.elapsedMs;
    return { keys: [windowKey(bucket, position.windowStartMs), windowKey(bucket, position.previousWindowStartMs)], args: [bounds.windowMs, bounds.previousWeight, bounds.capacityUnits, ttlMs] };
  }

  return {
    backend: "redis",

    async hit(event: WindowEvent) {
      const position = windowPosition(event.nowMs, event.windowMs);
      const { keys, args } = windowArgs(event.bucket, position, event.limit);
      const [verdict, currentCount, previousCount] = await runScript(redis, HIT, keys, args);
      return describeWindow(verdict === 1, { currentCount, previousCount }, position, event.limit);
    },

    async peek(event: WindowEvent) {
      const position = windowPosition(event.nowMs, event.windowMs);
      const [current, previous] = await redis.mget(windowKey(event.bucket, position.windowStartMs), windowKey(event.bucket, position.previousWindowStartMs));
      return windowState({ currentCount: Number(current ?? 0), previousCount: Number(previous ?? 0) }, position, event.limit);
    },

    async clear(bucket: string, windowMs: number, nowMs: number) {
      const position = windowPosition(nowMs, windowMs);
      await redis.del(windowKey(bucket, position.windowStartMs), windowKey(bucket, position.previousWindowStartMs));
    },

    async admitRequest(input: RequestAdmissionInput) {
      const position = windowPosition(input.nowMs, input.rate.windowMs);
      const concurrencyLimit = await options.concurrencyLimitOf(input.orgId, input.defaultOrgConcurrency, input.nowMs);
      const { keys, args } = windowArgs(input.rate.bucket, position, input.rate.limit);
      const setKey = inFlightKey(input.orgId);
      const [verdict, currentCount, previousCount] = await runScript(redis, ADMIT, [...keys, setKey], [...args, input.nowMs, input.nowMs + input.leaseMs, input.requestId, concurrencyLimit, input.leaseMs]);
      const counts = { currentCount, previousCount };
      if (verdict === 0) return { kind: "rate_limited", window: describeWindow(false, counts, position, input.rate.limit) };
      if (verdict === 2) return { kind: "concurrency_limited", window: windowState(counts, position, input.rate.limit), concurrencyLimit };
      return {
        kind: "admitted",
        window: describeWindow(true, counts, position, input.rate.limit),
        release: async () => {
          await redis.zrem(setKey, input.requestId);
        },
      };
    },
  };
}
