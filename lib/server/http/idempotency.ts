import "@/lib/server/server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "./errors";

// Stripe-style idempotency for POST requests of the lender API. The first request with a key
// inserts a placeholder row (responseStatus 0) — the @@unique([orgId, key]) lets exactly one of
// several concurrent duplicates in — runs, then stores its response in that row. Later requests
// with the key:
// - same request (same requestHash)  → the stored status and body, replayed byte for byte;
// - another request                  → 422 idempotency_key_reused;
// - while the first one still runs   → 409 idempotency_key_in_use (retry later).
// If `run` throws, or answers 5xx, the row is deleted so that a retry runs again. Keys live
// KEY_TTL_MS; a placeholder whose owner vanished (a crash) is taken over after IN_FLIGHT_TTL_MS.

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const KEY_TTL_MS = 24 * 60 * 60_000;
export const IN_FLIGHT_TTL_MS = 5 * 60_000;
const IN_FLIGHT_STATUS = 0;
const OWNER_PREFIX = "in-flight:";

export type IdempotentResponse = { status: number; body: string };
export type IdempotentResult = IdempotentResponse & { isReplay: boolean };

/** sha256 hex of method, path and raw body: what "the same request" means. */
export function idempotencyRequestHash(method: string, path: string, rawBody: string): string {
  return createHash("sha256").update(`${method.toUpperCase()} ${path}\n${rawBody}`, "utf8").digest("hex");
}

export async function withIdempotency(
  db: Db,
  input: { orgId: string; key: string | null | undefined; requestHash: string; now?: Date },
  run: () => Promise<IdempotentResponse>,
): Promise<IdempotentResult> {
  if (input.key === null || input.key === undefined) return { ...(await run()), isReplay: false };
  const key = input.key;
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ApiError(400, "invalid_idempotency_key", `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces.`, "Idempotency-Key");
  }
  const now = input.now ?? new Date();
  const owner = OWNER_PREFIX + randomUUID();
  const recordId = await acquire(db, { orgId: input.orgId, key, requestHash: input.requestHash, now, owner });
  if (typeof recordId !== "string") return recordId;

  let response: IdempotentResponse;
  try {
    response = await run();
  } catch (error) {
    await db.idempotencyRecord.deleteMany({ where: { id: recordId, responseBody: owner } });
    throw error;
  }
  if (response.status >= 500) {
    await db.idempotencyRecord.deleteMany({ where: { id: recordId, responseBody: owner } });
  } else {
    await db.idempotencyRecord.updateMany({ where: { id: recordId, responseBody: owner }, data: { responseStatus: response.status, responseBody: response.body } });
  }
  return { ...response, isReplay: false };
}

/** The id of our placeholder row, or the stored response to replay; throws 409/422. */
async function acquire(db: Db, input: { orgId: string; key: string; requestHash: string; now: Date; owner: string }): Promise<string | IdempotentResult> {
  const where = { orgId_key: { orgId: input.orgId, key: input.key } };
  // A few rounds at most: each one either inserts, replays, refuses, or clears a dead row and retries.
  for (let round = 0; round < 3; round++) {
    try {
      const created = await db.idempotencyRecord.create({
        data: { orgId: input.orgId, key: input.key, requestHash: input.requestHash, responseStatus: IN_FLIGHT_STATUS, responseBody: input.owner, createdAt: input.now },
        select: { id: true },
      });
      return created.id;
    } catch (insertError) {
      const existing = await db.idempotencyRecord.findUnique({ where });
      if (!existing) {
        if (round === 2) throw insertError;
        continue; // deleted between our insert and our read (a failed run); try again
      }
      if (existing.createdAt.getTime() < input.now.getTime() - KEY_TTL_MS) {
        await db.idempotencyRecord.deleteMany({ where: { id: existing.id, createdAt: existing.createdAt } });
        continue;
      }
      if (existing.requestHash !== input.requestHash) {
        throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was already used with a different request; use a new key for a new request.", "Idempotency-Key");
      }
      if (existing.responseStatus !== IN_FLIGHT_STATUS) return { status: existing.responseStatus, body: existing.responseBody, isReplay: true };
      if (existing.createdAt.getTime() < input.now.getTime() - IN_FLIGHT_TTL_MS) {
        const { count } = await db.idempotencyRecord.updateMany({
          where: { id: existing.id, responseStatus: IN_FLIGHT_STATUS, responseBody: existing.responseBody },
          data: { responseBody: input.owner, createdAt: input.now },
        });
        if (count === 1) return existing.id;
      }
      throw new ApiError(409, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry in a moment.", "Idempotency-Key");
    }
  }
  throw new ApiError(409, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry in a moment.", "Idempotency-Key");
}
