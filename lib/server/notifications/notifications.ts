import "@/lib/server/server-only";
import { freezeNotice, marginCallNotice, type NotificationDraft } from "@/lib/domain/startup/notifications";
import type { Db, DbTx } from "@/lib/server/db/client";

// The startup's in-app notifications (the bell in its shell). Written inside the transaction of
// the change they announce, so a notification exists exactly when the change committed; read and
// marked read only within the caller's organisation.

export type NotificationRow = Awaited<ReturnType<Db["notification"]["findFirstOrThrow"]>>;

/** createdAt is the clock's time, not a valuation instant: the bell orders by when the startup was told. */
export async function writeNotification(tx: DbTx | Db, input: NotificationDraft & { orgId: string; loanId?: string | null }): Promise<void> {
  await tx.notification.create({
    data: { orgId: input.orgId, kind: input.kind, severity: input.severity, title: input.title.slice(0, 200), body: input.body.slice(0, 1_000), loanId: input.loanId ?? null, createdAt: new Date() },
  });
}

type LoanHead = { id: string; reference: string; startupOrgId: string; state: string; marginCallAt: Date | null; cureDeadline: Date | null };

/** After a loan's state change (lib/server/loans/transition.ts): a margin call opened or cured tells the startup. */
export async function notifyLoanTransition(tx: DbTx, input: { before: Pick<LoanHead, "marginCallAt">; after: LoanHead }): Promise<void> {
  const draft = marginCallNotice({ reference: input.after.reference, before: input.before, after: input.after });
  if (draft) await writeNotification(tx, { ...draft, orgId: input.after.startupOrgId, loanId: input.after.id });
}

/** After a freeze or unfreeze (lib/server/collateral/freeze.ts): the amount and the lender's reason. */
export async function notifyFreeze(
  tx: DbTx,
  input: { loan: Pick<LoanHead, "id" | "reference" | "startupOrgId">; action: "FREEZE" | "UNFREEZE"; amountMicros: bigint; frozenAfterMicros: bigint; reason: string; isAuto: boolean },
): Promise<void> {
  const draft = freezeNotice({ reference: input.loan.reference, action: input.action, amountMicros: input.amountMicros, frozenAfterMicros: input.frozenAfterMicros, reason: input.reason, isAuto: input.isAuto });
  await writeNotification(tx, { ...draft, orgId: input.loan.startupOrgId, loanId: input.loan.id });
}

export const NOTIFICATION_LIST_LIMIT = 20;

export type NotificationDto = { id: string; kind: string; severity: string; title: string; body: string; loanId: string | null; createdAt: string; readAt: string | null };
export type NotificationFeedDto = { unread: number; items: NotificationDto[] };

export function serializeNotification(row: NotificationRow): NotificationDto {
  return { id: row.id, kind: row.kind, severity: row.severity, title: row.title, body: row.body, loanId: row.loanId, createdAt: row.createdAt.toISOString(), readAt: row.readAt?.toISOString() ?? null };
}

/** The organisation's latest notifications (newest first) and how many are unread. */
export async function listNotifications(db: Db, orgId: string, limit = NOTIFICATION_LIST_LIMIT): Promise<NotificationFeedDto> {
  const [rows, unread] = await Promise.all([
    db.notification.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: Math.max(1, Math.min(limit, 100)) }),
    db.notification.count({ where: { orgId, readAt: null } }),
  ]);
  return { unread, items: rows.map(serializeNotification) };
}

/** Marks the organisation's unread notifications read (all, or the given ids); another org's ids change nothing. Returns how many changed. */
export async function markNotificationsRead(db: Db, input: { orgId: string; ids?: readonly string[]; now: Date }): Promise<number> {
  const result = await db.notification.updateMany({
    where: { orgId: input.orgId, readAt: null, ...(input.ids ? { id: { in: [...input.ids] } } : {}) },
    data: { readAt: input.now },
  });
  return result.count;
}
