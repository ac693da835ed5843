// Which coverage alerts to open and which to resolve, from the latest coverage (DESIGN.md,
// "Alerts" and "Valuation and coverage").

import { COVERAGE_ALERT_KINDS, DEFAULT_HYSTERESIS_BPS, type AlertChanges, type AlertKind, type CoverageAlertKind } from "./kinds";

export type CoverageThresholds = {
  /** EARLY_WARNING_1, EARLY_WARNING_2 levels in any order (the higher one is _1); at most two. */
  earlyWarningBps: readonly number[];
  maintenanceBps: number;
  liquidationBps: number;
};

function assertThresholdBps(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole non-negative number of bps, got ${String(value)}.`);
}

/** Each coverage alert kind with its threshold, highest first (a missing early warning is left out). */
export function coverageAlertLevels(thresholds: CoverageThresholds): { kind: CoverageAlertKind; thresholdBps: number }[] {
  if (thresholds.earlyWarningBps.length > 2) throw new RangeError(`At most two early-warning levels are supported, got ${thresholds.earlyWarningBps.length}.`);
  const warnings = [...thresholds.earlyWarningBps].sort((a, b) => b - a);
  const levels = [
    { kind: COVERAGE_ALERT_KINDS[0], thresholdBps: warnings[0] },
    { kind: COVERAGE_ALERT_KINDS[1], thresholdBps: warnings[1] },
    { kind: COVERAGE_ALERT_KINDS[2], thresholdBps: thresholds.maintenanceBps },
    { kind: COVERAGE_ALERT_KINDS[3], thresholdBps: thresholds.liquidationBps },
  ].filter((level): level is { kind: CoverageAlertKind; thresholdBps: number } => level.thresholdBps !== undefined);
  for (const level of levels) assertThresholdBps(`The ${level.kind} threshold`, level.thresholdBps);
  return levels;
}

/**
 * For each coverage level T (early warnings, maintenance → MARGIN_CALL, liquidation →
 * LIQUIDATION_ZONE):
 * - open the kind when coverage < T and it is not already open (or acknowledged): one per loan;
 * - resolve it when it is open and coverage ≥ T + hysteresis (null = infinite coverage resolves
 *   everything);
 * - between T and T + hysteresis nothing changes, so coverage wobbling around T cannot flap.
 * Kinds other than the coverage ones in `openKinds` are ignored. Results come highest level first.
 */
export function evaluateCoverageAlerts(input: {
  coverageBps: number | null;
  thresholds: CoverageThresholds;
  /** Kinds with an OPEN or ACKNOWLEDGED alert on this loan. */
  openKinds: ReadonlySet<AlertKind> | readonly AlertKind[];
  hysteresisBps?: number;
}): AlertChanges {
  const hysteresis = input.hysteresisBps ?? DEFAULT_HYSTERESIS_BPS;
  assertThresholdBps("hysteresisBps", hysteresis);
  const coverage = input.coverageBps;
  if (coverage !== null && !Number.isSafeInteger(coverage)) throw new RangeError(`coverageBps must be a whole number of bps or null, got ${String(coverage)}.`);
  const open = new Set<AlertKind>(input.openKinds);
  const changes: AlertChanges = { open: [], resolve: [] };
  for (const { kind, thresholdBps } of coverageAlertLevels(input.thresholds)) {
    const isOpen = open.has(kind);
    if (!isOpen && coverage !== null && coverage < thresholdBps) changes.open.push(kind);
    if (isOpen && (coverage === null || coverage >= thresholdBps + hysteresis)) changes.resolve.push(kind);
  }
  return changes;
}
