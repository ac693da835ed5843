// The margin call's cure window and the auto-freeze rule (DESIGN.md, "Valuation and coverage").

import { DEFAULT_CURE_WINDOW_HOURS, DEFAULT_HYSTERESIS_BPS } from "./kinds";

const HOUR_MS = 3_600_000;

export type MarginCallDecision =
  /** No margin call is open and coverage is not below maintenance. */
  | { kind: "NONE"; isLiquidationAllowed: false }
  /** Coverage just fell below maintenance: open the margin call now, cure by `cureDeadline`. */
  | { kind: "OPEN"; marginCallAt: Date; cureDeadline: Date; isLiquidationAllowed: false }
  /** Open, not cured yet, the window still running. */
  | { kind: "CURE_PENDING"; marginCallAt: Date; cureDeadline: Date; msUntilDeadline: number; isLiquidationAllowed: false }
  /** Open, and coverage is back at maintenance + hysteresis (or no debt is left): close it. */
  | { kind: "CURED"; marginCallAt: Date; cureDeadline: Date; isLiquidationAllowed: false }
  /** Open, the deadline has passed uncured: the lender may liquidate (a frozen loan). */
  | { kind: "CURE_EXPIRED"; marginCallAt: Date; cureDeadline: Date; isLiquidationAllowed: true };

function assertDate(name: string, value: Date) {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) throw new RangeError(`${name} must be a valid Date.`);
}

export function cureDeadlineFor(marginCallAt: Date, cureWindowHours = DEFAULT_CURE_WINDOW_HOURS): Date {
  assertDate("marginCallAt", marginCallAt);
  if (!Number.isSafeInteger(cureWindowHours) || cureWindowHours < 0) throw new RangeError(`cureWindowHours must be a whole number ≥ 0, got ${String(cureWindowHours)}.`);
  return new Date(marginCallAt.getTime() + cureWindowHours * HOUR_MS);
}

/**
 * Where a loan's margin call stands at `now`, from Loan.marginCallAt / Loan.cureDeadline (null =
 * no margin call open):
 * - none open: coverage < maintenance opens one (deadline now + cure window), else NONE;
 * - open: coverage ≥ maintenance + hysteresis (or null: no debt) is CURED, even after the
 *   deadline; otherwise now ≥ deadline is CURE_EXPIRED (liquidation allowed), else CURE_PENDING.
 *   Coverage between maintenance and maintenance + hysteresis does not cure.
 * A stored deadline wins over marginCallAt + window (the window may have changed since).
 */
export function marginCallDecision(input: {
  coverageBps: number | null;
  maintenanceBps: number;
  hysteresisBps?: number;
  marginCallAt: Date | null;
  cureDeadline: Date | null;
  cureWindowHours?: number;
  now: Date;
}): MarginCallDecision {
  assertDate("now", input.now);
  const hysteresis = input.hysteresisBps ?? DEFAULT_HYSTERESIS_BPS;
  const coverage = input.coverageBps;
  const isBelowMaintenance = coverage !== null && coverage < input.maintenanceBps;
  if (input.marginCallAt === null) {
    if (!isBelowMaintenance) return { kind: "NONE", isLiquidationAllowed: false };
    return { kind: "OPEN", marginCallAt: input.now, cureDeadline: cureDeadlineFor(input.now, input.cureWindowHours), isLiquidationAllowed: false };
  }
  const marginCallAt = input.marginCallAt;
  const cureDeadline = input.cureDeadline ?? cureDeadlineFor(marginCallAt, input.cureWindowHours);
  assertDate("cureDeadline", cureDeadline);
  if (coverage === null || coverage >= input.maintenanceBps + hysteresis) return { kind: "CURED", marginCallAt, cureDeadline, isLiquidationAllowed: false };
  const msUntilDeadline = cureDeadline.getTime() - input.now.getTime();
  if (msUntilDeadline <= 0) return { kind: "CURE_EXPIRED", marginCallAt, cureDeadline, isLiquidationAllowed: true };
  return { kind: "CURE_PENDING", marginCallAt, cureDeadline, msUntilDeadline, isLiquidationAllowed: false };
}

/** Loan states in which collateral can still be frozen automatically. */
export const AUTO_FREEZE_STATES = ["ACTIVE", "MARGIN_CALL", "DELINQUENT"] as const;

/**
 * A loan with auto-freeze freezes itself once coverage falls below the liquidation level, unless
 * it is already frozen or past it (FROZEN, LIQUIDATING, closed…). No debt never freezes.
 */
export function shouldAutoFreeze(input: { coverageBps: number | null; liquidationBps: number; autoFreeze: boolean; state: string }): boolean {
  if (!input.autoFreeze || input.coverageBps === null) return false;
  return input.coverageBps < input.liquidationBps && (AUTO_FREEZE_STATES as readonly string[]).includes(input.state);
}
