// "Days to margin call" for a whole book. projectDaysToMarginCall steps every loan through every
// day of the horizon (a chart needs the series); a table of a thousand loans needs only the
// answer, and most loans are nowhere near maintenance. So: first a floor on the coverage any day
// of the horizon can reach — the least collateral (burn every day, stopping at the frozen
// credits), the most debt (interest every day, no installment paid) and the lowest index on the
// trend line, through the same markRatio and coverageBps — and only when that floor is below
// maintenance the full projection. The answer is the projection's either way (the table test
// holds the two to each other).

import { assertIntegerInRange, assertMicros, assertNonNegativeMicros } from "./checks";
import { coverageBps } from "./coverage";
import { DAY_MS } from "./days";
import { markRatio } from "./mark";
import { projectDaysToMarginCall, type ProjectionInput } from "./projection";

export type DaysToMarginCall = { daysToMarginCall: number | null; marginCallDate: string | null };

/**
 * The lowest coverage the projection can show on any day 0 … horizon, or null when it shows none
 * (no debt now, so none ever: interest accrues only on debt). Coverage rises with collateral and
 * the mark (which rises with the index) and falls with debt; each of those is bounded on its
 * worst side over the horizon.
 */
export function coverageFloorBps(input: ProjectionInput): number | null {
  const horizon = BigInt(assertIntegerInRange("horizonDays", input.horizonDays, 0, 3_650, "days"));
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  if (debt === 0n) return null;
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros ?? 0n);
  const unspendable = frozen < collateral ? frozen : collateral;
  const burnedAll = collateral - assertNonNegativeMicros("burnMicrosPerDay", input.burnMicrosPerDay) * horizon;
  const leastCollateral = burnedAll > unspendable ? burnedAll : unspendable;
  const mostDebt = debt + assertNonNegativeMicros("interestMicrosPerDay", input.interestMicrosPerDay) * horizon;
  const trend = assertMicros("indexTrendMicrosPerDay", input.indexTrendMicrosPerDay);
  const lowestIndex = assertNonNegativeMicros("indexNowMicros", input.indexNowMicros) + (trend < 0n ? trend * horizon : 0n);
  const lowestMark = markRatio({ indexNowMicros: lowestIndex > 0n ? lowestIndex : 0n, indexAtOriginationMicros: input.indexAtOriginationMicros, redistributionFeeBps: input.redistributionFeeBps });
  return coverageBps({ collateralMicros: leastCollateral, mark: lowestMark, debtMicros: mostDebt });
}

/** Where the projection pauses to ask the floor again: a loan already below maintenance stops at day 0, and most crossings a desk cares about are close. */
const SEGMENT_ENDS_DAYS = [0, 7, 30];

/**
 * projectDaysToMarginCall's daysToMarginCall and marginCallDate, without stepping a loan that
 * cannot reach maintenance. A loan that could is projected in segments (day 0, to day 7, to day
 * 30, to the horizon), each restarted from the state the previous one ended in — collateral, debt
 * and index on day n are all the projection carries from one day to the next, and an installment
 * falls on the same day counted from either start — with the floor asked again before each.
 */
export function portfolioDaysToMarginCall(input: ProjectionInput): DaysToMarginCall {
  const horizon = input.horizonDays;
  const ends = [...SEGMENT_ENDS_DAYS.filter((day) => day < horizon), horizon];
  let segment = input;
  let start = 0;
  for (const end of ends) {
    const floor = coverageFloorBps({ ...segment, horizonDays: horizon - start });
    if (floor === null || floor >= input.maintenanceBps) break;
    const projection = projectDaysToMarginCall({ ...segment, horizonDays: end - start });
    if (projection.daysToMarginCall !== null) return { daysToMarginCall: start + projection.daysToMarginCall, marginCallDate: projection.marginCallDate };
    const last = projection.series[end - start];
    segment = {
      ...segment,
      now: new Date(segment.now.getTime() + (end - start) * DAY_MS),
      collateralMicros: last.collateralMicros,
      debtMicros: last.debtMicros,
      indexNowMicros: last.indexMicros,
    };
    start = end;
  }
  return { daysToMarginCall: null, marginCallDate: null };
}
