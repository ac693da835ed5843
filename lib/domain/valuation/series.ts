// Chart series for a loan page, from stored rows only: coverage snapshots downsampled to buckets,
// the borrower's daily burn (UsageDaily rollups) with its 7-day average, and the periods the loan
// spent in margin-call territory. Pure: the rows come in, the series go out.

import { MARGIN_CALL_HYSTERESIS_BPS } from "../loans/lifecycle";
import { DAY_MS, dayNumber, utcDay } from "./days";
import { sevenDayBurnMicrosPerDay } from "./projection";

// ───────────────────────────── Buckets (downsampling) ─────────────────────────────

/** A half-open time range [fromMs, toMs). */
export type Bucket = { fromMs: number; toMs: number };

/**
 * Buckets covering [fromMs, toMs] (both instants included) for downsampling: whole UTC days,
 * starting at the midnight on or before `fromMs`, each `widthDays` wide — one day when the span
 * has at most `maxBuckets` days, wider otherwise, so there are never more than `maxBuckets`. The
 * last bucket ends just after `toMs`.
 */
export function dayBuckets(fromMs: number, toMs: number, maxBuckets: number): { widthDays: number; buckets: Bucket[] } {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError("dayBuckets needs finite instants.");
  if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) throw new RangeError(`maxBuckets must be a positive integer, got ${maxBuckets}.`);
  const end = Math.max(fromMs, toMs) + 1;
  const start = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const days = Math.ceil((end - start) / DAY_MS);
  const widthDays = Math.ceil(days / maxBuckets);
  const width = widthDays * DAY_MS;
  const buckets: Bucket[] = [];
  for (let lo = start; lo < end; lo += width) buckets.push({ fromMs: lo, toMs: Math.min(lo + width, end) });
  return { widthDays, buckets };
}

/**
 * The last point of each bucket (the latest `atMs` in [fromMs, toMs)), in time order; empty buckets
 * give nothing. What the loan page's query selects in SQL, one index seek per bucket.
 */
export function lastInEachBucket<T extends { atMs: number }>(points: readonly T[], buckets: readonly Bucket[]): T[] {
  const out: T[] = [];
  for (const bucket of buckets) {
    let last: T | null = null;
    for (const point of points) {
      if (point.atMs >= bucket.fromMs && point.atMs < bucket.toMs && (last === null || point.atMs >= last.atMs)) last = point;
    }
    if (last) out.push(last);
  }
  return out;
}

// ───────────────────────────── Margin-call periods ─────────────────────────────

export type Period = { fromMs: number; toMs: number; isOpen: boolean };

/**
 * When coverage was in margin call, read from a coverage series in time order, with the
 * lifecycle's rule: it starts at the first point below maintenance and ends at the first later
 * point at or above maintenance + hysteresis (or with no debt left, null = infinite coverage).
 * One still open at the last point runs to `endMs` and is marked open.
 */
export function marginCallPeriods(
  points: readonly { atMs: number; coverageBps: number | null }[],
  input: { maintenanceBps: number; endMs: number; hysteresisBps?: number },
): Period[] {
  const exitBps = input.maintenanceBps + (input.hysteresisBps ?? MARGIN_CALL_HYSTERESIS_BPS);
  const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
  const periods: Period[] = [];
  let openedAt: number | null = null;
  for (const point of sorted) {
    if (openedAt === null) {
      if (point.coverageBps !== null && point.coverageBps < input.maintenanceBps) openedAt = point.atMs;
    } else if (point.coverageBps === null || point.coverageBps >= exitBps) {
      periods.push({ fromMs: openedAt, toMs: point.atMs, isOpen: false });
      openedAt = null;
    }
  }
  if (openedAt !== null) periods.push({ fromMs: openedAt, toMs: Math.max(openedAt, input.endMs), isOpen: true });
  return periods;
}

// ───────────────────────────── Daily burn ─────────────────────────────

export type BurnPoint = { day: string; spendMicros: bigint; sevenDayAvgMicros: bigint };

/**
 * One point per UTC day from `fromDay` to `toDay` (inclusive): the day's spend (the sum of its
 * rollup rows; 0 for a day without any) and the trailing 7-day average — `sevenDayBurnMicrosPerDay`
 * (the projection's own rule, rounded up) over that day and the up-to-6 days before it within the
 * series. With `fromDay` = the loan's activation day and `toDay` = yesterday, the last average is
 * the 7-day burn the projection uses. Rows outside the range are ignored.
 */
export function dailyBurnSeries(rows: readonly { day: string; costMicros: bigint }[], fromDay: string, toDay: string): BurnPoint[] {
  const first = dayNumber(fromDay);
  const last = dayNumber(toDay);
  if (last < first) return [];
  const spendByDay = new Map<string, bigint>();
  for (const row of rows) spendByDay.set(row.day, (spendByDay.get(row.day) ?? 0n) + row.costMicros);
  const spends: bigint[] = [];
  const series: BurnPoint[] = [];
  for (let n = first; n <= last; n++) {
    const day = utcDay(n * DAY_MS);
    const spendMicros = spendByDay.get(day) ?? 0n;
    spends.push(spendMicros);
    series.push({ day, spendMicros, sevenDayAvgMicros: sevenDayBurnMicrosPerDay(spends.slice(-7)) });
  }
  return series;
}

// ───────────────────────────── Axes ─────────────────────────────

/**
 * The coverage chart's y-range in percent: from below the liquidation level (or the lowest point)
 * to above the initial level (or the highest point), rounded out to 10 points, with the top capped
 * at `capPct` so one huge reading (the last dollar of debt) cannot flatten everything else.
 */
export function coverageAxisPct(values: readonly (number | null)[], thresholdsBps: readonly number[], capPct = 400): [number, number] {
  if (thresholdsBps.length === 0) throw new RangeError("coverageAxisPct needs at least one threshold.");
  const pcts = values.filter((v): v is number => v !== null && Number.isFinite(v)).map((bps) => bps / 100);
  const levels = thresholdsBps.map((bps) => bps / 100);
  const up10 = (pct: number) => Math.ceil(pct / 10) * 10;
  const floorTop = up10(Math.max(...levels) + 10);
  const top = Math.min(Math.max(up10(Math.max(...levels, ...pcts) + 5), floorTop), Math.max(capPct, floorTop));
  const bottom = Math.max(0, Math.floor((Math.min(...levels, ...pcts) - 5) / 10) * 10);
  return [bottom, top];
}
