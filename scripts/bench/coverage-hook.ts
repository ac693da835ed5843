// What "coverage is recomputed on every settled request of the borrower" costs the routing hot path
// (lib/server/valuation/hot-path.ts): one metered request's database work (reserve + settle, which
// calls noteBorrowerSpend) for a startup without a loan and for a borrower with an open loan,
// interleaved in blocks so drift hits both alike; and noteBorrowerSpend's own in-memory cost.
// Called by `npm run bench:routing`.
import { createApiKey } from "../../lib/server/services/api-keys";
import { reserveForRequest, settleRequest, type MeteredKey } from "../../lib/server/routing/metering";
import { coverageHookStats, flushCoverageHook, noteBorrowerSpend, warmCoverageHook } from "../../lib/server/valuation/hot-path";
import type { Db } from "../../lib/server/db/client";
import { createLender, createLoan, seedIndex } from "../../test/collateral-world";
import { createTestDatabase, postgresUnavailableReason } from "../../test/databases";
import { createStartupWithKey } from "../../test/routing-world";

const USD = 1_000_000n;
const BLOCKS = 10;
const BLOCK_REQUESTS = 200;
const HOOK_CALLS = 200_000;

type Payer = { orgId: string; key: MeteredKey };

async function measure(provider: "sqlite" | "postgresql") {
  const database = await createTestDatabase(provider);
  try {
    const db: Db = database.db;
    await seedIndex(db);
    const lender = await createLender(db);
    const plain = await createStartupWithKey(db, { creditsMicros: 10_000_000_000_000n });
    // $10M of financed credits against $1M of principal: coverage stays far above every threshold,
    // so what is measured is the hook's steady state (no recompute unless a minute has passed).
    const { startupOrgId } = await createLoan(db, { lender, financedMicros: 10_000_000n * USD, principalMicros: 1_000_000n * USD, indexAtOriginationMicros: 2_000_000n });
    const { apiKey: borrowerKey } = await createApiKey(db, { orgId: startupOrgId, createdById: "bench", name: "bench" });
    const payers: Record<"plain" | "borrower", Payer> = {
      plain: { orgId: plain.org.id, key: { id: plain.apiKey.id, spendCapMicros: null } },
      borrower: { orgId: startupOrgId, key: { id: borrowerKey.id, spendCapMicros: null } },
    };
    await warmCoverageHook(db, new Date(), [startupOrgId]);

    let counter = 0;
    const oneRequest = async (payer: Payer) => {
      const requestId = `hook-bench-${counter++}`;
      const now = new Date();
      const hold = await reserveForRequest(db, { orgId: payer.orgId, apiKey: payer.key, requestId, worstCaseMicros: 10_000n, modelSlug: "bench", now, holdTtlMs: 60_000 });
      await settleRequest(db, {
        holdId: hold.id,
        actualMicros: 4_321n,
        now,
        apiKey: payer.key,
        usage: { orgId: payer.orgId, apiKeyId: payer.key.id, requestId, modelSlug: "bench", providerSlug: "fake", endpoint: "chat.completions", inputTokens: 12, outputTokens: 16, latencyMs: 1, status: "ok" },
      });
    };
    for (let i = 0; i < 200; i++) await oneRequest(i % 2 ? payers.plain : payers.borrower); // warm-up
    await flushCoverageHook(db);
    const recomputesBefore = coverageHookStats(db).recomputes;
    const totalMs = { plain: 0, borrower: 0 };
    for (let block = 0; block < BLOCKS * 2; block++) {
      const which = block % 2 === 0 ? "plain" : "borrower";
      const started = performance.now();
      for (let i = 0; i < BLOCK_REQUESTS; i++) await oneRequest(payers[which]);
      totalMs[which] += performance.now() - started;
    }
    await flushCoverageHook(db);
    const recomputes = coverageHookStats(db).recomputes - recomputesBefore;
    const perRequestUs = (ms: number) => (ms / (BLOCKS * BLOCK_REQUESTS)) * 1000;

    // The call itself, as settleRequest makes it: a Set lookup for a non-borrower, a subtraction and
    // a comparison for a borrower whose watch is loaded.
    const now = new Date();
    let started = performance.now();
    for (let i = 0; i < HOOK_CALLS; i++) noteBorrowerSpend(db, payers.plain.orgId, 1n, now);
    const plainCallNs = ((performance.now() - started) / HOOK_CALLS) * 1e6;
    started = performance.now();
    for (let i = 0; i < HOOK_CALLS; i++) noteBorrowerSpend(db, payers.borrower.orgId, 1n, now);
    const borrowerCallNs = ((performance.now() - started) / HOOK_CALLS) * 1e6;
    await flushCoverageHook(db);
    return { plainUs: perRequestUs(totalMs.plain), borrowerUs: perRequestUs(totalMs.borrower), recomputes, plainCallNs, borrowerCallNs };
  } finally {
    await flushCoverageHook(database.db);
    await database.drop();
  }
}

export async function measureCoverageHook(): Promise<string[]> {
  const providers: { label: string; provider: "sqlite" | "postgresql" }[] = [{ label: "SQLite (synchronous=NORMAL)", provider: "sqlite" }];
  const pgReason = await postgresUnavailableReason();
  if (!pgReason) providers.push({ label: "PostgreSQL (local)", provider: "postgresql" });
  const rows: string[] = [];
  for (const { label, provider } of providers) {
    const result = await measure(provider);
    const deltaUs = result.borrowerUs - result.plainUs;
    console.log(`coverage hook, ${label}: ${result.plainUs.toFixed(0)} µs without a loan, ${result.borrowerUs.toFixed(0)} µs as a borrower (${deltaUs >= 0 ? "+" : ""}${deltaUs.toFixed(0)} µs), call ${result.plainCallNs.toFixed(0)}/${result.borrowerCallNs.toFixed(0)} ns`);
    rows.push(
      `| ${label} | ${result.plainUs.toFixed(0)} | ${result.borrowerUs.toFixed(0)} | ${deltaUs >= 0 ? "+" : ""}${deltaUs.toFixed(0)} | ${result.recomputes} | ${result.plainCallNs.toFixed(0)} | ${result.borrowerCallNs.toFixed(0)} |`,
    );
  }
  return [
    `Coverage on every settled request of a borrower (\`noteBorrowerSpend\`, called by every settlement): database work of one metered request, µs per request, for a startup without a loan and for a borrower with an open loan (far above every threshold), ${BLOCKS} interleaved blocks of ${BLOCK_REQUESTS} requests each; recomputes the hook started during them; and the call's own cost in ns (mean of ${HOOK_CALLS.toLocaleString("en-US")}).${pgReason ? ` PostgreSQL skipped: ${pgReason}.` : ""}`,
    "",
    "| database | without a loan µs | borrower µs | difference µs | recomputes | call ns (no loan) | call ns (borrower) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ];
}

if (process.argv[1]?.endsWith("coverage-hook.ts")) {
  for (const line of await measureCoverageHook()) console.log(line);
}
