// BURN_ABOVE_PLAN: the borrower spends its credits faster than the plan the loan was sized on.

import { BPS_DENOMINATOR } from "../money";
import type { AlertChanges } from "./kinds";

/** Spending up to 20% above plan is noise; beyond it the lender hears about it. */
export const DEFAULT_BURN_TOLERANCE_BPS = 2_000;

function assertMicros(name: string, value: bigint) {
  if (typeof value !== "bigint" || value < 0n) throw new RangeError(`${name} must be a non-negative bigint of µUSD, got ${String(value)}.`);
}

/**
 * burn > planned × (1 + tolerance), compared exactly: burn × 10⁴ > planned × (10⁴ + tolerance_bps).
 * A plan of 0 makes any spend above plan.
 */
export function isBurnAbovePlan(input: { burnMicrosPerDay: bigint; plannedBurnMicrosPerDay: bigint; toleranceBps?: number }): boolean {
  const tolerance = input.toleranceBps ?? DEFAULT_BURN_TOLERANCE_BPS;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) throw new RangeError(`toleranceBps must be a whole number ≥ 0, got ${String(tolerance)}.`);
  assertMicros("burnMicrosPerDay", input.burnMicrosPerDay);
  assertMicros("plannedBurnMicrosPerDay", input.plannedBurnMicrosPerDay);
  return input.burnMicrosPerDay * BPS_DENOMINATOR > input.plannedBurnMicrosPerDay * (BPS_DENOMINATOR + BigInt(tolerance));
}

/**
 * Opens BURN_ABOVE_PLAN when the 7-day burn is above plan × (1 + tolerance); resolves it only once
 * the burn is back at or under the plan itself (the tolerance doubles as hysteresis). A loan
 * without a plan (null) has nothing to compare with: an open alert resolves.
 */
export function evaluateBurnAbovePlan(input: { burnMicrosPerDay: bigint; plannedBurnMicrosPerDay: bigint | null; toleranceBps?: number; isOpen: boolean }): AlertChanges {
  const planned = input.plannedBurnMicrosPerDay;
  if (planned === null) return { open: [], resolve: input.isOpen ? ["BURN_ABOVE_PLAN"] : [] };
  if (!input.isOpen) return { open: isBurnAbovePlan({ ...input, plannedBurnMicrosPerDay: planned }) ? ["BURN_ABOVE_PLAN"] : [], resolve: [] };
  assertMicros("burnMicrosPerDay", input.burnMicrosPerDay);
  return { open: [], resolve: input.burnMicrosPerDay <= planned ? ["BURN_ABOVE_PLAN"] : [] };
}
