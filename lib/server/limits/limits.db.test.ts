// Rate and concurrency limits shared by every app instance. Each "instance" here is its own
// database client (its own connection and pool, no memory shared with the other) on the same
// database, or its own Redis connection on the same Redis: what one admits, the other sees.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/server/db/client";
import { OpenAiError } from "@/lib/server/routing/openai-errors";
import { admitWith, type Admission, type RateLimitedCaller, type RequestLimits } from "@/lib/server/routing/rate-limits";
import { limitDefaultsFromEnv } from "@/lib/domain/limits/config";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { databaseLimitStore, deleteExpiredLimits } from "./database-store";
import { redisLimitStore } from "./redis-store";
import { cachedConcurrencyLimits, limitsRedisClient, withFallback } from "./shared";
import type { LimitStore } from "./store";

const MINUTE = 60_000;
const defaults = limitDefaultsFromEnv({}); // 600 rpm, 64 in flight
// 12 s into a minute that has not started yet, so leases (timed from here) are live in real time too.
const T0 = (Math.floor(Date.now() / MINUTE) + 1) * MINUTE + 12_000;

type Outcome = { admission: Admission } | { error: OpenAiError };

async function attempt(limits: RequestLimits, caller: RateLimitedCaller, nowMs: number): Promise<Outcome> {
  try {
    return { admission: await admitWith(limits, caller, nowMs) };
  } catch (error) {
    if (!(error instanceof OpenAiError)) throw error;
    return { error };
  }
}

const admitted = (outcomes: Outcome[]) => outcomes.flatMap((o) => ("admission" in o ? [o.admission] : []));
const refused = (outcomes: Outcome[]) => outcomes.flatMap((o) => ("error" in o ? [o.error] : []));

/** The behaviour every backend must have, given two instances' stores on the same shared state. */
function sharedLimitBehaviour(name: string, setup: () => { a: LimitStore; b: LimitStore; newOrg: (maxConcurrentRequests?: number | null) => Promise<string> }) {
  describe(name, () => {
    const instances = () => {
      const { a, b } = setup();
      return [{ store: a, defaults }, { store: b, defaults }] as const;
    };
    const key = (orgId: string, rpmLimit: number | null): RateLimitedCaller => ({ orgId, apiKey: { id: `key-${randomUUID()}`, rpmLimit } });

    it("two instances share one key's budget exactly: 12 requests at once against 5 rpm admit 5", async () => {
      const [a, b] = instances();
      const caller = key(await setup().newOrg(), 5);
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(i % 2 ? a : b, caller, T0 + i)));
      expect(admitted(outcomes)).toHaveLength(5);
      expect(refused(outcomes).map((e) => [e.status, e.code])).toEqual(Array.from({ length: 7 }, () => [429, "rate_limit_exceeded"]));
      admitted(outcomes).forEach((admission) => admission.release());
    });

    it("a key without its own limit gets the default 600 requests per minute, across both instances", async () => {
      const [a, b] = instances();
      const caller = key(await setup().newOrg(10_000), null);
      const outcomes: Outcome[] = [];
      for (let batch = 0; batch < 601; batch += 50) {
        const size = Math.min(50, 601 - batch);
        outcomes.push(...(await Promise.all(Array.from({ length: size }, (_, i) => attempt((batch + i) % 2 ? a : b, caller, T0 + 1_000)))));
      }
      expect(admitted(outcomes)).toHaveLength(600);
      const [refusal] = refused(outcomes);
      expect(refusal.message).toBe("Rate limit reached: 600 requests per minute (the platform default for API keys without their own limit). Retry in 48 s.");
      admitted(outcomes).forEach((admission) => admission.release());
    });

    it("admitted replies carry OpenAI's x-ratelimit headers; a refusal adds retry-after in seconds", async () => {
      const [a, b] = instances();
      const caller = key(await setup().newOrg(), 2);
      const first = await admitWith(a, caller, T0);
      expect(first.headers).toEqual({ "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "1", "x-ratelimit-reset-requests": "1m48s" });
      const second = await admitWith(b, caller, T0 + 3_000);
      expect(second.headers["x-ratelimit-remaining-requests"]).toBe("0");
      const third = await attempt(a, caller, T0 + 3_000);
      // 2 used this minute (45 s left of it), limit 2: the next window admits once half of those 2 have faded (30 s in).
      expect("error" in third && third.error).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "rate_limit_error", message: "Rate limit reached: 2 requests per minute (this API key's limit). Retry in 75 s." });
      expect("error" in third && third.error.headers).toEqual({ "retry-after": "75", "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m45s" });
      const later = await attempt(b, caller, T0 + 3_000 + 75_000);
      expect("admission" in later).toBe(true);
      for (const admission of [first, second]) admission.release();
    });

    it("an organisation's concurrency limit holds across instances: the 4th of 3 is refused until one is released", async () => {
      const [a, b] = instances();
      const orgId = await setup().newOrg(3);
      const outcomes = await Promise.all(Array.from({ length: 4 }, (_, i) => attempt(i % 2 ? a : b, key(orgId, null), T0 + i)));
      const inFlight = admitted(outcomes);
      expect(inFlight).toHaveLength(3);
      expect(refused(outcomes)).toMatchObject([{ status: 429, code: "concurrency_limit_exceeded", message: "Concurrency limit reached: your organisation may have 3 requests in flight at once. Retry in 1 s, once one of them has finished." }]);
      expect(refused(outcomes)[0].headers["retry-after"]).toBe("1");
      expect("error" in (await attempt(a, key(orgId, null), T0 + 10))).toBe(true);

      inFlight[0].release();
      inFlight[0].release(); // twice frees one slot, not two
      await vi.waitFor(async () => {
        const next = await attempt(b, key(orgId, null), T0 + 20);
        expect("admission" in next).toBe(true);
        inFlight.push((next as { admission: Admission }).admission);
      });
      expect("error" in (await attempt(a, key(orgId, null), T0 + 30))).toBe(true);
      inFlight.slice(1).forEach((admission) => admission.release());
    });

    it("a request refused for concurrency does not use its key's rate budget", async () => {
      const [a, b] = instances();
      const orgId = await setup().newOrg(1);
      const caller = key(orgId, 2);
      const holder = await admitWith(a, caller, T0);
      expect(await attempt(b, caller, T0 + 1)).toMatchObject({ error: { code: "concurrency_limit_exceeded" } });
      expect(await attempt(b, caller, T0 + 2)).toMatchObject({ error: { code: "concurrency_limit_exceeded" } });
      holder.release();
      await vi.waitFor(async () => expect(await attempt(a, caller, T0 + 3)).toHaveProperty("admission"));
    });

    it("leases of a process that died stop counting when they expire (15 minutes)", async () => {
      const [a, b] = instances();
      const orgId = await setup().newOrg(2);
      expect(admitted(await Promise.all([attempt(a, key(orgId, null), T0), attempt(b, key(orgId, null), T0)]))).toHaveLength(2); // never released
      expect(await attempt(a, key(orgId, null), T0 + 14 * MINUTE)).toMatchObject({ error: { code: "concurrency_limit_exceeded" } });
      const afterExpiry = await Promise.all([attempt(a, key(orgId, null), T0 + 15 * MINUTE + 1), attempt(b, key(orgId, null), T0 + 15 * MINUTE + 2), attempt(b, key(orgId, null), T0 + 15 * MINUTE + 3)]);
      expect(admitted(afterExpiry)).toHaveLength(2);
      admitted(afterExpiry).forEach((admission) => admission.release());
    });

    it("any window (sign-in failures: 10 per 15 minutes) counts only what it admits; peek counts nothing; clear forgets", async () => {
      const { a, b } = setup();
      const event = { bucket: `sign-in:${randomUUID()}`, limit: 10, windowMs: 15 * MINUTE, nowMs: T0 };
      const verdicts = await Promise.all(Array.from({ length: 11 }, (_, i) => (i % 2 ? a : b).hit(event)));
      expect(verdicts.filter((v) => v.isAdmitted)).toHaveLength(10);
      const peeked = await a.peek({ ...event, nowMs: T0 + 1_000 });
      expect(peeked).toMatchObject({ isAdmitted: false, remaining: 0, counts: { currentCount: 10 } });
      expect(peeked.retryAfterMs).toBeGreaterThan(0);
      expect((await b.peek({ ...event, nowMs: T0 + 1_000 })).counts.currentCount).toBe(10);
      await b.clear(event.bucket, event.windowMs, T0 + 2_000);
      expect(await a.hit({ ...event, nowMs: T0 + 2_000 })).toMatchObject({ isAdmitted: true, remaining: 9 });
    });
  });
}

await describeEachProvider("shared limits in the database", (provider) => {
  let test_: TestDatabase;
  let second: Db;
  beforeAll(async () => {
    test_ = await createTestDatabase(provider);
    second = createDb(test_.url).db;
  });
  afterAll(async () => {
    await second.$disconnect();
    await test_.drop();
  });

  const newOrg = async (maxConcurrentRequests: number | null = null) => {
    const id = randomUUID();
    await test_.db.organization.create({ data: { id, name: `Org ${id}`, slug: id, kind: "STARTUP", maxConcurrentRequests } });
    return id;
  };

  sharedLimitBehaviour("two instances on one database", () => ({ a: databaseLimitStore(test_.db), b: databaseLimitStore(second), newOrg }));

  it("clean-up deletes windows that can no longer count and expired leases, and nothing else", async () => {
    const store = databaseLimitStore(test_.db);
    const orgId = await newOrg();
    const caller: RateLimitedCaller = { orgId, apiKey: { id: `key-${randomUUID()}`, rpmLimit: null } };
    const held = await admitWith({ store, defaults }, caller, T0);
    await admitWith({ store, defaults }, caller, T0 + MINUTE);
    const rows = async () => ({
      windows: await test_.db.rateCounter.count({ where: { bucket: `rpm:${caller.apiKey.id}` } }),
      leases: await test_.db.inFlightRequest.count({ where: { orgId } }),
    });
    expect(await rows()).toEqual({ windows: 2, leases: 2 });
    await deleteExpiredLimits(test_.db, new Date(T0 + MINUTE)); // T0's window is still the previous one
    expect(await rows()).toEqual({ windows: 2, leases: 2 });
    await deleteExpiredLimits(test_.db, new Date(T0 + 2 * MINUTE)); // …and now it is not
    expect(await rows()).toEqual({ windows: 1, leases: 2 });
    await deleteExpiredLimits(test_.db, new Date(T0 + 16 * MINUTE));
    expect(await rows()).toEqual({ windows: 0, leases: 0 });
    held.release(); // after its lease expired: nothing left to release, and nothing throws
    // A fresh start for the organisation: its full limit is available.
    const again = await Promise.all(Array.from({ length: 3 }, (_, i) => attempt({ store: databaseLimitStore(second), defaults: { ...defaults, orgConcurrency: 3 } }, { ...caller, apiKey: { ...caller.apiKey, id: `key-${randomUUID()}` } }, T0 + 17 * MINUTE + i)));
    expect(admitted(again)).toHaveLength(3);
  });

  it("a database that cannot be reached is a 503 naming the limits, not a crash", async () => {
    const failing: LimitStore = { ...databaseLimitStore(test_.db), admitRequest: () => Promise.reject(new Error("connection refused")) };
    const errorLog = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const outcome = await attempt({ store: failing, defaults }, { orgId: "o", apiKey: { id: "k", rpmLimit: null } }, T0);
      expect(outcome).toMatchObject({ error: { status: 503, code: "limits_unavailable", headers: { "retry-after": "1" } } });
    } finally {
      errorLog.mockRestore();
    }
  });
});

// ───────────────────────────── Redis ─────────────────────────────

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisSkipReason(): Promise<string | null> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    const reason = `Redis not reachable at ${REDIS_URL}: ${(error as Error).message}`;
    if (process.env.CI === "true") throw new Error(`${reason} (CI=true requires the Redis tests to run)`);
    console.warn(`skipped Redis tests: ${reason}`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

const redisReason = await redisSkipReason();

describe.skipIf(redisReason !== null)(`shared limits in Redis${redisReason ? ` — skipped: ${redisReason}` : ""}`, () => {
  let test_: TestDatabase;
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  beforeAll(async () => {
    test_ = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    const cleaner = new Redis(REDIS_URL);
    for (const prefix of prefixes) {
      const keys = await cleaner.keys(`${prefix}*`);
      if (keys.length) await cleaner.del(...keys);
    }
    cleaner.disconnect();
    clients.forEach((client) => client.disconnect());
    await test_.drop();
  });

  const newOrg = async (maxConcurrentRequests: number | null = null) => {
    const id = randomUUID();
    await test_.db.organization.create({ data: { id, name: `Org ${id}`, slug: id, kind: "STARTUP", maxConcurrentRequests } });
    return id;
  };

  /** Two instances: each its own Redis connection and its own cache of organisation limits; one key prefix per test. */
  let current: { a: LimitStore; b: LimitStore } | null = null;
  let currentTest = "";
  sharedLimitBehaviour("two instances on one Redis", () => {
    const name = expect.getState().currentTestName ?? "";
    if (!current || currentTest !== name) {
      const keyPrefix = `blockable-test:${randomUUID()}:`;
      prefixes.push(keyPrefix);
      const instance = () => {
        const client = new Redis(REDIS_URL);
        clients.push(client);
        return redisLimitStore(client, { keyPrefix, concurrencyLimitOf: cachedConcurrencyLimits(test_.db) });
      };
      current = { a: instance(), b: instance() };
      currentTest = name;
    }
    return { ...current, newOrg };
  });

  it("an unreachable Redis falls back to the database and says so once", async () => {
    const { redis, waitUntilReady } = limitsRedisClient("redis://127.0.0.1:1");
    clients.push(redis);
    const warnings: string[] = [];
    const log = { warn: (line: string) => warnings.push(line) };
    const database = databaseLimitStore(test_.db);
    const store = withFallback(redisLimitStore(redis, { keyPrefix: "unused:", concurrencyLimitOf: async () => 3 }), database, { name: "Redis at 127.0.0.1:1", waitUntilReady, log });
    const caller: RateLimitedCaller = { orgId: await newOrg(), apiKey: { id: `key-${randomUUID()}`, rpmLimit: 3 } };
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => attempt({ store, defaults }, caller, T0 + i)));
    expect(admitted(outcomes)).toHaveLength(3);
    expect(await test_.db.rateCounter.findFirst({ where: { bucket: `rpm:${caller.apiKey.id}` } })).toMatchObject({ count: 3 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^limits: Redis at 127\.0\.0\.1:1 failed \(.+\); rate and concurrency limits fall back to the database/);
    admitted(outcomes).forEach((admission) => admission.release());
  });

  it("when Redis answers again, limits go back to it, and that is said once too", async () => {
    const client = new Redis(REDIS_URL);
    clients.push(client);
    const keyPrefix = `blockable-test:${randomUUID()}:`;
    prefixes.push(keyPrefix);
    const redis = redisLimitStore(client, { keyPrefix, concurrencyLimitOf: async (_orgId, defaultLimit) => defaultLimit });
    let isDown = true;
    const flapping: LimitStore = { ...redis, hit: (event) => (isDown ? Promise.reject(new Error("connect ECONNREFUSED")) : redis.hit(event)) };
    const warnings: string[] = [];
    const store = withFallback(flapping, databaseLimitStore(test_.db), { name: "Redis", log: { warn: (line: string) => warnings.push(line) } });
    const event = { bucket: `sign-in:${randomUUID()}`, limit: 5, windowMs: MINUTE, nowMs: T0 };
    await store.hit(event);
    await store.hit(event);
    isDown = false;
    expect(await store.hit(event)).toMatchObject({ isAdmitted: true, counts: { currentCount: 1 } }); // Redis's own count
    await store.hit(event);
    expect(warnings).toEqual([
      "limits: Redis failed (connect ECONNREFUSED); rate and concurrency limits fall back to the database until it answers again",
      "limits: Redis is reachable again; rate and concurrency limits use it again",
    ]);
    expect(await test_.db.rateCounter.findFirst({ where: { bucket: event.bucket } })).toMatchObject({ count: 2 });
  });

  it("Redis keeps an organisation's own concurrency limit, read from the database", async () => {
    const client = new Redis(REDIS_URL);
    clients.push(client);
    const keyPrefix = `blockable-test:${randomUUID()}:`;
    prefixes.push(keyPrefix);
    const store = redisLimitStore(client, { keyPrefix, concurrencyLimitOf: cachedConcurrencyLimits(test_.db) });
    const orgId = await newOrg(2);
    const outcomes = await Promise.all(Array.from({ length: 3 }, (_, i) => attempt({ store, defaults }, { orgId, apiKey: { id: `key-${i}`, rpmLimit: null } }, T0)));
    expect(admitted(outcomes)).toHaveLength(2);
    expect(refused(outcomes)[0].message).toContain("may have 2 requests in flight");
    admitted(outcomes).forEach((admission) => admission.release());
  });
});
