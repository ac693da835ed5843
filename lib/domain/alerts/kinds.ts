// The alerts a lender receives about a loan (DESIGN.md, "Alerts"). One open alert per kind per
// loan: Alert.openKey = `${loanId}:${kind}` while the alert is OPEN or ACKNOWLEDGED.

export const ALERT_KINDS = [
  "EARLY_WARNING_1",
  "EARLY_WARNING_2",
  "MARGIN_CALL",
  "LIQUIDATION_ZONE",
  "PAYMENT_OVERDUE",
  "BURN_ABOVE_PLAN",
  "FROZEN",
  "UNFROZEN",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * critical: the lender's money is at risk now (collateral below maintenance or liquidation, a
 * payment missed past grace, credits frozen). warning: the trend needs watching. info: good news.
 */
export const ALERT_SEVERITY = {
  EARLY_WARNING_1: "warning",
  EARLY_WARNING_2: "warning",
  MARGIN_CALL: "critical",
  LIQUIDATION_ZONE: "critical",
  PAYMENT_OVERDUE: "critical",
  BURN_ABOVE_PLAN: "warning",
  FROZEN: "critical",
  UNFROZEN: "info",
} as const satisfies Record<AlertKind, AlertSeverity>;

/** Alert kinds that coverage opens and resolves, highest threshold first. */
export const COVERAGE_ALERT_KINDS = ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"] as const satisfies readonly AlertKind[];
export type CoverageAlertKind = (typeof COVERAGE_ALERT_KINDS)[number];

export const DEFAULT_EARLY_WARNING_BPS = [14_000, 13_000] as const;
export const DEFAULT_MAINTENANCE_BPS = 12_500;
export const DEFAULT_LIQUIDATION_BPS = 11_000;
/** Leaving a level needs coverage ≥ threshold + 5 points (DESIGN.md), so alerts do not flap. */
export const DEFAULT_HYSTERESIS_BPS = 500;
export const DEFAULT_CURE_WINDOW_HOURS = 72;
export const DEFAULT_GRACE_PERIOD_DAYS = 5;

/** What an evaluation asks the service to do: open these kinds, resolve those. */
export type AlertChanges = { open: AlertKind[]; resolve: AlertKind[] };

export function isAlertKind(value: string): value is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value);
}

/** Alert.openKey: unique while the alert is not resolved, so the database enforces one per kind per loan. */
export function alertOpenKey(loanId: string, kind: AlertKind): string {
  return `${loanId}:${kind}`;
}

/**
 * Loan.earlyWarningBps is stored as text, "14000,13000". Returns the levels highest first; "" = no
 * early warnings. At most two (EARLY_WARNING_1 and _2); anything else is refused.
 */
export function parseEarlyWarningBps(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const levels = trimmed.split(",").map((part) => {
    const piece = part.trim();
    if (!/^\d{1,9}$/.test(piece)) throw new RangeError(`Early-warning levels are whole bps separated by commas, like "14000,13000"; got ${JSON.stringify(text)}.`);
    return Number(piece);
  });
  if (levels.length > 2) throw new RangeError(`At most two early-warning levels are supported, got ${levels.length} in ${JSON.stringify(text)}.`);
  return levels.sort((a, b) => b - a);
}
