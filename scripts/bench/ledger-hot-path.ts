// The routing API's database work without HTTP: reserve + settle of one request, run by the
// SQL-program runner, on SQLite (both durability settings) and PostgreSQL; and Prisma's
// per-query overhead next to the same read as a raw statement. Called by `npm run bench:routing`.
import { get, runReadProgram } from "../../lib/server/db/sql-program";
import { reserveForRequest, settleRequest } from "../../lib/server/routing/metering";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "../../test/databases";
import { createStartupWithKey } from "../../test/routing-world";

const SEQUENTIAL = 2_000;
const CONCURRENT_BATCHES = 40;
const CONCURRENCY = 50;
const QUERY_SAMPLES = 5_000;

type Variant = { label: string; provider: "sqlite" | "postgresql"; synchronous?: "FULL" | "NORMAL" };

async function measure(variant: Variant) {
  if (variant.synchronous) process.env.BLOCKABLE_SQLITE_SYNCHRONOUS = variant.synchronous;
  const database: TestDatabase = await createTestDatabase(variant.provider);
  try {
    const db = database.db;
    const { org, apiKey } = await createStartupWithKey(db, { creditsMicros: 10_000_000_000_000n });
    const key = { id: apiKey.id, spendCapMicros: null };
    let counter = 0;
    const oneRequest = async () => {
      const requestId = `bench-${counter++}`;
      const now = new Date();
      const hold = await reserveForRequest(db, { orgId: org.id, apiKey: key, requestId, worstCaseMicros: 10_000n, modelSlug: "bench", now, holdTtlMs: 60_000 });
      await settleRequest(db, {
        holdId: hold.id,
        actualMicros: 4_321n,
        now,
        apiKey: key,
        usage: { orgId: org.id, apiKeyId: key.id, requestId, modelSlug: "bench", providerSlug: "fake", endpoint: "chat.completions", inputTokens: 12, outputTokens: 16, latencyMs: 1, status: "ok" },
      });
    };
    for (let i = 0; i < 200; i++) await oneRequest(); // warm-up: statements prepared, pages cached
    let started = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) await oneRequest();
    const sequentialUs = ((performance.now() - started) / SEQUENTIAL) * 1000;
    started = performance.now();
    for (let batch = 0; batch < CONCURRENT_BATCHES; batch++) await Promise.all(Array.from({ length: CONCURRENCY }, oneRequest));
    const concurrentUs = ((performance.now() - started) / (CONCURRENT_BATCHES * CONCURRENCY)) * 1000;

    const accountId = (await db.ledgerAccount.findFirstOrThrow({ where: { orgId: org.id, type: "STARTUP_SPENDABLE" } })).id;
    started = performance.now();
    for (let i = 0; i < QUERY_SAMPLES; i++) await db.ledgerAccount.findUnique({ where: { id: accountId }, select: { balanceMicros: true } });
    const prismaQueryUs = ((performance.now() - started) / QUERY_SAMPLES) * 1000;
    started = performance.now();
    for (let i = 0; i < QUERY_SAMPLES; i++) await runReadProgram(db, get(`SELECT "balanceMicros" FROM "LedgerAccount" WHERE "id" = ?`, [accountId]));
    const rawQueryUs = ((performance.now() - started) / QUERY_SAMPLES) * 1000;
    return { sequentialUs, concurrentUs, prismaQueryUs, rawQueryUs };
  } finally {
    await database.drop();
    delete process.env.BLOCKABLE_SQLITE_SYNCHRONOUS;
  }
}

export async function measureLedgerHotPath(): Promise<string[]> {
  const variants: Variant[] = [
    { label: "SQLite, synchronous=NORMAL (default)", provider: "sqlite", synchronous: "NORMAL" },
    { label: "SQLite, synchronous=FULL", provider: "sqlite", synchronous: "FULL" },
  ];
  const pgReason = await postgresUnavailableReason();
  if (!pgReason) variants.push({ label: "PostgreSQL (local, 10 pooled connections)", provider: "postgresql" });
  const rows: string[] = [];
  for (const variant of variants) {
    const result = await measure(variant);
    console.log(`ledger hot path, ${variant.label}: ${result.sequentialUs.toFixed(0)} µs sequential, ${result.concurrentUs.toFixed(0)} µs at ${CONCURRENCY} concurrent`);
    rows.push(`| ${variant.label} | ${result.sequentialUs.toFixed(0)} | ${result.concurrentUs.toFixed(0)} | ${result.prismaQueryUs.toFixed(0)} | ${result.rawQueryUs.toFixed(0)} |`);
  }
  return [
    `Database work of one metered request without HTTP (reserve, then settle with usage event, rollup and key spend), µs per request; ${SEQUENTIAL} sequential, then ${CONCURRENT_BATCHES} × ${CONCURRENCY} concurrent. The last two columns: one primary-key read through Prisma's query API vs the same read as a raw SQL-program statement (mean of ${QUERY_SAMPLES}).${pgReason ? ` PostgreSQL skipped: ${pgReason}.` : ""}`,
    "",
    "| database | sequential µs/request | concurrent µs/request | Prisma findUnique µs | raw statement µs |",
    "|---|---|---|---|---|",
    ...rows,
  ];
}
