import "@/lib/server/server-only";
import { newRowId } from "@/lib/server/db/ids";
import type { Db } from "@/lib/server/db/client";
import { run, runProgram, type SqlProgram } from "@/lib/server/db/sql-program";
import { balanceProgram, resolveHoldProgram, startupAccountIdsProgram, type ReservedHold, type SettleResult, type StartupAccountIds } from "@/lib/server/ledger/hold-programs";
import { cachedStartupAccountIds, reserveHold } from "@/lib/server/ledger/ledger";
import { noteBorrowerSpend } from "@/lib/server/valuation/hot-path";

/**
 * Metering around one routed request: a hold for the worst case before the upstream call, then —
 * after it, in one transaction — the settlement, the usage event, the daily rollup and the key's
 * spend. Nothing here waits on the upstream while a transaction is open.
 */

export type MeteredKey = { id: string; spendCapMicros: bigint | null };

export type ReserveForRequestInput = {
  orgId: string;
  apiKey: MeteredKey;
  requestId: string;
  worstCaseMicros: bigint;
  modelSlug: string;
  now: Date;
  holdTtlMs: number;
};

/** One transaction: the key's spend cap (when it has one), the hold, and for streams the freeze baseline. */
export function reserveForRequest(db: Db, input: ReserveForRequestInput & { readFreezeMarker?: boolean }): Promise<ReservedHold> {
  return reserveHold(db, {
    orgId: input.orgId,
    requestId: input.requestId,
    amountMicros: input.worstCaseMicros,
    apiKeyId: input.apiKey.id,
    modelSlug: input.modelSlug,
    now: input.now,
    ttlMs: input.holdTtlMs,
    spendCap: input.apiKey.spendCapMicros !== null ? { apiKeyId: input.apiKey.id, capMicros: input.apiKey.spendCapMicros } : null,
    readFreezeMarker: input.readFreezeMarker,
  });
}

export type UsageRecord = {
  orgId: string;
  apiKeyId: string;
  requestId: string;
  modelSlug: string;
  providerSlug: string;
  endpoint: "chat.completions" | "responses" | "embeddings";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  status: "ok" | "error" | "aborted" | "frozen";
};

export type SettledRequest = SettleResult & { spendableLeftMicros: bigint };

/**
 * After the upstream answered, in one transaction: the hold's settlement, the usage event, the
 * daily rollup, the key's spend, and the spendable balance to report back.
 */
export async function settleRequest(db: Db, input: { holdId: string; actualMicros: bigint; now: Date; apiKey: MeteredKey; usage: UsageRecord }): Promise<SettledRequest> {
  const accounts = await cachedStartupAccountIds(db, input.usage.orgId);
  const settled = await runProgram(db, settleRequestProgram({ ...input, accounts }));
  // Coverage follows the borrower's spend without the request waiting for it (a Set lookup for a
  // startup without an open loan; a recompute only when a threshold is crossed).
  if (!settled.alreadyResolved) noteBorrowerSpend(db, input.usage.orgId, settled.chargedMicros, input.now);
  return settled;
}

function* settleRequestProgram(input: { holdId: string; actualMicros: bigint; now: Date; apiKey: MeteredKey; usage: UsageRecord; accounts: StartupAccountIds | null }): SqlProgram<SettledRequest> {
  const result = yield* resolveHoldProgram({ holdId: input.holdId, actualMicros: input.actualMicros, now: input.now, status: input.actualMicros > 0n ? "SETTLED" : "VOIDED", accounts: input.accounts });
  if (result.spendableAfterMicros === null) {
    // Resolved before (a retry or the sweeper): nothing more to write, the balance is read as it is now.
    const accounts = input.accounts ?? (yield* startupAccountIdsProgram(result.orgId));
    return { ...result, spendableLeftMicros: accounts ? yield* balanceProgram(accounts.spendable) : 0n };
  }
  const spendableLeftMicros = result.spendableAfterMicros;
  const usage = input.usage;
  yield* run(
    `INSERT INTO "UsageEvent" ("id", "orgId", "apiKeyId", "requestId", "modelSlug", "providerSlug", "endpoint", "inputTokens", "outputTokens", "costMicros", "latencyMs", "status", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [newRowId(), usage.orgId, usage.apiKeyId, usage.requestId, usage.modelSlug, usage.providerSlug, usage.endpoint, usage.inputTokens, usage.outputTokens, result.chargedMicros, usage.latencyMs, usage.status, input.now],
  );
  // One statement on both databases; concurrent settlements of the same day add up correctly.
  yield* run(
    `INSERT INTO "UsageDaily" ("id", "orgId", "day", "modelSlug", "providerSlug", "requests", "inputTokens", "outputTokens", "costMicros") VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
      ON CONFLICT ("orgId", "day", "modelSlug", "providerSlug") DO UPDATE SET
        "requests" = "UsageDaily"."requests" + 1,
        "inputTokens" = "UsageDaily"."inputTokens" + excluded."inputTokens",
        "outputTokens" = "UsageDaily"."outputTokens" + excluded."outputTokens",
        "costMicros" = "UsageDaily"."costMicros" + excluded."costMicros"`,
    [newRowId(), usage.orgId, input.now.toISOString().slice(0, 10), usage.modelSlug, usage.providerSlug, BigInt(usage.inputTokens), BigInt(usage.outputTokens), result.chargedMicros],
  );
  // A capped key reserved its worst case: give back the unused part. An uncapped key just adds the charge.
  const keyDeltaMicros = input.apiKey.spendCapMicros !== null ? -result.releasedMicros : result.chargedMicros;
  if (keyDeltaMicros !== 0n) yield* run(`UPDATE "ApiKey" SET "spentMicros" = "spentMicros" + ? WHERE "id" = ?`, [keyDeltaMicros, input.apiKey.id]);
  return { ...result, spendableLeftMicros };
}
