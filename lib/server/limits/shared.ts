import "@/lib/server/server-only";
import { Redis } from "ioredis";
import type { Db } from "@/lib/server/db/client";
import { get, numOrNull, runReadProgram } from "@/lib/server/db/sql-program";
import { databaseKey, processWide } from "@/lib/server/process-wide";
import { databaseLimitStore } from "./database-store";
import { redisLimitStore } from "./redis-store";
import type { LimitStore } from "./store";

type Log = Pick<Console, "warn">;

/**
 * Tries `primary` (Redis) and, when it fails, answers from `fallback` (the database) instead:
 * limits keep holding, per backend, while Redis is away. The switch is logged once each way.
 * An admitted request is released in the store that admitted it.
 */
export function withFallback(primary: LimitStore, fallback: LimitStore, options: { name: string; waitUntilReady?: () => Promise<void>; log?: Log }): LimitStore {
  const log = options.log ?? console;
  let isFallingBack = false;

  async function attempt<T>(operation: (store: LimitStore) => Promise<T>): Promise<T> {
    try {
      await options.waitUntilReady?.();
      const result = await operation(primary);
      if (isFallingBack) {
        isFallingBack = false;
        log.warn(`limits: ${options.name} is reachable again; rate and concurrency limits use it again`);
      }
      return result;
    } catch (error) {
      if (!isFallingBack) {
        isFallingBack = true;
        log.warn(`limits: ${options.name} failed (${(error as Error).message}); rate and concurrency limits fall back to the database until it answers again`);
      }
      return operation(fallback);
    }
  }

  return {
    backend: primary.backend,
    hit: (event) => attempt((store) => store.hit(event)),
    peek: (event) => attempt((store) => store.peek(event)),
    clear: (bucket, windowMs, nowMs) => attempt((store) => store.clear(bucket, windowMs, nowMs)),
    admitRequest: (input) => attempt((store) => store.admitRequest(input)),
  };
}

const CONCURRENCY_CACHE_MS = 5_000;

/**
 * Organisation.maxConcurrentRequests for the Redis store, read at most once per organisation every
 * few seconds per instance (the database stores read it inside their own statement instead).
 */
export function cachedConcurrencyLimits(db: Db, cacheMs = CONCURRENCY_CACHE_MS) {
  const cache = new Map<string, { fetchedAtMs: number; limit: Promise<number | null> }>();
  return async (orgId: string, defaultLimit: number, nowMs: number): Promise<number> => {
    let entry = cache.get(orgId);
    if (!entry || Math.abs(nowMs - entry.fetchedAtMs) >= cacheMs) {
      const limit = runReadProgram(db, get(`SELECT "maxConcurrentRequests" AS "limit" FROM "Organization" WHERE "id" = ?`, [orgId])).then((row) => numOrNull(row?.limit));
      entry = { fetchedAtMs: nowMs, limit };
      cache.set(orgId, entry);
      // A failed read is not kept: the next request asks again.
      limit.catch(() => {
        if (cache.get(orgId) === entry) cache.delete(orgId);
      });
    }
    return (await entry.limit) ?? defaultLimit;
  };
}

/**
 * A Redis client for limits: commands fail at once while it is disconnected (no offline queue, so
 * no request waits on a dead Redis) and the store falls back to the database meanwhile. Only the
 * first connection is waited for, briefly, so a starting server does not log a false outage.
 */
export function limitsRedisClient(url: string): { redis: Redis; waitUntilReady: () => Promise<void> } {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000, connectTimeout: 2_000, retryStrategy: (times) => Math.min(times * 200, 2_000) });
  redis.on("error", () => undefined); // reported by withFallback, once per outage
  let firstConnection: Promise<void> | null = null;
  const waitUntilReady = () => {
    if (redis.status === "ready") return Promise.resolve();
    firstConnection ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      redis.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return firstConnection;
  };
  return { redis, waitUntilReady };
}

const stores = processWide("limitStores", () => new WeakMap<object, LimitStore>());

/**
 * The limit store every instance shares: Redis when REDIS_URL is set (falling back to the
 * database while Redis is unreachable), else the database. One per database client and process.
 */
export function sharedLimitStore(db: Db, env: NodeJS.ProcessEnv = process.env): LimitStore {
  const key = databaseKey(db);
  let store = stores.get(key);
  if (!store) {
    const database = databaseLimitStore(db);
    const url = env.REDIS_URL?.trim();
    if (url) {
      const { redis, waitUntilReady } = limitsRedisClient(url);
      const keyPrefix = env.BLOCKABLE_REDIS_KEY_PREFIX?.trim() || "blockable:limits:";
      store = withFallback(redisLimitStore(redis, { keyPrefix, concurrencyLimitOf: cachedConcurrencyLimits(db) }), database, { name: `Redis at ${url.replace(/\/\/[^@]*@/, "//")}`, waitUntilReady });
    } else {
      store = database;
    }
    stores.set(key, store);
  }
  return store;
}
