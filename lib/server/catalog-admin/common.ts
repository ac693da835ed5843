import "@/lib/server/server-only";
import type { DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { bumpCatalogVersion } from "@/lib/server/routing/catalog";
import { recordAudit } from "@/lib/server/services/audit";

// What every catalogue write shares: it runs in one transaction that records the audit entry and
// bumps the catalogue version, so every instance routes with the change from its next request.

export type CatalogActor = { actorUserId: string };

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export const providerNotFound = () => new ApiError(404, "provider_not_found", "No such provider.");
export const modelNotFound = () => new ApiError(404, "model_not_found", "No such model.");
export const routeNotFound = () => new ApiError(404, "route_not_found", "No such route.");

/** The audit entry and the version bump of one catalogue change, inside its transaction. */
export async function recordCatalogChange(
  tx: DbTx,
  actor: CatalogActor,
  entry: { action: string; targetType: "Provider" | "Model" | "ModelRoute"; targetId: string; detail: Record<string, unknown> },
): Promise<void> {
  await recordAudit(tx, { orgId: null, actorUserId: actor.actorUserId, actorKind: "user", ...entry });
  await bumpCatalogVersion(tx, actor.actorUserId);
}

/** Only the fields that differ, as { before, after } (an edit that changes nothing writes nothing). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const changed = (Object.keys(after) as (keyof T)[]).filter((key) => before[key] !== after[key]);
  if (changed.length === 0) return null;
  const pick = (source: T) => Object.fromEntries(changed.map((key) => [key, source[key]])) as Partial<T>;
  return { before: pick(before), after: pick(after) };
}
