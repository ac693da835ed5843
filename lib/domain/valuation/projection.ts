// "Days to margin call" (DESIGN.md): coverage projected day by day from the 7-day burn rate, the
// installment schedule and the index trend. A forecast, not a valuation, but still in exact
// integers, and every assumption leans toward the lender (an early warning, never a late one).

import { BPS_DENOMINATOR, ceilDiv, mulBps } from "../money";
import { assertBps, assertIntegerInRange, assertMicros, assertNonNegativeMicros } from "./checks";
import { coverageBps } from "./coverage";
import { markRatio, markRatioToPpm } from "./mark";
import { DAY_MS, utcDay } from "./days";

export type InstallmentForecast = {
  dueAt: Date;
  /** What is still unpaid of it. */
  amountMicros: bigint;
};

export type ProjectionInput = {
  now: Date;
  collateralMicros: bigint;
  /** Frozen credits cannot be spent, so burn stops at them. Default 0. */
  frozenMicros?: bigint;
  /** Debt now: principal outstanding + accrued interest. */
  debtMicros: bigint;
  /** Interest accruing per day, held constant (principal × APR / 365 today; repayments would only lower it). */
  interestMicrosPerDay: bigint;
  /** The borrower's spend per day, normally `sevenDayBurnMicrosPerDay` of its recent daily spend. */
  burnMicrosPerDay: bigint;
  /** Installments due after `now`, assumed paid in cash on their due day: they cut the debt, never the collateral. */
  installments: readonly InstallmentForecast[];
  indexNowMicros: bigint;
  indexAtOriginationMicros: bigint;
  redistributionFeeBps: number;
  /** `indexTrend(...).slopeMicrosPerDay`; 0 holds the index flat. */
  indexTrendMicrosPerDay: bigint;
  maintenanceBps: number;
  horizonDays: number;
};

export type ProjectionPoint = {
  /** Days after `now`; day 0 is now. */
  day: number;
  /** UTC calendar day of now + `day` × 24 h. */
  date: string;
  collateralMicros: bigint;
  debtMicros: bigint;
  indexMicros: bigint;
  /** The day's mark in ppm, rounded down, for display; coverage uses the exact ratio. */
  markPpm: number;
  /** null = no debt left (infinite coverage). */
  coverageBps: number | null;
};

export type Projection = {
  /** First day whose projected coverage is below maintenance (0 = already below); null if none within the horizon. */
  daysToMarginCall: number | null;
  marginCallDate: string | null;
  /** One point per day, 0 … horizonDays, for the chart. */
  series: ProjectionPoint[];
};

export const MAX_HORIZON_DAYS = 3_650;

/**
 * Day d (1 … horizon) applies, in this order: a day of burn (collateral − burn, never below the
 * frozen credits), a day of interest (while any debt is left), the installments due that day
 * (debt − amount, never below 0), and the index at now + trend × d (never below 0) for the mark, an exact ratio
 * (markRatio) whose ppm floor is only displayed.
 * An installment due at t > now falls on day ⌈(t − now) / 24 h⌉; one already due is left out (an
 * overdue payment is not counted on). The margin call is the first day with coverageBps below
 * maintenance, the same rounding as the live figure.
 */
/**
 * Installments due after `nowMs`, by day ⌈(due − now) / 24 h⌉ within the horizon, summed per day
 * (both projections pay them in cash on that day).
 */
export function installmentsByDay(installments: readonly InstallmentForecast[], nowMs: number, horizonDays: number): Map<number, bigint> {
  const byDay = new Map<number, bigint>();
  for (const installment of installments) {
    const amount = assertNonNegativeMicros("installment amountMicros", installment.amountMicros);
    const dueMs = installment.dueAt.getTime();
    if (!Number.isFinite(dueMs)) throw new RangeError("An installment's dueAt must be a valid Date.");
    if (dueMs <= nowMs) continue;
    const day = Math.ceil((dueMs - nowMs) / DAY_MS);
    if (day <= horizonDays) byDay.set(day, (byDay.get(day) ?? 0n) + amount);
  }
  return byDay;
}

export function projectDaysToMarginCall(input: ProjectionInput): Projection {
  const now = input.now.getTime();
  if (!Number.isFinite(now)) throw new RangeError("now must be a valid Date.");
  const horizon = assertIntegerInRange("horizonDays", input.horizonDays, 0, MAX_HORIZON_DAYS, "days");
  const maintenance = Number(assertBps("maintenanceBps", input.maintenanceBps));
  let collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  let debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros ?? 0n);
  const interestPerDay = assertNonNegativeMicros("interestMicrosPerDay", input.interestMicrosPerDay);
  const burnPerDay = assertNonNegativeMicros("burnMicrosPerDay", input.burnMicrosPerDay);
  const indexNow = assertNonNegativeMicros("indexNowMicros", input.indexNowMicros);
  const trend = assertMicros("indexTrendMicrosPerDay", input.indexTrendMicrosPerDay);
  const unspendable = frozen < collateral ? frozen : collateral;

  const paymentsByDay = installmentsByDay(input.installments, now, Number(horizon));

  const series: ProjectionPoint[] = [];
  let daysToMarginCall: number | null = null;
  for (let day = 0; day <= Number(horizon); day++) {
    if (day > 0) {
      collateral = collateral - burnPerDay > unspendable ? collateral - burnPerDay : unspendable;
      if (debt > 0n) debt += interestPerDay;
      const payment = paymentsByDay.get(day) ?? 0n;
      debt = payment < debt ? debt - payment : 0n;
    }
    const projectedIndex = indexNow + trend * BigInt(day);
    const indexMicros = projectedIndex > 0n ? projectedIndex : 0n;
    // The exact mark decides; its ppm floor is only shown.
    const mark = markRatio({ indexNowMicros: indexMicros, indexAtOriginationMicros: input.indexAtOriginationMicros, redistributionFeeBps: input.redistributionFeeBps });
    const coverage = coverageBps({ collateralMicros: collateral, mark, debtMicros: debt });
    series.push({ day, date: utcDay(now + day * DAY_MS), collateralMicros: collateral, debtMicros: debt, indexMicros, markPpm: markRatioToPpm(mark), coverageBps: coverage });
    if (daysToMarginCall === null && coverage !== null && coverage < maintenance) daysToMarginCall = day;
  }
  return { daysToMarginCall, marginCallDate: daysToMarginCall === null ? null : series[daysToMarginCall].date, series };
}

export type WhatIfChange = {
  /** +2,000 = burn 20% faster; −10,000 = no burn at all. */
  burnChangeBps?: number;
  /** −2,000 = the index drops 20% today (the trend then continues from there). */
  indexShockBps?: number;
  /** Cash repaid today: cuts the debt (never below 0) and, pro rata, the daily interest. */
  extraRepaymentMicros?: bigint;
  /** Own credits pledged today: adds to the collateral. */
  extraPledgeMicros?: bigint;
};

export type WhatIfResult = {
  coverageBpsNow: number | null;
  markPpmNow: number;
  daysToMarginCall: number | null;
  marginCallDate: string | null;
  series: ProjectionPoint[];
  /** The same figures without the change, to show the difference. */
  baseline: { coverageBpsNow: number | null; daysToMarginCall: number | null };
};

/**
 * The projection re-run with a change applied today. Roundings lean to the lender: a changed burn
 * rounds UP, a shocked index rounds DOWN, the daily interest left after a repayment rounds UP
 * (⌈interest × debt after / debt before⌉).
 */
export function whatIf(base: ProjectionInput, change: WhatIfChange): WhatIfResult {
  const burnChange = assertBps("burnChangeBps", change.burnChangeBps ?? 0, -Number(BPS_DENOMINATOR));
  const indexShock = assertBps("indexShockBps", change.indexShockBps ?? 0, -Number(BPS_DENOMINATOR));
  const repayment = assertNonNegativeMicros("extraRepaymentMicros", change.extraRepaymentMicros ?? 0n);
  const pledge = assertNonNegativeMicros("extraPledgeMicros", change.extraPledgeMicros ?? 0n);

  const debtBefore = assertNonNegativeMicros("debtMicros", base.debtMicros);
  const debtAfter = repayment < debtBefore ? debtBefore - repayment : 0n;
  const interestAfter = debtBefore === 0n ? base.interestMicrosPerDay : ceilDiv(assertNonNegativeMicros("interestMicrosPerDay", base.interestMicrosPerDay) * debtAfter, debtBefore);

  const baseline = projectDaysToMarginCall(base);
  const changed = projectDaysToMarginCall({
    ...base,
    burnMicrosPerDay: mulBps(assertNonNegativeMicros("burnMicrosPerDay", base.burnMicrosPerDay), BPS_DENOMINATOR + burnChange, "up"),
    indexNowMicros: mulBps(assertNonNegativeMicros("indexNowMicros", base.indexNowMicros), BPS_DENOMINATOR + indexShock, "down"),
    debtMicros: debtAfter,
    interestMicrosPerDay: interestAfter,
    collateralMicros: assertNonNegativeMicros("collateralMicros", base.collateralMicros) + pledge,
  });
  return {
    coverageBpsNow: changed.series[0].coverageBps,
    markPpmNow: changed.series[0].markPpm,
    daysToMarginCall: changed.daysToMarginCall,
    marginCallDate: changed.marginCallDate,
    series: changed.series,
    baseline: { coverageBpsNow: baseline.series[0].coverageBps, daysToMarginCall: baseline.daysToMarginCall },
  };
}

/**
 * The 7-day burn: the average of the last 7 daily spends (oldest first, one entry per day, days
 * without spend as 0n), rounded UP. With fewer than 7 days of history, the average of what there
 * is; none = 0.
 */
export function sevenDayBurnMicrosPerDay(dailySpendMicros: readonly bigint[]): bigint {
  const lastWeek = dailySpendMicros.slice(-7);
  if (lastWeek.length === 0) return 0n;
  const total = lastWeek.reduce((sum, spend) => sum + assertNonNegativeMicros("daily spend", spend), 0n);
  return ceilDiv(total, BigInt(lastWeek.length));
}
