// "Days to margin call" for a whole book. projectDaysToMarginCall steps every loan through every
// day of the horizon (a chart needs the series); a table of a thousand loans needs only the first
// day below maintenance. Every quantity the projection carries has a closed form on day d —
// collateral max(frozen, C − burn·d), debt D plus a day of interest per day while any is left less
// the installments due by then, index max(0, I + trend·d) — and over a stretch of days [a, b]
// coverage is at least the coverage of the least collateral (day b), the most debt (day a's plus
// interest to b, no installment paid) and the lowest index (a or b by the trend's sign). So: ask
// that floor for the whole horizon (most loans are nowhere near maintenance: done), else halve the
// stretch, earlier half first, down to single days, whose floor is their exact coverage. The answer
// is the projection's, through the same markRatio and coverageBps (the property test holds them
// equal); a crossing costs a few dozen valuations instead of one per day.
//
// Each valuation is the one division coverageBps does, ⌊C·n·10⁴ / (D·d)⌋ for the mark n/d, on the
// mark's terms before reduction (index·kept / (origination·10⁴), or kept / 10⁴ at or above
// origination): a floor of the same fraction, so the same bps, without a gcd, a fresh MarkRatio and
// its checks per day tried (the book's hot loop: a thousand loans, each valued once or a few dozen times).

import { BPS_DENOMINATOR } from "../money";
import { assertBps, assertIntegerInRange, assertMicros, assertNonNegativeMicros } from "./checks";
import { MAX_COVERAGE_BPS } from "./coverage";
import { DAY_MS, utcDay } from "./days";
import { installmentsByDay, MAX_HORIZON_DAYS, type ProjectionInput } from "./projection";

export type DaysToMarginCall = { daysToMarginCall: number | null; marginCallDate: string | null };

type Path = {
  horizon: number;
  maintenanceBps: number;
  collateralAt: (day: number) => bigint;
  debtAt: (day: number) => bigint;
  interestPerDay: bigint;
  indexAt: (day: number) => bigint;
  isIndexFalling: boolean;
  coverage: (collateral: bigint, index: bigint, debt: bigint) => number | null;
};

/** The projection's state on any day, in closed form (the same order of events as projectDaysToMarginCall). */
function pathOf(input: ProjectionInput): Path {
  const now = input.now.getTime();
  if (!Number.isFinite(now)) throw new RangeError("now must be a valid Date.");
  const horizon = Number(assertIntegerInRange("horizonDays", input.horizonDays, 0, MAX_HORIZON_DAYS, "days"));
  const maintenanceBps = Number(assertBps("maintenanceBps", input.maintenanceBps));
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros ?? 0n);
  const interestPerDay = assertNonNegativeMicros("interestMicrosPerDay", input.interestMicrosPerDay);
  const burnPerDay = assertNonNegativeMicros("burnMicrosPerDay", input.burnMicrosPerDay);
  const indexNow = assertNonNegativeMicros("indexNowMicros", input.indexNowMicros);
  const trend = assertMicros("indexTrendMicrosPerDay", input.indexTrendMicrosPerDay);
  const unspendable = frozen < collateral ? frozen : collateral;

  const byDay = installmentsByDay(input.installments, now, horizon);
  const payments = [...byDay].sort((a, b) => a[0] - b[0]);

  return {
    horizon,
    maintenanceBps,
    interestPerDay,
    isIndexFalling: trend < 0n,
    // Each day burns, never below the frozen credits: C − burn·d, or the frozen floor once reached.
    collateralAt: (day) => {
      const left = collateral - burnPerDay * BigInt(day);
      return left > unspendable ? left : unspendable;
    },
    // Each day adds a day's interest while any debt is left, then takes that day's installments (never below 0).
    debtAt: (day) => {
      let owed = debt;
      let last = 0;
      for (const [due, amount] of payments) {
        if (due > day) break;
        if (owed > 0n) owed += interestPerDay * BigInt(due - last);
        owed = amount < owed ? owed - amount : 0n;
        last = due;
      }
      return owed > 0n ? owed + interestPerDay * BigInt(day - last) : owed;
    },
    indexAt: (day) => {
      const index = indexNow + trend * BigInt(day);
      return index > 0n ? index : 0n;
    },
    coverage: coverageAtMark(input.indexAtOriginationMicros, input.redistributionFeeBps),
  };
}

const MAX_COVERAGE = BigInt(MAX_COVERAGE_BPS);

/**
 * coverageBps({ collateralMicros, debtMicros, mark: markRatio({ indexNowMicros, indexAtOriginationMicros, redistributionFeeBps }) })
 * for a non-negative collateral, index and debt, with the loan's constants checked and hoisted once
 * (a bad origination or fee throws markRatio's RangeError when a coverage is first asked for, as before).
 */
export function coverageAtMark(indexAtOriginationMicros: bigint, redistributionFeeBps: number): (collateralMicros: bigint, indexMicros: bigint, debtMicros: bigint) => number | null {
  let keptBps = 0n;
  let failure: RangeError | null = null;
  try {
    const origination = assertNonNegativeMicros("indexAtOriginationMicros", indexAtOriginationMicros);
    if (origination === 0n) throw new RangeError("indexAtOriginationMicros must be positive: the mark is a ratio to it.");
    keptBps = BPS_DENOMINATOR - assertBps("redistributionFeeBps", redistributionFeeBps, 0, Number(BPS_DENOMINATOR));
  } catch (error) {
    failure = error as RangeError;
  }
  return (collateral, index, debt) => {
    if (failure) throw failure;
    if (debt === 0n) return null;
    // Above origination the mark is kept / 10⁴, and the 10⁴ of bps cancels it.
    const bps = index >= indexAtOriginationMicros ? (collateral * keptBps) / debt : (collateral * index * keptBps) / (debt * indexAtOriginationMicros);
    return bps > MAX_COVERAGE ? MAX_COVERAGE_BPS : Number(bps);
  };
}

/** The least coverage any day from `from` to `to` can show (exact when from = to); null = no debt on any of them. */
function floorBetween(path: Path, from: number, to: number): number | null {
  const debtFrom = path.debtAt(from);
  // Debt never comes back once paid off (interest accrues only on debt): no debt at `from`, none after.
  if (debtFrom === 0n) return null;
  const mostDebt = debtFrom + path.interestPerDay * BigInt(to - from);
  return path.coverage(path.collateralAt(to), path.indexAt(path.isIndexFalling ? to : from), mostDebt);
}

/** The lowest coverage the projection can show on any day 0 … horizon; null when it shows none (no debt). */
export function coverageFloorBps(input: ProjectionInput): number | null {
  const path = pathOf(input);
  return floorBetween(path, 0, path.horizon);
}

function firstDayBelow(path: Path, from: number, to: number): number | null {
  const floor = floorBetween(path, from, to);
  if (floor === null || floor >= path.maintenanceBps) return null;
  if (from === to) return from;
  const middle = Math.floor((from + to) / 2);
  return firstDayBelow(path, from, middle) ?? firstDayBelow(path, middle + 1, to);
}

/** projectDaysToMarginCall's daysToMarginCall and marginCallDate, found without stepping through every day. */
export function portfolioDaysToMarginCall(input: ProjectionInput): DaysToMarginCall {
  const path = pathOf(input);
  const day = firstDayBelow(path, 0, path.horizon);
  return { daysToMarginCall: day, marginCallDate: day === null ? null : utcDay(input.now.getTime() + day * DAY_MS) };
}
