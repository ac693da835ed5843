import "@/lib/server/server-only";
import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import { API_KEY_PREFIX, API_KEY_SECRET_LENGTH, API_KEY_VISIBLE_CHARS, generateApiKeySecret } from "@/lib/domain/api-keys";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";

// Lender API tokens: `lk-bl-` + 33 base62 characters (the same 192-bit encoding as routing-API
// keys, lib/domain/api-keys.ts). Shown once; stored as the SHA-256 hex of the whole token plus a
// visible prefix; revocable; org-scoped; lastUsedAt written at most once a minute.

export const LENDER_TOKEN_PREFIX = "lk-bl-";
const WELL_FORMED = new RegExp(`^${LENDER_TOKEN_PREFIX}[0-9A-Za-z]{${API_KEY_SECRET_LENGTH}}$`);
export const LAST_USED_RESOLUTION_MS = 60_000;

export type LenderApiTokenView = Omit<Awaited<ReturnType<Db["lenderApiToken"]["findUniqueOrThrow"]>>, "hash">;
const WITHOUT_HASH = { hash: true } as const;

export function hashLenderToken(plaintext: string): string {
  return createHash("sha256").update(plaintext, "utf8").digest("hex");
}

export function isWellFormedLenderToken(candidate: string): boolean {
  return WELL_FORMED.test(candidate);
}

export function generateLenderToken(randomBytes: (byteCount: number) => Uint8Array = cryptoRandomBytes): string {
  return LENDER_TOKEN_PREFIX + generateApiKeySecret(randomBytes).slice(API_KEY_PREFIX.length);
}

/** What may be shown again after creation, e.g. `lk-bl-Ab3xQ9`. */
export function lenderTokenPrefix(token: string): string {
  return token.slice(0, LENDER_TOKEN_PREFIX.length + API_KEY_VISIBLE_CHARS);
}

export async function createLenderApiToken(
  db: Db,
  input: { orgId: string; name: string; createdById: string },
  options: { randomBytes?: (byteCount: number) => Uint8Array } = {},
): Promise<{ token: LenderApiTokenView; plaintext: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64) throw new ApiError(400, "invalid_request", "name: give the token a name of 1 to 64 characters.", "name");
  const plaintext = generateLenderToken(options.randomBytes);
  const token = await db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: input.orgId }, select: { kind: true } });
    if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
    if (org.kind !== "LENDER") throw new ApiError(403, "forbidden", "Only lenders have lender API tokens.");
    const created = await tx.lenderApiToken.create({
      data: { orgId: input.orgId, name, prefix: lenderTokenPrefix(plaintext), hash: hashLenderToken(plaintext), createdById: input.createdById },
      omit: WITHOUT_HASH,
    });
    await recordAudit(tx, {
      orgId: input.orgId,
      actorUserId: input.createdById,
      actorKind: "user",
      action: "lenderApiToken.created",
      targetType: "LenderApiToken",
      targetId: created.id,
      detail: { name, prefix: created.prefix },
    });
    return created;
  });
  return { token, plaintext };
}

/** Revoking twice is a no-op; another organisation's token reads as not found. */
export async function revokeLenderApiToken(db: Db, input: { orgId: string; tokenId: string; actorUserId: string }, now = new Date()): Promise<LenderApiTokenView> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.lenderApiToken.updateMany({ where: { id: input.tokenId, orgId: input.orgId, revokedAt: null }, data: { revokedAt: now } });
    const token = await tx.lenderApiToken.findFirst({ where: { id: input.tokenId, orgId: input.orgId }, omit: WITHOUT_HASH });
    if (!token) throw new ApiError(404, "lender_api_token_not_found", "No such API token.");
    if (count === 1) {
      await recordAudit(tx, {
        orgId: input.orgId,
        actorUserId: input.actorUserId,
        actorKind: "user",
        action: "lenderApiToken.revoked",
        targetType: "LenderApiToken",
        targetId: token.id,
        detail: { name: token.name, prefix: token.prefix },
      });
    }
    return token;
  });
}

/** Newest first, revoked tokens included. */
export function listLenderApiTokens(db: Db, orgId: string): Promise<LenderApiTokenView[]> {
  return db.lenderApiToken.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], omit: WITHOUT_HASH });
}

function unauthenticated(message: string) {
  return new ApiError(401, "invalid_api_token", message);
}

/**
 * The `Authorization: Bearer lk-bl-…` header → the token's organisation, or ApiError 401. Strings
 * that cannot be tokens are refused without a database read; a live token costs one indexed read,
 * plus one conditional write at most once a minute for lastUsedAt.
 */
export async function authenticateLenderToken(db: Db, authorizationHeader: string | null | undefined, now = new Date()): Promise<{ orgId: string; tokenId: string }> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader ?? "");
  if (!match) throw unauthenticated("Send your lender API token as `Authorization: Bearer lk-bl-…`.");
  const plaintext = match[1];
  if (!isWellFormedLenderToken(plaintext)) throw unauthenticated("That is not a Blockable lender API token.");
  const row = await db.lenderApiToken.findUnique({
    where: { hash: hashLenderToken(plaintext) },
    select: { id: true, orgId: true, revokedAt: true, lastUsedAt: true, org: { select: { kind: true } } },
  });
  // One message for unknown, revoked and misplaced tokens: a caller learns nothing about which.
  if (!row || row.revokedAt !== null || row.org.kind !== "LENDER") throw unauthenticated("Invalid or revoked API token.");
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (row.lastUsedAt === null || row.lastUsedAt < staleBefore) {
    await db.lenderApiToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] }, data: { lastUsedAt: now } });
  }
  return { orgId: row.orgId, tokenId: row.id };
}
