import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { tryAcquireLease } from "@/lib/server/jobs/lease";
import { markOverdueInstallments, type OverdueSweep } from "@/lib/server/loans/delinquency";
import { recomputeOpenLoans, type BatchRecompute } from "./batch";

// The coverage monitor (DESIGN.md: coverage is recomputed "by a periodic monitor"): every open
// loan, each in its own transaction — interest accrued through now (persistAccrual), valued,
// snapshotted, moved in or out of MARGIN_CALL, its coverage, PAYMENT_OVERDUE and BURN_ABOVE_PLAN
// alerts opened or resolved, an expired cure window announced once, auto-freeze when due.
//
// It runs on one app instance at a time (the "coverage-monitor" JobLease), and even two monitors
// at once (a lease changing hands mid-pass) open each alert exactly once: every loan's evaluation
// takes the loan's row lock first and reads the open alerts after it (lockLoanRow).

export const COVERAGE_MONITOR_LEASE = "coverage-monitor";
export const COVERAGE_MONITOR_INTERVAL_MS = 60_000;

export type CoverageMonitorReport = BatchRecompute & { overdue: OverdueSweep; startedAt: Date; durationMs: number };

/**
 * One pass at `now`: first the overdue sweep (installments past their grace period → OVERDUE, an
 * ACTIVE loan → DELINQUENT), then every open loan revalued — so a loan that just became delinquent
 * gets its PAYMENT_OVERDUE alert in the same pass.
 */
export async function runCoverageMonitor(db: Db, now: Date): Promise<CoverageMonitorReport> {
  const started = performance.now();
  const overdue = await markOverdueInstallments(db, now);
  const batch = await recomputeOpenLoans(db, { reason: "monitor", now, accrue: true });
  return { ...batch, overdue, startedAt: now, durationMs: Math.round(performance.now() - started) };
}

/**
 * One pass if this instance holds (or takes) the monitor's lease; null when another instance holds
 * it. The lease outlives two intervals, so a slow pass keeps it and a dead instance loses it.
 */
export async function runLeasedCoverageMonitor(db: Db, input: { holder: string; now: Date; intervalMs?: number }): Promise<CoverageMonitorReport | null> {
  const ttlMs = (input.intervalMs ?? COVERAGE_MONITOR_INTERVAL_MS) * 2;
  if (!(await tryAcquireLease(db, COVERAGE_MONITOR_LEASE, input.holder, ttlMs, input.now))) return null;
  return runCoverageMonitor(db, input.now);
}

/** One line for the server log, or null when the pass changed nothing worth saying. */
export function describeMonitorReport(report: CoverageMonitorReport): string | null {
  const changes = report.transitions.length + report.opened + report.resolved + report.cureExpired + report.failed.length + report.overdue.markedInstallments;
  if (changes === 0) return null;
  return (
    `coverage monitor: ${report.loans} loan(s) in ${report.durationMs} ms; ` +
    `${report.overdue.markedInstallments} installment(s) overdue, ${report.overdue.delinquentLoanIds.length} loan(s) delinquent, ` +
    `${report.transitions.length} state change(s), ${report.opened} alert(s) opened, ${report.resolved} resolved, ` +
    `${report.cureExpired} cure window(s) expired, ${report.autoFrozen.length} auto-frozen, ${report.failed.length} failed`
  );
}
