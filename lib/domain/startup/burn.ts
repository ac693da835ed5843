// A startup's burn: what it spent per UTC day (from the UsageDaily rollups), its 7- and 30-day
// averages, the runway those credits give, and the chart's ranges and series. Pure: rows in,
// figures out, money as bigint µUSD throughout; every average rounds UP (a runway is never
// overstated) and a runway rounds DOWN to whole days.

import { ceilDiv } from "../money";
import { DAY_MS, dayNumber, isCalendarDay, utcDay } from "../valuation/days";

/** The longest custom range the overview charts (a year and a day: a leap year fits). */
export const MAX_RANGE_DAYS = 366;
export const RANGE_PRESETS = ["7d", "30d", "90d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_RANGE: RangePreset = "30d";

/** Whole UTC days, both ends included. */
export type DayRange = { start: string; end: string; days: number; preset: RangePreset | "custom" };

export type RangeInput = { range?: string | null; start?: string | null; end?: string | null };

export class DayRangeError extends Error {
  constructor(
    message: string,
    readonly field: "start" | "end" | "range",
  ) {
    super(message);
    this.name = "DayRangeError";
  }
}

/**
 * The chart's range from the query string: a preset ("7d", "30d", "90d": the last N days ending
 * today) or a custom start and end (real calendar days, start ≤ end ≤ today, at most
 * MAX_RANGE_DAYS days). Anything else throws DayRangeError with the field to blame; no range at
 * all is the default preset.
 */
export function parseDayRange(input: RangeInput, today: string): DayRange {
  const todayN = dayNumber(today);
  const start = input.start?.trim() || null;
  const end = input.end?.trim() || null;
  if (start !== null || end !== null || input.range === "custom") {
    if (!start || !isCalendarDay(start)) throw new DayRangeError("Start: give a real calendar day, YYYY-MM-DD.", "start");
    if (!end || !isCalendarDay(end)) throw new DayRangeError("End: give a real calendar day, YYYY-MM-DD.", "end");
    const startN = dayNumber(start);
    const endN = dayNumber(end);
    if (endN > todayN) throw new DayRangeError(`End: ${end} is in the future; the last day with usage is today, ${today}.`, "end");
    if (startN > endN) throw new DayRangeError("Start must not be after end.", "start");
    const days = endN - startN + 1;
    if (days > MAX_RANGE_DAYS) throw new DayRangeError(`The range covers ${days} days; at most ${MAX_RANGE_DAYS}.`, "start");
    return { start, end, days, preset: "custom" };
  }
  const preset = (input.range ?? DEFAULT_RANGE) as RangePreset;
  if (!(RANGE_PRESETS as readonly string[]).includes(preset)) throw new DayRangeError(`Range: one of ${RANGE_PRESETS.join(", ")}, or a custom start and end.`, "range");
  const days = Number(preset.slice(0, -1));
  return { start: utcDay((todayN - days + 1) * DAY_MS), end: today, days, preset };
}

/** "2026-12-04" shifted by n days. */
export function addDays(day: string, n: number): string {
  return utcDay((dayNumber(day) + n) * DAY_MS);
}

/** Every day from start to end, inclusive (empty when end < start). */
export function daysBetween(start: string, end: string): string[] {
  const first = dayNumber(start);
  const last = dayNumber(end);
  const out: string[] = [];
  for (let n = first; n <= last; n++) out.push(utcDay(n * DAY_MS));
  return out;
}

/** Spend per day (rows summed per day; days without a row are absent). */
export function spendByDay(rows: readonly { day: string; costMicros: bigint }[]): Map<string, bigint> {
  const byDay = new Map<string, bigint>();
  for (const row of rows) byDay.set(row.day, (byDay.get(row.day) ?? 0n) + row.costMicros);
  return byDay;
}

/** The average of the `days` whole days ending with `lastDay` (days without spend count as 0), rounded UP. */
export function averageBurnMicros(byDay: ReadonlyMap<string, bigint>, lastDay: string, days: number): bigint {
  if (!Number.isSafeInteger(days) || days <= 0) throw new RangeError(`averageBurnMicros needs a positive whole number of days, got ${days}.`);
  const last = dayNumber(lastDay);
  let total = 0n;
  for (let n = last - days + 1; n <= last; n++) total += byDay.get(utcDay(n * DAY_MS)) ?? 0n;
  return ceilDiv(total, BigInt(days));
}

export type BurnFigures = {
  /** Spent so far today (UTC), settled requests only. */
  todayMicros: bigint;
  /** Average per day over the 7 complete days before today, rounded up. */
  avg7Micros: bigint;
  /** Average per day over the 30 complete days before today, rounded up. */
  avg30Micros: bigint;
};

/**
 * Today's burn and the 7- and 30-day averages over COMPLETE days (yesterday and before), so a
 * half-spent today does not drag the averages down in the morning. The same 7-day window as the
 * lender's burn alert and "days to margin call".
 */
export function burnFigures(rows: readonly { day: string; costMicros: bigint }[], today: string): BurnFigures {
  const byDay = spendByDay(rows);
  const yesterday = addDays(today, -1);
  return { todayMicros: byDay.get(today) ?? 0n, avg7Micros: averageBurnMicros(byDay, yesterday, 7), avg30Micros: averageBurnMicros(byDay, yesterday, 30) };
}

export type Runway = {
  /** Whole days the credits last at the burn, rounded down; null when nothing burns (unlimited). */
  days: number | null;
  /** The UTC day they run out (today + days); null with days. */
  runsOutOn: string | null;
};

/** Runway = ⌊credits ÷ burn per day⌋ days from today; null when the burn is 0. */
export function runway(creditsMicros: bigint, burnPerDayMicros: bigint, today: string): Runway {
  if (burnPerDayMicros <= 0n) return { days: null, runsOutOn: null };
  const credits = creditsMicros > 0n ? creditsMicros : 0n;
  const days = credits / burnPerDayMicros;
  // Beyond ~27 centuries the number stops meaning anything; cap it so Number() stays exact.
  const capped = days > 1_000_000n ? 1_000_000 : Number(days);
  return { days: capped, runsOutOn: capped >= 1_000_000 ? null : addDays(today, capped) };
}

// ───────────────────────────── The burn chart ─────────────────────────────

export type StackBy = "model" | "provider";
export const STACK_BY = ["model", "provider"] as const satisfies readonly StackBy[];

export type UsageRollupRow = { day: string; modelSlug: string; providerSlug: string; requests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint };

export type StackedBurnPoint = {
  day: string;
  /** Spend per series key (model or provider) that day; keys with no spend are absent. */
  byKey: Record<string, bigint>;
  totalMicros: bigint;
  /** Trailing averages ending with this day (itself included), rounded up. */
  avg7Micros: bigint;
  avg30Micros: bigint;
};

export type StackedBurn = {
  /** Series keys, biggest spender in the range first; beyond `maxSeries` the rest fold into "Other". */
  keys: string[];
  points: StackedBurnPoint[];
  totalMicros: bigint;
};

export const OTHER_SERIES = "Other";

/**
 * One point per day of the range, the day's spend split by model or by provider, and the
 * trailing 7- and 30-day averages (which read the 29 days before the range too: pass rows from
 * addDays(start, -29)). At most `maxSeries` keys: the smaller spenders fold into "Other", so a
 * chart stays readable with 40 models.
 */
export function stackedBurnSeries(rows: readonly UsageRollupRow[], range: Pick<DayRange, "start" | "end">, by: StackBy, maxSeries = 8): StackedBurn {
  const byDayAll = spendByDay(rows);
  const inRange = rows.filter((row) => row.day >= range.start && row.day <= range.end);
  const keyOf = (row: UsageRollupRow) => (by === "model" ? row.modelSlug : row.providerSlug);
  const keyTotals = new Map<string, bigint>();
  for (const row of inRange) keyTotals.set(keyOf(row), (keyTotals.get(keyOf(row)) ?? 0n) + row.costMicros);
  const ranked = [...keyTotals.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0]))).map(([key]) => key);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const keptSet = new Set(kept);
  const keys = ranked.length > kept.length ? [...kept, OTHER_SERIES] : kept;
  const perDay = new Map<string, Record<string, bigint>>();
  for (const row of inRange) {
    const key = keptSet.has(keyOf(row)) ? keyOf(row) : OTHER_SERIES;
    const bucket = perDay.get(row.day) ?? {};
    bucket[key] = (bucket[key] ?? 0n) + row.costMicros;
    perDay.set(row.day, bucket);
  }
  let totalMicros = 0n;
  const points = daysBetween(range.start, range.end).map((day) => {
    const dayTotal = byDayAll.get(day) ?? 0n;
    totalMicros += dayTotal;
    return { day, byKey: perDay.get(day) ?? {}, totalMicros: dayTotal, avg7Micros: averageBurnMicros(byDayAll, day, 7), avg30Micros: averageBurnMicros(byDayAll, day, 30) };
  });
  return { keys, points, totalMicros };
}

export type SpendRow = { key: string; requests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint; /** Of the range's total, in bps, rounded down. */ shareBps: number };

/** Spend in the range by model or provider, biggest first (ties by name). */
export function spendBreakdown(rows: readonly UsageRollupRow[], range: Pick<DayRange, "start" | "end">, by: StackBy): SpendRow[] {
  const totals = new Map<string, Omit<SpendRow, "shareBps">>();
  let total = 0n;
  for (const row of rows) {
    if (row.day < range.start || row.day > range.end) continue;
    const key = by === "model" ? row.modelSlug : row.providerSlug;
    const entry = totals.get(key) ?? { key, requests: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
    entry.requests += row.requests;
    entry.inputTokens += row.inputTokens;
    entry.outputTokens += row.outputTokens;
    entry.costMicros += row.costMicros;
    total += row.costMicros;
    totals.set(key, entry);
  }
  return [...totals.values()]
    .sort((a, b) => (b.costMicros > a.costMicros ? 1 : b.costMicros < a.costMicros ? -1 : a.key.localeCompare(b.key)))
    .map((entry) => ({ ...entry, shareBps: total === 0n ? 0 : Number((entry.costMicros * 10_000n) / total) }));
}
