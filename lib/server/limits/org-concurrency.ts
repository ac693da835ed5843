import "@/lib/server/server-only";
import { MAX_ORG_CONCURRENCY } from "@/lib/domain/limits/config";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";

/** An organisation's own limit on routed requests in flight at once; null: the platform default. */
export async function findOrgConcurrencyLimit(db: Db, orgId: string): Promise<number | null> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { maxConcurrentRequests: true } });
  return org?.maxConcurrentRequests ?? null;
}

/**
 * Sets (or, with null, clears back to the platform default) how many routed requests an
 * organisation may have in flight at once, across every instance. Takes effect on its next request
 * (the database stores read it in the admission statement; Redis caches it for up to 5 s).
 */
export async function setOrgConcurrencyLimit(db: Db, input: { actorUserId: string; orgId: string; maxConcurrentRequests: number | null }) {
  const limit = input.maxConcurrentRequests;
  if (limit !== null && (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_ORG_CONCURRENCY)) {
    throw new ApiError(400, "invalid_request", `maxConcurrentRequests: must be a whole number from 1 to ${MAX_ORG_CONCURRENCY.toLocaleString("en-US")}, or blank for the default.`, "maxConcurrentRequests");
  }
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: input.orgId }, select: { id: true, name: true, maxConcurrentRequests: true } });
    if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
    if (org.maxConcurrentRequests === limit) return org;
    const updated = await tx.organization.update({ where: { id: org.id }, data: { maxConcurrentRequests: limit }, select: { id: true, name: true, maxConcurrentRequests: true } });
    await recordAudit(tx, {
      orgId: org.id,
      actorUserId: input.actorUserId,
      actorKind: "user",
      action: "org.concurrency_limit.update",
      targetType: "Organization",
      targetId: org.id,
      detail: { before: { maxConcurrentRequests: org.maxConcurrentRequests }, after: { maxConcurrentRequests: limit } },
    });
    return updated;
  });
}
