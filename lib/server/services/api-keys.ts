import "@/lib/server/server-only";
import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import { API_KEY_HASH_ALGORITHM, apiKeyPrefix, generateApiKeySecret, isWellFormedApiKey } from "@/lib/domain/api-keys";
import type { Db } from "@/lib/server/db/client";
import { big, bigOrNull, date, dateOrNull, get, numOrNull, run, runReadProgram, type SqlProgram } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "./audit";

/** An ApiKey row without its hash: what every function here hands out. */
export type ApiKeyView = Omit<Awaited<ReturnType<Db["apiKey"]["findUniqueOrThrow"]>>, "hash">;

const WITHOUT_HASH = { hash: true } as const;

/** lastUsedAt is for humans ("used 3 minutes ago"); writing it at most once a minute keeps auth one read. */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_RPM_LIMIT = 100_000;

export function hashApiKey(plaintext: string): string {
  return createHash(API_KEY_HASH_ALGORITHM).update(plaintext, "utf8").digest("hex");
}

export async function createApiKey(
  db: Db,
  input: { orgId: string; createdById: string; name: string; spendCapMicros?: bigint | null; rpmLimit?: number | null },
  options: { randomBytes?: (byteCount: number) => Uint8Array } = {},
): Promise<{ apiKey: ApiKeyView; plaintext: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64) throw new ApiError(400, "invalid_request", "name: give the key a name of 1 to 64 characters.", "name");
  // A cap of $0 would make a key that can never be used: no cap is null, not 0.
  if (input.spendCapMicros != null && input.spendCapMicros <= 0n) throw new ApiError(400, "invalid_request", "spendCapMicros: a spend cap must be above $0 (no cap: leave it out).", "spendCapMicros");
  if (input.rpmLimit != null && (!Number.isSafeInteger(input.rpmLimit) || input.rpmLimit < 1 || input.rpmLimit > MAX_RPM_LIMIT)) {
    throw new ApiError(400, "invalid_request", `rpmLimit: must be a whole number from 1 to ${MAX_RPM_LIMIT.toLocaleString("en-US")}.`, "rpmLimit");
  }
  const plaintext = generateApiKeySecret(options.randomBytes ?? cryptoRandomBytes);
  const apiKey = await db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: input.orgId }, select: { kind: true } });
    if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
    if (org.kind !== "STARTUP") throw new ApiError(403, "forbidden", "Only startups have API keys.");
    const created = await tx.apiKey.create({
      data: {
        orgId: input.orgId,
        name,
        prefix: apiKeyPrefix(plaintext),
        hash: hashApiKey(plaintext),
        spendCapMicros: input.spendCapMicros ?? null,
        rpmLimit: input.rpmLimit ?? null,
        createdById: input.createdById,
      },
      omit: WITHOUT_HASH,
    });
    await recordAudit(tx, {
      orgId: input.orgId,
      actorUserId: input.createdById,
      actorKind: "user",
      action: "apiKey.created",
      targetType: "ApiKey",
      targetId: created.id,
      detail: { name, prefix: created.prefix, spendCapMicros: created.spendCapMicros, rpmLimit: created.rpmLimit },
    });
    return created;
  });
  return { apiKey, plaintext };
}

/** Revoking twice is a no-op; a key of another organisation reads as not found. */
export async function revokeApiKey(db: Db, input: { orgId: string; apiKeyId: string; actorUserId: string }, now = new Date()): Promise<ApiKeyView> {
  return db.$transaction(async (tx) => {
    // The revokedAt: null condition makes exactly one concurrent revoke win and write the audit row.
    const { count } = await tx.apiKey.updateMany({ where: { id: input.apiKeyId, orgId: input.orgId, revokedAt: null }, data: { revokedAt: now } });
    const apiKey = await tx.apiKey.findFirst({ where: { id: input.apiKeyId, orgId: input.orgId }, omit: WITHOUT_HASH });
    if (!apiKey) throw new ApiError(404, "api_key_not_found", "No such API key.");
    if (count === 1) {
      await recordAudit(tx, {
        orgId: input.orgId,
        actorUserId: input.actorUserId,
        actorKind: "user",
        action: "apiKey.revoked",
        targetType: "ApiKey",
        targetId: apiKey.id,
        detail: { name: apiKey.name, prefix: apiKey.prefix, before: { revokedAt: null }, after: { revokedAt: apiKey.revokedAt } },
      });
    }
    return apiKey;
  });
}

/** Newest first, revoked keys included (the screen shows them as revoked). */
export function listApiKeys(db: Db, orgId: string): Promise<ApiKeyView[]> {
  return db.apiKey.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], omit: WITHOUT_HASH });
}

/**
 * The routing API's first step on every request: one indexed read by hash (a SQL program, so it
 * costs microseconds on SQLite), and at most one conditional write a minute for the last-used time.
 * Nothing is cached, so a revoked key fails on its very next request on every instance. Strings
 * that cannot be keys are refused without touching the database.
 */
export function authenticateApiKey(db: Db, plaintext: string, now: Date): Promise<{ apiKey: ApiKeyView; orgId: string } | null> {
  if (!isWellFormedApiKey(plaintext)) return Promise.resolve(null);
  return runReadProgram(db, authenticateApiKeyProgram(hashApiKey(plaintext), now));
}

function* authenticateApiKeyProgram(hash: string, now: Date): SqlProgram<{ apiKey: ApiKeyView; orgId: string } | null> {
  const row = yield* get(
    `SELECT k."id", k."orgId", k."name", k."prefix", k."spendCapMicros", k."spentMicros", k."rpmLimit", k."createdById", k."createdAt", k."lastUsedAt", k."revokedAt", o."kind"
       FROM "ApiKey" k JOIN "Organization" o ON o."id" = k."orgId" WHERE k."hash" = ?`,
    [hash],
  );
  if (!row || row.revokedAt !== null || row.kind !== "STARTUP") return null;
  const apiKey: ApiKeyView = {
    id: String(row.id),
    orgId: String(row.orgId),
    name: String(row.name),
    prefix: String(row.prefix),
    spendCapMicros: bigOrNull(row.spendCapMicros),
    spentMicros: big(row.spentMicros),
    rpmLimit: numOrNull(row.rpmLimit),
    createdById: (row.createdById as string | null) ?? null,
    createdAt: date(row.createdAt),
    lastUsedAt: dateOrNull(row.lastUsedAt),
    revokedAt: null,
  };
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (apiKey.lastUsedAt === null || apiKey.lastUsedAt < staleBefore) {
    // Conditional so that a burst of concurrent requests on a stale key writes once, not N times.
    yield* run(`UPDATE "ApiKey" SET "lastUsedAt" = ? WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`, [now, apiKey.id, staleBefore]);
    apiKey.lastUsedAt = now;
  }
  return { apiKey, orgId: apiKey.orgId };
}
