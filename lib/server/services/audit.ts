import "@/lib/server/server-only";
import type { DbTx, Db } from "@/lib/server/db/client";
import { currentRequestId } from "@/lib/server/http/request-context";

export type AuditInput = {
  orgId?: string | null;
  actorUserId?: string | null;
  actorKind: "user" | "api" | "system";
  /** The lender API token that acted (actorKind "api"): its name and its maker are on the token. */
  actorTokenId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  /**
   * What happened, with its units in the keys (…Micros, …Bps). A change of settings names them as
   * `before` and `after` (`{ before: { aprBps: 1200 }, after: { aprBps: 1100 } }`), which the audit
   * page shows field by field.
   */
  detail?: Record<string, unknown>;
  /** The request that made the change; by default the current request's (server actions, routes). */
  requestId?: string | null;
};

/** Written inside the same transaction as the change it records, with the current request's id. */
export function recordAudit(tx: DbTx | Db, input: AuditInput) {
  return tx.auditLog.create({
    data: {
      orgId: input.orgId ?? null,
      actorUserId: input.actorUserId ?? null,
      actorKind: input.actorKind,
      actorTokenId: input.actorTokenId ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      detailJson: JSON.stringify(input.detail ?? {}, (_key, value) => (typeof value === "bigint" ? value.toString() : value)),
      requestId: input.requestId === undefined ? currentRequestId() : input.requestId,
    },
  });
}
