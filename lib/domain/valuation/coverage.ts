// The mark (what 1 USD of credits is worth to the lender) and coverage (collateral value over
// debt). DESIGN.md, "Valuation and coverage". Every rounding here goes DOWN: the lender never sees
// more value than there is, so a rounding error can only bring a margin call early, never late.

import { BPS_DENOMINATOR, ceilDiv, floorDiv, PPM } from "../money";
import { assertBps, assertMarkPpm, assertNonNegativeMicros } from "./checks";

/** A credit at par: 1 USD of credits is worth 1 USD. */
export const PAR_PPM = 1_000_000;
export const DEFAULT_REDISTRIBUTION_FEE_BPS = 1_500;
/**
 * CoverageSnapshot.coverageBps is a 32-bit Int. Coverage above it (e.g. $300,000 of credits
 * against the last $1 of debt) is reported as this cap; every threshold is far below it, so no
 * decision changes.
 */
export const MAX_COVERAGE_BPS = 2_147_483_647;

/** coverage bps = value / debt × 10⁴ with value = C × m / 10⁶, so C × m / (D × 100). */
const PPM_PER_BPS = PPM / BPS_DENOMINATOR;

/**
 * Mark per 1 USD of credits, in ppm: min(1, index_now / index_at_origination) × (1 − fee).
 * Exact value = index_now × (10⁴ − fee_bps) × 100 / index_at_origination ppm, rounded DOWN once
 * (not once per factor). An index above its origination level does not lift the mark above
 * par − fee: credits never become worth more than their face value.
 */
export function markPpm(input: { indexNowMicros: bigint; indexAtOriginationMicros: bigint; redistributionFeeBps: number }): number {
  const indexNow = assertNonNegativeMicros("indexNowMicros", input.indexNowMicros);
  const indexAtOrigination = assertNonNegativeMicros("indexAtOriginationMicros", input.indexAtOriginationMicros);
  if (indexAtOrigination === 0n) throw new RangeError("indexAtOriginationMicros must be positive: the mark is a ratio to it.");
  const keptBps = BPS_DENOMINATOR - assertBps("redistributionFeeBps", input.redistributionFeeBps, 0, Number(BPS_DENOMINATOR));
  if (indexNow >= indexAtOrigination) return Number(keptBps * PPM_PER_BPS);
  return Number(floorDiv(indexNow * keptBps * PPM_PER_BPS, indexAtOrigination));
}

/**
 * Coverage = collateral × mark / debt, in bps, rounded DOWN; null when there is no debt
 * (infinite coverage). Capped at MAX_COVERAGE_BPS so it fits the database column.
 */
export function coverageBps(input: { collateralMicros: bigint; markPpm: number; debtMicros: bigint }): number | null {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const mark = assertMarkPpm(input.markPpm);
  if (debt === 0n) return null;
  const bps = floorDiv(collateral * mark, debt * PPM_PER_BPS);
  return bps > BigInt(MAX_COVERAGE_BPS) ? MAX_COVERAGE_BPS : Number(bps);
}

/** The value of credits at a mark, rounded DOWN: what the lender could count on, or sell them for. */
export function valueAtMarkMicros(creditsMicros: bigint, markPpmValue: number): bigint {
  return floorDiv(assertNonNegativeMicros("creditsMicros", creditsMicros) * assertMarkPpm(markPpmValue), PPM);
}

/**
 * What cures a coverage shortfall up to `targetBps` (e.g. maintenance + hysteresis), either way:
 * - repay: the least cash repayment r with coverage(C, D − r) ≥ target, i.e.
 *   D − ⌊C × m / (100 × target)⌋ (the debt may be at most that floor);
 * - pledge: the least extra credits p with coverage(C + p, D) ≥ target, i.e.
 *   ⌈100 × target × D / m⌉ − C; null when the mark is 0 (no pledge helps).
 * Both 0 when coverage already meets the target.
 */
export function cureAmountsMicros(input: { collateralMicros: bigint; debtMicros: bigint; markPpm: number; targetBps: number }): {
  repayMicros: bigint;
  pledgeMicros: bigint | null;
} {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const mark = assertMarkPpm(input.markPpm);
  const target = assertBps("targetBps", input.targetBps, 1);
  const maxDebt = floorDiv(collateral * mark, target * PPM_PER_BPS);
  const repayMicros = debt > maxDebt ? debt - maxDebt : 0n;
  if (mark === 0n) return { repayMicros, pledgeMicros: debt === 0n ? 0n : null };
  const minCollateral = ceilDiv(target * PPM_PER_BPS * debt, mark);
  return { repayMicros, pledgeMicros: minCollateral > collateral ? minCollateral - collateral : 0n };
}
