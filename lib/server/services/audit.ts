import "@/lib/server/server-only";
import type { DbTx, Db } from "@/lib/server/db/client";

export type AuditInput = {
  orgId?: string | null;
  actorUserId?: string | null;
  actorKind: "user" | "api" | "system";
  /** The lender API token that acted (actorKind "api"): its name and its maker are on the token. */
  actorTokenId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  detail?: Record<string, unknown>;
};

/** Written inside the same transaction as the change it records. */
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
    },
  });
}
