// The GPU price index's recent direction, for "days to margin call". A least-squares line through
// the window's daily fixes: it uses every fix (one noisy day moves it little), it handles missing
// days (x is the real calendar day), and its slope is the per-day change the projection needs.
// A ratio of two averages would hinge on where the window is cut and say nothing per day.

import { floorDiv, PPM } from "../money";
import { assertIntegerInRange } from "./checks";
import { dayNumber } from "./days";

export type IndexFix = { day: string; priceMicros: bigint };

export type IndexTrend = {
  /** Slope of the least-squares line, µUSD per GPU-hour per day, rounded DOWN (toward a falling index). 0 with fewer than 2 fixes. */
  slopeMicrosPerDay: bigint;
  /** The same slope relative to the latest fix, ppm per day, rounded DOWN (−1,000 = −0.1%/day). */
  slopePpmPerDay: number;
  fixCount: number;
  fromDay: string | null;
  toDay: string | null;
  latestPriceMicros: bigint | null;
};

/**
 * Least-squares slope over the fixes of the `windowDays` calendar days ending at the latest fix
 * (day > latest − windowDays). With x = day − first day and y = price, in exact integers:
 *   slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²)   µUSD per day, rounded down.
 * Fixes may come in any order; two fixes for one day are refused (the index has one fix a day).
 */
export function indexTrend(fixes: readonly IndexFix[], windowDays: number): IndexTrend {
  assertIntegerInRange("windowDays", windowDays, 1, 100_000, "days");
  const seen = new Set<number>();
  const dated = fixes.map((fix) => {
    const n = dayNumber(fix.day);
    if (seen.has(n)) throw new RangeError(`Two index fixes for ${fix.day}; the index has one fix a day.`);
    seen.add(n);
    if (typeof fix.priceMicros !== "bigint" || fix.priceMicros < 0n) throw new RangeError(`The fix for ${fix.day} must be a non-negative bigint of µUSD, got ${String(fix.priceMicros)}.`);
    return { n, fix };
  });
  if (dated.length === 0) return { slopeMicrosPerDay: 0n, slopePpmPerDay: 0, fixCount: 0, fromDay: null, toDay: null, latestPriceMicros: null };

  dated.sort((a, b) => a.n - b.n);
  const latest = dated[dated.length - 1];
  const inWindow = dated.filter((d) => d.n > latest.n - windowDays);
  const first = inWindow[0];

  let n = 0n, sumX = 0n, sumY = 0n, sumXX = 0n, sumXY = 0n;
  for (const { n: day, fix } of inWindow) {
    const x = BigInt(day - first.n);
    n += 1n;
    sumX += x;
    sumY += fix.priceMicros;
    sumXX += x * x;
    sumXY += x * fix.priceMicros;
  }
  const denominator = n * sumXX - sumX * sumX; // 0 only with a single fix
  const slope = denominator === 0n ? 0n : floorDiv(n * sumXY - sumX * sumY, denominator);
  const latestPrice = latest.fix.priceMicros;
  return {
    slopeMicrosPerDay: slope,
    slopePpmPerDay: latestPrice === 0n ? 0 : Number(floorDiv(slope * PPM, latestPrice)),
    fixCount: inWindow.length,
    fromDay: first.fix.day,
    toDay: latest.fix.day,
    latestPriceMicros: latestPrice,
  };
}
