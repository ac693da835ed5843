import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/server/db/client";
import { LedgerError } from "@/lib/server/ledger/errors";
import { reserveHold, resolveHoldInTx, type SettleResult } from "@/lib/server/ledger/ledger";

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

export async function reserveForRequest(db: Db, input: ReserveForRequestInput) {
  if (input.apiKey.spendCapMicros !== null) {
    // The key's cap is reserved like credits: worst case now, the unused part given back at settle.
    const reserved = await db.$executeRaw`UPDATE "ApiKey" SET "spentMicros" = "spentMicros" + ${input.worstCaseMicros} WHERE "id" = ${input.apiKey.id} AND "spentMicros" + ${input.worstCaseMicros} <= ${input.apiKey.spendCapMicros}`;
    if (reserved !== 1) throw new LedgerError("SPEND_CAP_EXCEEDED", `This API key's spend cap would be exceeded by this request's worst case of ${input.worstCaseMicros} µUSD.`);
  }
  try {
    return await reserveHold(db, {
      orgId: input.orgId,
      requestId: input.requestId,
      amountMicros: input.worstCaseMicros,
      apiKeyId: input.apiKey.id,
      modelSlug: input.modelSlug,
      now: input.now,
      ttlMs: input.holdTtlMs,
    });
  } catch (error) {
    if (input.apiKey.spendCapMicros !== null) {
      await db.$executeRaw`UPDATE "ApiKey" SET "spentMicros" = "spentMicros" - ${input.worstCaseMicros} WHERE "id" = ${input.apiKey.id}`;
    }
    throw error;
  }
}

export type UsageRecord = {
  orgId: string;
  apiKeyId: string;
  requestId: string;
  modelSlug: string;
  providerSlug: string;
  endpoint: "chat.completions" | "embeddings";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  status: "ok" | "error" | "aborted" | "frozen";
};

export async function settleRequest(
  db: Db,
  input: { holdId: string; actualMicros: bigint; now: Date; apiKey: MeteredKey; usage: UsageRecord },
): Promise<SettleResult> {
  return db.$transaction(async (tx) => {
    const result = await resolveHoldInTx(tx, input.holdId, input.actualMicros, input.now, input.actualMicros > 0n ? "SETTLED" : "VOIDED");
    if (result.alreadyResolved) return result;
    const day = input.now.toISOString().slice(0, 10);
    const usage = input.usage;
    await tx.usageEvent.create({
      data: {
        orgId: usage.orgId,
        apiKeyId: usage.apiKeyId,
        requestId: usage.requestId,
        modelSlug: usage.modelSlug,
        providerSlug: usage.providerSlug,
        endpoint: usage.endpoint,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicros: result.chargedMicros,
        latencyMs: usage.latencyMs,
        status: usage.status,
        createdAt: input.now,
      },
    });
    // One statement on both databases; concurrent settlements of the same day add up correctly.
    await tx.$executeRaw`INSERT INTO "UsageDaily" ("id", "orgId", "day", "modelSlug", "providerSlug", "requests", "inputTokens", "outputTokens", "costMicros")
      VALUES (${randomUUID()}, ${usage.orgId}, ${day}, ${usage.modelSlug}, ${usage.providerSlug}, 1, ${BigInt(usage.inputTokens)}, ${BigInt(usage.outputTokens)}, ${result.chargedMicros})
      ON CONFLICT ("orgId", "day", "modelSlug", "providerSlug") DO UPDATE SET
        "requests" = "UsageDaily"."requests" + 1,
        "inputTokens" = "UsageDaily"."inputTokens" + excluded."inputTokens",
        "outputTokens" = "UsageDaily"."outputTokens" + excluded."outputTokens",
        "costMicros" = "UsageDaily"."costMicros" + excluded."costMicros"`;
    const keyDelta = input.apiKey.spendCapMicros !== null ? -result.releasedMicros : result.chargedMicros;
    if (keyDelta !== 0n) await tx.$executeRaw`UPDATE "ApiKey" SET "spentMicros" = "spentMicros" + ${keyDelta} WHERE "id" = ${input.apiKey.id}`;
    return result;
  });
}
