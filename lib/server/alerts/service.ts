import "@/lib/server/server-only";
import { ALERT_KINDS, type AlertKind } from "@/lib/domain/alerts";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";

// A lender's alerts in the app (DESIGN.md, "Alerts"): listed and acknowledged by the lender only.
// Every query puts the lender's organisation in the `where`: another lender's alert reads as
// "not found", never as "forbidden".

export const ALERT_LIST_STATES = ["OPEN", "ACKNOWLEDGED", "RESOLVED"] as const;
export type AlertListState = (typeof ALERT_LIST_STATES)[number];

export type LenderAlert = {
  id: string;
  loanId: string;
  loanReference: string;
  startupName: string;
  kind: string;
  severity: string;
  state: string;
  message: string;
  /** Coverage when the alert opened, in bps; null when the alert carries none (or debt was 0). */
  coverageBps: number | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
};

/** The `include` that reads an alert with what `toLenderAlert` needs of its loan. */
export const alertWithLoan = { loan: { select: { reference: true, startup: { select: { name: true } } } } } as const;

type AlertWithLoan = Awaited<ReturnType<Db["alert"]["findFirstOrThrow"]>> & { loan: { reference: string; startup: { name: string } } };

/** An alert row read with `alertWithLoan`, as the lender sees it. */
export function toLenderAlert(row: AlertWithLoan): LenderAlert {
  return {
    id: row.id,
    loanId: row.loanId,
    loanReference: row.loan.reference,
    startupName: row.loan.startup.name,
    kind: row.kind,
    severity: row.severity,
    state: row.state,
    message: row.message,
    coverageBps: row.coverageBps,
    openedAt: row.openedAt,
    acknowledgedAt: row.acknowledgedAt,
    resolvedAt: row.resolvedAt,
  };
}

function alertNotFound(alertId: string): ApiError {
  return new ApiError(404, "alert_not_found", `No alert ${alertId} here.`, "alertId");
}

/**
 * The lender's alerts, newest first. `states` defaults to the unresolved ones (OPEN, ACKNOWLEDGED);
 * filter by loan and kind; at most `limit` (1–500).
 */
export async function listAlertsForLender(
  db: Db,
  lenderOrgId: string,
  input: { states?: readonly AlertListState[]; loanId?: string; kinds?: readonly AlertKind[]; limit?: number } = {},
): Promise<LenderAlert[]> {
  const states = input.states ?? ["OPEN", "ACKNOWLEDGED"];
  if (states.some((state) => !(ALERT_LIST_STATES as readonly string[]).includes(state))) throw new ApiError(400, "invalid_request", `states must be among ${ALERT_LIST_STATES.join(", ")}.`, "states");
  if (input.kinds?.some((kind) => !(ALERT_KINDS as readonly string[]).includes(kind))) throw new ApiError(400, "invalid_request", `kinds must be among ${ALERT_KINDS.join(", ")}.`, "kinds");
  const limit = input.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) throw new ApiError(400, "invalid_request", "limit must be a whole number from 1 to 500.", "limit");
  const rows = await db.alert.findMany({
    where: { lenderOrgId, state: { in: [...states] }, ...(input.loanId ? { loanId: input.loanId } : {}), ...(input.kinds ? { kind: { in: [...input.kinds] } } : {}) },
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    take: limit,
    include: alertWithLoan,
  });
  return rows.map(toLenderAlert);
}

/** Unresolved alerts per severity, for a badge. */
export async function countOpenAlertsForLender(db: Db, lenderOrgId: string): Promise<{ critical: number; warning: number; info: number; total: number }> {
  const groups = await db.alert.groupBy({ by: ["severity"], where: { lenderOrgId, state: { in: ["OPEN", "ACKNOWLEDGED"] } }, _count: { _all: true } });
  const counts = { critical: 0, warning: 0, info: 0, total: 0 };
  for (const group of groups) {
    if (group.severity === "critical" || group.severity === "warning" || group.severity === "info") counts[group.severity] = group._count._all;
    counts.total += group._count._all;
  }
  return counts;
}

/** The most alerts one acknowledgement takes: a page of the inbox. */
export const MAX_ACKNOWLEDGE_BATCH = 100;

/**
 * The lender acknowledges an OPEN alert: ACKNOWLEDGED, by whom and when, audited and sent to its
 * webhooks (`alert.acknowledged`). It stays the loan's unresolved alert of its kind (no duplicate
 * opens) until the condition clears. Acknowledging again changes nothing; a resolved alert cannot
 * be acknowledged (409); another lender's alert is not found (404).
 */
export async function acknowledgeAlert(
  db: Db,
  input: { alertId: string; lenderOrgId: string; userId: string | null; actorKind?: "user" | "api"; now?: Date },
): Promise<{ alert: LenderAlert; isChanged: boolean }> {
  const { alerts, changedIds } = await acknowledgeAlerts(db, { ...input, alertIds: [input.alertId] });
  return { alert: alerts[0], isChanged: changedIds.length === 1 };
}

/**
 * The lender acknowledges several alerts at once, all or nothing, in one transaction: if any id is
 * not one of the lender's alerts (unknown, or another lender's: 404) or has resolved since it was
 * listed (409), nothing is acknowledged. Each alert that was OPEN becomes ACKNOWLEDGED, audited and
 * sent to the lender's webhooks; one already acknowledged is left as it was (a double click
 * changes nothing). Returns the alerts in the order asked, and the ids this call changed.
 */
export async function acknowledgeAlerts(
  db: Db,
  input: { alertIds: readonly string[]; lenderOrgId: string; userId: string | null; actorKind?: "user" | "api"; now?: Date },
): Promise<{ alerts: LenderAlert[]; changedIds: string[] }> {
  const alertIds = [...new Set(input.alertIds)];
  if (alertIds.length === 0) throw new ApiError(400, "invalid_request", "Pick at least one alert.", "alertIds");
  if (alertIds.length > MAX_ACKNOWLEDGE_BATCH) throw new ApiError(400, "invalid_request", `At most ${MAX_ACKNOWLEDGE_BATCH} alerts at a time.`, "alertIds");
  for (const alertId of alertIds) {
    if (typeof alertId !== "string" || alertId.length === 0 || alertId.length > 64) throw alertNotFound(String(alertId));
  }
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    // One conditional write per alert, in id order (two overlapping batches lock rows in the same
    // order, so they cannot deadlock on PostgreSQL): the write changes only the lender's OPEN
    // alerts, and its count says whether this call acknowledged it or found it already done.
    const changedIds = new Set<string>();
    for (const alertId of [...alertIds].sort()) {
      const changed = await tx.alert.updateMany({
        where: { id: alertId, lenderOrgId: input.lenderOrgId, state: "OPEN" },
        data: { state: "ACKNOWLEDGED", acknowledgedAt: now, acknowledgedById: input.userId },
      });
      if (changed.count === 1) changedIds.add(alertId);
    }
    // Then every id must be the lender's and unresolved; otherwise the throw rolls the batch back.
    const rows = await tx.alert.findMany({ where: { id: { in: alertIds }, lenderOrgId: input.lenderOrgId }, include: alertWithLoan });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const missing = alertIds.find((alertId) => !byId.has(alertId));
    if (missing !== undefined) throw alertNotFound(missing);
    const resolved = alertIds.map((alertId) => byId.get(alertId)!).find((row) => row.state === "RESOLVED");
    if (resolved) {
      const when = resolved.resolvedAt?.toISOString() ?? "an earlier moment";
      const rest = alertIds.length > 1 ? "; no alert was acknowledged" : "";
      throw new ApiError(409, "alert_resolved", `Alert ${resolved.id} (${resolved.loan.reference}) was resolved at ${when}; there is nothing to acknowledge${rest}.`, alertIds.length > 1 ? "alertIds" : null);
    }
    const alerts = alertIds.map((alertId) => toLenderAlert(byId.get(alertId)!));
    for (const alert of alerts) {
      if (!changedIds.has(alert.id)) continue;
      await recordAudit(tx, {
        orgId: input.lenderOrgId,
        actorUserId: input.userId,
        actorKind: input.actorKind ?? "user",
        action: "alert.acknowledge",
        targetType: "Alert",
        targetId: alert.id,
        detail: { loanId: alert.loanId, kind: alert.kind, before: { state: "OPEN" }, after: { state: "ACKNOWLEDGED" } },
      });
      await enqueueWebhookEvent(
        tx,
        { orgId: input.lenderOrgId, type: "alert.acknowledged", data: { alertId: alert.id, loanId: alert.loanId, reference: alert.loanReference, kind: alert.kind, acknowledgedById: input.userId } },
        { now },
      );
    }
    return { alerts, changedIds: alertIds.filter((alertId) => changedIds.has(alertId)) };
  });
}

/** An alert's dates on the wire: ISO 8601, null for what has not happened yet. */
export function alertDatesOnWire(alert: { openedAt: Date; acknowledgedAt: Date | null; resolvedAt: Date | null }) {
  return {
    openedAt: alert.openedAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
  };
}

/** An alert on the wire: dates as ISO 8601. */
export function serializeLenderAlert(alert: LenderAlert) {
  return { ...alert, ...alertDatesOnWire(alert) };
}
