// The shared rate and concurrency limits without HTTP: µs per routed request's admission (the key's
// requests-per-minute window and the organisation's in-flight lease, admitRequest's store call)
// and per admission + release, on SQLite, PostgreSQL and Redis. One key (every request on the
// same counter row: the worst case for row locks) and 100 keys of 10 organisations.
// `npx tsx --conditions=react-server scripts/bench/limits.ts`; `measureLimits()` for bench:routing.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { MINUTE_MS, IN_FLIGHT_LEASE_MS } from "../../lib/domain/limits/config";
import { newRowId } from "../../lib/server/db/ids";
import { databaseLimitStore } from "../../lib/server/limits/database-store";
import { redisLimitStore } from "../../lib/server/limits/redis-store";
import { cachedConcurrencyLimits } from "../../lib/server/limits/shared";
import type { LimitStore } from "../../lib/server/limits/store";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "../../test/databases";
import { runIfScript } from "./run-script";

const SEQUENTIAL = Number(process.env.BENCH_LIMITS_SEQUENTIAL ?? 5_000);
const CONCURRENCY = 50;
const CONCURRENT_BATCHES = Number(process.env.BENCH_LIMITS_BATCHES ?? 100);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

type Figures = { admitUs: number; admitReleaseUs: number; concurrentUs: number };

async function measureStore(store: LimitStore, orgIds: string[], keyCount: number): Promise<Figures> {
  const keys = Array.from({ length: keyCount }, (_, i) => ({ bucket: `rpm:bench-${randomUUID()}`, orgId: orgIds[i % orgIds.length] }));
  let counter = 0;
  const admit = async () => {
    const key = keys[counter++ % keys.length];
    const outcome = await store.admitRequest({ rate: { bucket: key.bucket, limit: 100_000_000, windowMs: MINUTE_MS }, orgId: key.orgId, defaultOrgConcurrency: 1_000_000, requestId: newRowId(), nowMs: Date.now(), leaseMs: IN_FLIGHT_LEASE_MS });
    if (outcome.kind !== "admitted") throw new Error(`bench request refused: ${outcome.kind}`);
    return outcome;
  };
  for (let i = 0; i < 300; i++) await (await admit()).release(); // warm-up: statements prepared, scripts loaded
  // Admission alone, with at most 64 requests in flight (the default limit): releases untimed.
  let admitMs = 0;
  const held = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const before = performance.now();
    held.push(await admit());
    admitMs += performance.now() - before;
    if (held.length === 64) for (const outcome of held.splice(0)) await outcome.release();
  }
  for (const outcome of held.splice(0)) await outcome.release();
  const admitUs = (admitMs / SEQUENTIAL) * 1000;
  let started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await (await admit()).release();
  const admitReleaseUs = ((performance.now() - started) / SEQUENTIAL) * 1000;
  started = performance.now();
  for (let batch = 0; batch < CONCURRENT_BATCHES; batch++) await Promise.all(Array.from({ length: CONCURRENCY }, async () => (await admit()).release()));
  const concurrentUs = ((performance.now() - started) / (CONCURRENT_BATCHES * CONCURRENCY)) * 1000;
  return { admitUs, admitReleaseUs, concurrentUs };
}

async function newOrgs(database: TestDatabase, count: number) {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) await database.db.organization.create({ data: { id, name: `Bench ${id}`, slug: id, kind: "STARTUP" } });
  return ids;
}

async function redisReachable(): Promise<string | null> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    probe.disconnect();
  }
}

export async function measureLimits(): Promise<string[]> {
  const rows: string[] = [];
  const row = (label: string, keys: number, f: Figures) => {
    console.log(`limits, ${label}, ${keys} key(s): admit ${f.admitUs.toFixed(0)} µs, admit + release ${f.admitReleaseUs.toFixed(0)} µs, ${CONCURRENCY} concurrent ${f.concurrentUs.toFixed(0)} µs/request`);
    rows.push(`| ${label} | ${keys} | ${f.admitUs.toFixed(0)} | ${f.admitReleaseUs.toFixed(0)} | ${f.concurrentUs.toFixed(0)} |`);
  };
  const pgReason = await postgresUnavailableReason();
  const redisReason = await redisReachable();
  const providers: ("sqlite" | "postgresql")[] = pgReason ? ["sqlite"] : ["sqlite", "postgresql"];
  for (const provider of providers) {
    const database = await createTestDatabase(provider);
    try {
      const orgIds = await newOrgs(database, 10);
      for (const keyCount of [1, 100]) row(provider === "sqlite" ? "SQLite (synchronous=NORMAL)" : "PostgreSQL (local, 10 pooled connections)", keyCount, await measureStore(databaseLimitStore(database.db), orgIds.slice(0, keyCount === 1 ? 1 : 10), keyCount));
      if (provider === "sqlite" && !redisReason) {
        const redis = new Redis(REDIS_URL);
        const keyPrefix = `blockable-bench:${randomUUID()}:`;
        try {
          const store = redisLimitStore(redis, { keyPrefix, concurrencyLimitOf: cachedConcurrencyLimits(database.db) });
          for (const keyCount of [1, 100]) row("Redis (local, one connection)", keyCount, await measureStore(store, orgIds.slice(0, keyCount === 1 ? 1 : 10), keyCount));
        } finally {
          const left = await redis.keys(`${keyPrefix}*`);
          if (left.length) await redis.del(...left);
          redis.disconnect();
        }
      }
    } finally {
      await database.drop();
    }
  }
  return [
    `Shared limits of one routed request without HTTP (the key's rate window and the organisation's in-flight lease), µs per request: admission alone (${SEQUENTIAL} sequential, at most 64 in flight), admission + release sequential, and admission + release at ${CONCURRENCY} concurrent (${CONCURRENT_BATCHES} batches).${pgReason ? ` PostgreSQL skipped: ${pgReason}.` : ""}${redisReason ? ` Redis skipped: ${redisReason}.` : ""}`,
    "",
    "| store | keys | admit µs | admit + release µs | concurrent µs/request |",
    "|---|---|---|---|---|",
    ...rows,
  ];
}

runIfScript(import.meta.filename, async () => {
  console.log((await measureLimits()).join("\n"));
});
