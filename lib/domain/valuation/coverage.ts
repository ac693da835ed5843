// The mark (what 1 USD of credits is worth to the lender) and coverage (collateral value over
// debt). DESIGN.md, "Valuation and coverage". The mark is an exact ratio (./mark.ts) in every
// formula; each result rounds once, on the exact fraction, toward the lender: values and coverage
// DOWN (a rounding error can only bring a margin call early, never late), amounts the lender needs UP.

import { BPS_DENOMINATOR, ceilDiv, floorDiv } from "../money";
import { assertBps, assertNonNegativeMicros } from "./checks";
import { creditsValueMicros, markRatio, markRatioToPpm, resolveMark, toMarkRatio, type MarkInput, type MarkRatio } from "./mark";

/** A credit at par: 1 USD of credits is worth 1 USD. */
export const PAR_PPM = 1_000_000;
export const DEFAULT_REDISTRIBUTION_FEE_BPS = 1_500;
/**
 * CoverageSnapshot.coverageBps is a 32-bit Int. Coverage above it (e.g. $300,000 of credits
 * against the last $1 of debt) is reported as this cap; every threshold is far below it, so no
 * decision changes.
 */
export const MAX_COVERAGE_BPS = 2_147_483_647;

/**
 * Mark per 1 USD of credits, in ppm, for display and the stored snapshot column:
 * min(1, index_now / index_at_origination) × (1 − fee) = index_now × (10⁴ − fee_bps) × 100 /
 * index_at_origination ppm, rounded DOWN once. Decisions use the exact `markRatio` instead. An index
 * above its origination level does not lift the mark above par − fee.
 */
export function markPpm(input: { indexNowMicros: bigint; indexAtOriginationMicros: bigint; redistributionFeeBps: number }): number {
  return markRatioToPpm(markRatio(input));
}

/**
 * Coverage = collateral × mark / debt, in bps, rounded DOWN once on the exact fraction
 * C × n × 10⁴ / (D × d) for a mark n/d; null when there is no debt (infinite coverage). Capped at
 * MAX_COVERAGE_BPS so it fits the database column. Give the exact `mark`, or `markPpm`.
 */
export function coverageBps(input: { collateralMicros: bigint; debtMicros: bigint } & MarkInput): number | null {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const mark = resolveMark(input);
  if (debt === 0n) return null;
  const bps = floorDiv(collateral * mark.numerator * BPS_DENOMINATOR, debt * mark.denominator);
  return bps > BigInt(MAX_COVERAGE_BPS) ? MAX_COVERAGE_BPS : Number(bps);
}

/** The value of credits at a mark (exact ratio, or ppm), rounded DOWN: what the lender could count on, or sell them for. */
export function valueAtMarkMicros(creditsMicros: bigint, mark: MarkRatio | number): bigint {
  return creditsValueMicros(assertNonNegativeMicros("creditsMicros", creditsMicros), toMarkRatio(mark));
}

/**
 * What cures a coverage shortfall up to `targetBps` (e.g. maintenance + hysteresis), either way,
 * for a mark n/d:
 * - repay: the least cash repayment r with coverage(C, D − r) ≥ target, i.e.
 *   D − ⌊C × n × 10⁴ / (target × d)⌋ (the debt may be at most that floor);
 * - pledge: the least extra credits p with coverage(C + p, D) ≥ target, i.e.
 *   ⌈target × D × d / (10⁴ × n)⌉ − C; null when the mark is 0 (no pledge helps).
 * Both 0 when coverage already meets the target.
 */
export function cureAmountsMicros(input: { collateralMicros: bigint; debtMicros: bigint; targetBps: number } & MarkInput): {
  repayMicros: bigint;
  pledgeMicros: bigint | null;
} {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const mark = resolveMark(input);
  const target = assertBps("targetBps", input.targetBps, 1);
  const maxDebt = floorDiv(collateral * mark.numerator * BPS_DENOMINATOR, target * mark.denominator);
  const repayMicros = debt > maxDebt ? debt - maxDebt : 0n;
  if (mark.numerator === 0n) return { repayMicros, pledgeMicros: debt === 0n ? 0n : null };
  const minCollateral = ceilDiv(target * debt * mark.denominator, BPS_DENOMINATOR * mark.numerator);
  return { repayMicros, pledgeMicros: minCollateral > collateral ? minCollateral - collateral : 0n };
}
