// The mark as an exact ratio of integers (DESIGN.md, "Valuation and coverage": "kept as an exact
// ratio of integers through every formula and rounded once, at the end, in the lender's favour").
// Flooring it to ppm first and then multiplying rounds twice, and the first rounding can flip a
// threshold: at index 2/3 of origination and a 15% fee the mark is 17/30 = 0.5666…, floored to
// 566,666 ppm; $2,205.882353 of credits against $1,000 of debt is 125.000000003% at the exact mark
// but 124.9999% at 566,666 ppm — a margin call that should not open.

import { BPS_DENOMINATOR, floorDiv, PPM } from "../money";
import { assertBps, assertMarkPpm, assertNonNegativeMicros } from "./checks";

/**
 * What 1 µUSD of credits is worth, in µUSD: `numerator / denominator`, with
 * 0 ≤ numerator ≤ denominator (never above par). Kept in lowest terms by the constructors here.
 */
export type MarkRatio = { readonly numerator: bigint; readonly denominator: bigint };

/** Either the exact mark, or (legacy callers, tests and display figures) a mark in ppm = ppm / 10⁶. */
export type MarkInput = { mark: MarkRatio; markPpm?: undefined } | { markPpm: number; mark?: undefined };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** gcd of non-negative integers; in doubles when both are exact in one (a mark's terms almost always are: a bigint % per step costs ~10× more). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a <= MAX_SAFE && b <= MAX_SAFE && a >= 0n && b >= 0n) {
    let x = Number(a);
    let y = Number(b);
    while (y !== 0) {
      const r = x % y;
      x = y;
      y = r;
    }
    return BigInt(x);
  }
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduced(numerator: bigint, denominator: bigint): MarkRatio {
  if (numerator === 0n) return { numerator: 0n, denominator: 1n };
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

/** Checks a mark: bigint parts, a positive denominator, 0 ≤ mark ≤ 1. */
export function assertMarkRatio(mark: MarkRatio): MarkRatio {
  if (typeof mark !== "object" || mark === null || typeof mark.numerator !== "bigint" || typeof mark.denominator !== "bigint") {
    throw new RangeError(`mark must be { numerator: bigint, denominator: bigint }, got ${String(mark)}.`);
  }
  if (mark.denominator <= 0n) throw new RangeError(`mark's denominator must be positive, got ${mark.denominator}.`);
  if (mark.numerator < 0n || mark.numerator > mark.denominator) throw new RangeError(`mark must be between 0 and par (1), got ${mark.numerator}/${mark.denominator}.`);
  return mark;
}

/**
 * min(1, index_now / index_at_origination) × (1 − fee), exactly:
 * index_now × (10⁴ − fee_bps) / (index_orig × 10⁴), or (10⁴ − fee_bps) / 10⁴ at or above origination.
 */
export function markRatio(input: { indexNowMicros: bigint; indexAtOriginationMicros: bigint; redistributionFeeBps: number }): MarkRatio {
  const indexNow = assertNonNegativeMicros("indexNowMicros", input.indexNowMicros);
  const indexAtOrigination = assertNonNegativeMicros("indexAtOriginationMicros", input.indexAtOriginationMicros);
  if (indexAtOrigination === 0n) throw new RangeError("indexAtOriginationMicros must be positive: the mark is a ratio to it.");
  const keptBps = BPS_DENOMINATOR - assertBps("redistributionFeeBps", input.redistributionFeeBps, 0, Number(BPS_DENOMINATOR));
  if (indexNow >= indexAtOrigination) return reduced(keptBps, BPS_DENOMINATOR);
  return reduced(indexNow * keptBps, indexAtOrigination * BPS_DENOMINATOR);
}

/** Credits valued without an index (no origination fix, or none yet): par less the fee. */
export function parMarkRatio(redistributionFeeBps: number): MarkRatio {
  const keptBps = BPS_DENOMINATOR - assertBps("redistributionFeeBps", redistributionFeeBps, 0, Number(BPS_DENOMINATOR));
  return reduced(keptBps, BPS_DENOMINATOR);
}

/** A mark given in ppm, as the exact ratio ppm / 10⁶. */
export function markRatioFromPpm(ppm: number): MarkRatio {
  return reduced(assertMarkPpm(ppm), PPM);
}

/** The mark in ppm, rounded DOWN: for display and the stored snapshot column, never for a decision. */
export function markRatioToPpm(mark: MarkRatio): number {
  const { numerator, denominator } = assertMarkRatio(mark);
  return Number(floorDiv(numerator * PPM, denominator));
}

/** The exact mark of an input that gives either `mark` or `markPpm`. */
export function resolveMark(input: { mark?: MarkRatio; markPpm?: number }): MarkRatio {
  if (input.mark !== undefined) {
    if (input.markPpm !== undefined) throw new RangeError("Give the mark once: either mark (exact) or markPpm, not both.");
    return assertMarkRatio(input.mark);
  }
  if (input.markPpm === undefined) throw new RangeError("A mark is required: mark (exact ratio) or markPpm.");
  return markRatioFromPpm(input.markPpm);
}

/** A positional mark argument: an exact ratio, or a number of ppm. */
export function toMarkRatio(mark: MarkRatio | number): MarkRatio {
  return typeof mark === "number" ? markRatioFromPpm(mark) : assertMarkRatio(mark);
}

/** ⌊credits × mark⌋ µUSD: what credits are worth at the mark, rounded DOWN. */
export function creditsValueMicros(creditsMicros: bigint, mark: MarkRatio): bigint {
  return floorDiv(creditsMicros * mark.numerator, mark.denominator);
}
