import "@/lib/server/server-only";
import {
  alertMessage,
  coverageAlertLevels,
  DEFAULT_EARLY_WARNING_BPS,
  evaluateBurnAbovePlan,
  evaluateCoverageAlerts,
  formatUtcMinute,
  isAlertKind,
  marginCallDecision,
  parseEarlyWarningBps,
  type AlertKind,
  type CoverageThresholds,
} from "@/lib/domain/alerts";
import { formatBps } from "@/lib/domain/money";
import { overdueInstallments } from "@/lib/domain/loans/schedule";
import { DAY_MS, dayNumber, sevenDayBurnMicrosPerDay, utcDay } from "@/lib/domain/valuation";
import type { Db, DbTx } from "@/lib/server/db/client";
import type { LoanRow } from "@/lib/server/loans/transition";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import { openLoanAlert, resolveLoanAlert, type UnresolvedAlert } from "./rows";

// The alert rules of lib/domain/alerts applied to one loan inside the caller's transaction (the
// loan's row is locked by it): each function reads what it needs, asks the pure rule, and opens or
// resolves rows (with their webhooks). Used by every coverage recompute and the monitor.

export type AlertOutcome = { opened: AlertKind[]; resolved: AlertKind[] };

/** Loan.earlyWarningBps as numbers; a malformed stored value falls back to the defaults (and says so) rather than silencing every alert. */
export function earlyWarningLevels(loan: Pick<LoanRow, "id" | "earlyWarningBps">): number[] {
  try {
    return parseEarlyWarningBps(loan.earlyWarningBps);
  } catch (error) {
    console.error(`loan ${loan.id}: ${(error as Error).message} Using the default early-warning levels.`);
    return [...DEFAULT_EARLY_WARNING_BPS];
  }
}

export function coverageThresholds(loan: LoanRow): CoverageThresholds {
  return { earlyWarningBps: earlyWarningLevels(loan), maintenanceBps: loan.maintenanceCoverageBps, liquidationBps: loan.liquidationCoverageBps };
}

async function apply(
  tx: DbTx,
  loan: LoanRow,
  unresolved: UnresolvedAlert[],
  changes: { open: { kind: AlertKind; message: string }[]; resolve: AlertKind[] },
  coverageBps: number | null,
  now: Date,
  outcome: AlertOutcome,
) {
  for (const kind of changes.resolve) {
    for (const alert of unresolved.filter((row) => row.kind === kind)) {
      await resolveLoanAlert(tx, { loan, alert, coverageBps, now });
      outcome.resolved.push(kind);
    }
  }
  for (const { kind, message } of changes.open) {
    await openLoanAlert(tx, { loan, kind, message, coverageBps, now });
    outcome.opened.push(kind);
  }
}

/**
 * Early warnings, MARGIN_CALL and LIQUIDATION_ZONE from the latest coverage, with the 5-point
 * hysteresis of evaluateCoverageAlerts. The MARGIN_CALL alert follows the margin call itself: it
 * opens only while the loan is in MARGIN_CALL (it carries the cure deadline), and resolves with
 * the same rule that lifts the margin call (coverage ≥ maintenance + 5 points).
 */
export async function applyCoverageAlerts(tx: DbTx, input: { loan: LoanRow; unresolved: UnresolvedAlert[]; coverageBps: number | null; now: Date; outcome: AlertOutcome }) {
  const { loan, coverageBps } = input;
  const thresholds = coverageThresholds(loan);
  const openKinds = input.unresolved.map((alert) => alert.kind).filter(isAlertKind);
  const changes = evaluateCoverageAlerts({ coverageBps, thresholds, openKinds });
  const levels = new Map(coverageAlertLevels(thresholds).map((level) => [level.kind as AlertKind, level.thresholdBps]));
  const open: { kind: AlertKind; message: string }[] = [];
  for (const kind of changes.open) {
    const thresholdBps = levels.get(kind)!;
    if (kind === "MARGIN_CALL") {
      if (loan.state !== "MARGIN_CALL" || !loan.cureDeadline) continue;
      open.push({ kind, message: alertMessage({ kind, thresholdBps, coverageBps, cureDeadline: loan.cureDeadline }) });
    } else if (kind === "LIQUIDATION_ZONE") {
      open.push({ kind, message: alertMessage({ kind, thresholdBps, coverageBps, autoFreeze: loan.autoFreeze }) });
    } else if (kind === "EARLY_WARNING_1" || kind === "EARLY_WARNING_2") {
      open.push({ kind, message: alertMessage({ kind, thresholdBps, coverageBps }) });
    }
  }
  await apply(tx, loan, input.unresolved, { open, resolve: changes.resolve }, coverageBps, input.now, input.outcome);
}

/**
 * PAYMENT_OVERDUE while any installment is unpaid past its grace period, by the same rule that
 * makes the loan DELINQUENT (lib/domain/loans/schedule `overdueInstallments`, whole UTC days, the
 * debt known), so the alert and the state never disagree; resolved once none is.
 */
export async function applyPaymentOverdueAlert(tx: DbTx, input: { loan: LoanRow; unresolved: UnresolvedAlert[]; debtMicros: bigint; coverageBps: number | null; now: Date; outcome: AlertOutcome }) {
  const { loan, now } = input;
  const installments = await tx.installment.findMany({ where: { loanId: loan.id }, select: { seq: true, dueDate: true, amountMicros: true, paidMicros: true } });
  const overdue = overdueInstallments(installments, now, loan.gracePeriodDays, { debtMicros: input.debtMicros });
  const isOpen = input.unresolved.some((alert) => alert.kind === "PAYMENT_OVERDUE");
  const bySeq = new Map(installments.map((row) => [row.seq, row]));
  const open =
    overdue.length > 0 && !isOpen
      ? [
          {
            kind: "PAYMENT_OVERDUE" as const,
            message: alertMessage({
              kind: "PAYMENT_OVERDUE",
              gracePeriodDays: loan.gracePeriodDays,
              overdue: overdue.map((o) => ({ ...o, amountMicros: bySeq.get(o.seq)!.amountMicros, paidMicros: bySeq.get(o.seq)!.paidMicros })),
            }),
          },
        ]
      : [];
  await apply(tx, loan, input.unresolved, { open, resolve: overdue.length === 0 && isOpen ? ["PAYMENT_OVERDUE"] : [] }, input.coverageBps, now, input.outcome);
  return overdue;
}

/**
 * The borrower's daily spend over the (up to) 7 complete UTC days before `now`'s day, oldest first,
 * days without spend as 0, from the UsageDaily rollups; days before `since` (the loan's
 * activation) are left out, so a young loan averages only the days it has.
 */
export async function recentDailySpendMicros(db: Db | DbTx, input: { orgId: string; now: Date; days?: number; since?: Date | null }): Promise<bigint[]> {
  const today = dayNumber(utcDay(input.now));
  const days = input.days ?? 7;
  const firstDay = Math.max(today - days, input.since ? dayNumber(utcDay(input.since)) : -Infinity);
  if (firstDay >= today) return [];
  const from = utcDay(firstDay * DAY_MS);
  const to = utcDay((today - 1) * DAY_MS);
  const rows = await db.usageDaily.findMany({ where: { orgId: input.orgId, day: { gte: from, lte: to } }, select: { day: true, costMicros: true } });
  const spend = new Map<string, bigint>();
  for (const row of rows) spend.set(row.day, (spend.get(row.day) ?? 0n) + row.costMicros);
  const series: bigint[] = [];
  for (let day = firstDay; day < today; day++) series.push(spend.get(utcDay(day * DAY_MS)) ?? 0n);
  return series;
}

/** BURN_ABOVE_PLAN: the 7-day burn from the rollups against Loan.plannedBurnMicrosPerDay (evaluateBurnAbovePlan). */
export async function applyBurnAlert(tx: DbTx, input: { loan: LoanRow; unresolved: UnresolvedAlert[]; coverageBps: number | null; now: Date; outcome: AlertOutcome }): Promise<bigint | null> {
  const { loan, now } = input;
  const isOpen = input.unresolved.some((alert) => alert.kind === "BURN_ABOVE_PLAN");
  const planned = loan.plannedBurnMicrosPerDay;
  if (planned === null && !isOpen) return null;
  const burn = sevenDayBurnMicrosPerDay(await recentDailySpendMicros(tx, { orgId: loan.startupOrgId, now, since: loan.activatedAt }));
  const changes = evaluateBurnAbovePlan({ burnMicrosPerDay: burn, plannedBurnMicrosPerDay: planned, isOpen });
  const open = changes.open.length > 0 && planned !== null ? [{ kind: "BURN_ABOVE_PLAN" as const, message: alertMessage({ kind: "BURN_ABOVE_PLAN", burnMicrosPerDay: burn, plannedBurnMicrosPerDay: planned }) }] : [];
  await apply(tx, loan, input.unresolved, { open, resolve: changes.resolve }, input.coverageBps, now, input.outcome);
  return burn;
}

export const CURE_EXPIRED_ACTION = "loan.cureExpired";

/**
 * A margin call whose cure window ran out uncured (marginCallDecision → CURE_EXPIRED): once per
 * margin call, the lender hears that liquidation is now allowed — the MARGIN_CALL alert's text
 * says so (an acknowledged one is OPEN again), a `loan.state_changed` webhook with
 * `event: "cureExpired"` goes out, and the audit log records it. The loan stays in MARGIN_CALL:
 * freezing and liquidating remain the lender's decisions. Returns whether it expired just now.
 */
export async function applyCureExpiry(tx: DbTx, input: { loan: LoanRow; unresolved: UnresolvedAlert[]; coverageBps: number | null; now: Date }): Promise<boolean> {
  const { loan, now } = input;
  if (loan.state !== "MARGIN_CALL" || !loan.marginCallAt) return false;
  const decision = marginCallDecision({
    coverageBps: input.coverageBps,
    maintenanceBps: loan.maintenanceCoverageBps,
    marginCallAt: loan.marginCallAt,
    cureDeadline: loan.cureDeadline,
    cureWindowHours: loan.cureWindowHours,
    now,
  });
  if (decision.kind !== "CURE_EXPIRED") return false;
  const marginCallAt = loan.marginCallAt.toISOString();
  const already = await tx.auditLog.findFirst({ where: { targetType: "Loan", targetId: loan.id, action: CURE_EXPIRED_ACTION, detailJson: { contains: marginCallAt } }, select: { id: true } });
  if (already) return false;
  const detail = { marginCallAt, cureDeadline: decision.cureDeadline.toISOString(), coverageBps: input.coverageBps, maintenanceBps: loan.maintenanceCoverageBps, isLiquidationAllowed: true };
  await recordAudit(tx, { orgId: null, actorKind: "system", action: CURE_EXPIRED_ACTION, targetType: "Loan", targetId: loan.id, detail });
  const alert = input.unresolved.find((row) => row.kind === "MARGIN_CALL");
  if (alert) {
    const message = `The cure window closed at ${formatUtcMinute(decision.cureDeadline)} with coverage at ${formatBps(input.coverageBps)}, below the maintenance level: the lender may freeze and liquidate the collateral.`;
    await tx.alert.update({ where: { id: alert.id }, data: { message, state: "OPEN", acknowledgedAt: null, acknowledgedById: null, coverageBps: input.coverageBps } });
  }
  if (loan.lenderOrgId) {
    await enqueueWebhookEvent(
      tx,
      { orgId: loan.lenderOrgId, type: "loan.state_changed", data: { loanId: loan.id, reference: loan.reference, from: "MARGIN_CALL", to: "MARGIN_CALL", event: "cureExpired", ...detail } },
      { now },
    );
  }
  return true;
}
