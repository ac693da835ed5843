// A lender's book at one instant (the Portfolio page): totals, debt-weighted coverage, the
// expected recovery of selling every loan's collateral at the mark, where the book sits between
// the thresholds, and which loans need the analyst today. Pure: the caller passes each open
// loan's figures (collateral, its value at the loan's exact mark, debt, coverage) as computed for
// that loan, so the book adds up exactly what each loan shows.

import { DEFAULT_EARLY_WARNING_BPS, DEFAULT_LIQUIDATION_BPS, DEFAULT_MAINTENANCE_BPS } from "../alerts/kinds";
import { floorDiv } from "../money";
import { assertBps, assertNonNegativeMicros } from "./checks";
import { MAX_COVERAGE_BPS } from "./coverage";
import { DAY_MS, dayNumber, utcDay } from "./days";

/** The open loans' states that need the analyst, plus EARLY_WARNING (an ACTIVE loan below its highest early-warning level). */
export const WATCH_STATUSES = ["EARLY_WARNING", "MARGIN_CALL", "DELINQUENT", "FROZEN"] as const;
export type WatchStatus = (typeof WATCH_STATUSES)[number];

export type PortfolioLoanFigures = {
  state: string;
  debtMicros: bigint;
  collateralMicros: bigint;
  /** ⌊collateral × mark⌋ at the loan's own (exact) mark: what selling it all would raise. */
  collateralValueMicros: bigint;
  /** The loan's coverage as shown; null = infinite (no debt). */
  coverageBps: number | null;
  /** The loan's early-warning levels (any order). */
  earlyWarningBps: readonly number[];
};

/**
 * What the analyst should know about an open loan at a glance: its state, except that an ACTIVE
 * loan whose coverage is below its highest early-warning level is EARLY_WARNING. A loan with
 * infinite coverage (no debt) or no early-warning level is never one.
 */
export function watchStatusOf(loan: Pick<PortfolioLoanFigures, "state" | "coverageBps" | "earlyWarningBps">): string {
  if (loan.state !== "ACTIVE" || loan.coverageBps === null || loan.earlyWarningBps.length === 0) return loan.state;
  const highest = Math.max(...loan.earlyWarningBps.map((bps) => Number(assertBps("earlyWarningBps", bps))));
  return loan.coverageBps < highest ? "EARLY_WARNING" : loan.state;
}

export type PortfolioSummary = {
  openLoans: number;
  /** Σ debt (principal outstanding + interest accrued to now). */
  totalDebtMicros: bigint;
  /** Σ collateral credits at face value. */
  collateralMicros: bigint;
  /** Σ ⌊collateral × mark⌋ per loan: what the collateral is worth at today's mark. */
  collateralValueMicros: bigint;
  /**
   * Σ(coverage × debt) / Σ debt over the loans with debt, each loan's coverage as shown, in bps,
   * rounded down once; null when no loan has debt (infinite). A loan weighs what it owes.
   */
  debtWeightedCoverageBps: number | null;
  /** Σ min(debt, ⌊collateral × mark⌋) per loan: selling all the collateral at the mark, proceeds capped at what is owed. */
  expectedRecoveryMicros: bigint;
  /** Σ max(0, debt − ⌊collateral × mark⌋): what the collateral would not cover at the mark. */
  uncoveredDebtMicros: bigint;
  loansByWatchStatus: Record<WatchStatus, number>;
};

/** Totals over open loans (pass only open loans: a closed loan has no collateral or live debt). */
export function summarisePortfolio(loans: readonly PortfolioLoanFigures[]): PortfolioSummary {
  let totalDebtMicros = 0n;
  let collateralMicros = 0n;
  let collateralValueMicros = 0n;
  let expectedRecoveryMicros = 0n;
  let uncoveredDebtMicros = 0n;
  // Σ coverage × debt (bps × µUSD) over loans with debt, and their Σ debt: the weighted mean's exact terms.
  let weightedCoverage = 0n;
  let weightedDebt = 0n;
  const loansByWatchStatus: Record<WatchStatus, number> = { EARLY_WARNING: 0, MARGIN_CALL: 0, DELINQUENT: 0, FROZEN: 0 };
  for (const loan of loans) {
    const debt = assertNonNegativeMicros("debtMicros", loan.debtMicros);
    const collateral = assertNonNegativeMicros("collateralMicros", loan.collateralMicros);
    const value = assertNonNegativeMicros("collateralValueMicros", loan.collateralValueMicros);
    if (value > collateral) throw new RangeError(`collateralValueMicros (${value}) cannot exceed the collateral (${collateral}): credits are never worth more than par.`);
    totalDebtMicros += debt;
    collateralMicros += collateral;
    collateralValueMicros += value;
    expectedRecoveryMicros += value < debt ? value : debt;
    uncoveredDebtMicros += value < debt ? debt - value : 0n;
    if (debt > 0n) {
      if (loan.coverageBps === null) throw new RangeError("A loan with debt has a finite coverage; null means no debt.");
      weightedCoverage += BigInt(assertBps("coverageBps", loan.coverageBps)) * debt;
      weightedDebt += debt;
    }
    const status = watchStatusOf(loan);
    if ((WATCH_STATUSES as readonly string[]).includes(status)) loansByWatchStatus[status as WatchStatus] += 1;
  }
  // A mean of capped coverages is itself at most the cap.
  const weighted = weightedDebt === 0n ? null : floorDiv(weightedCoverage, weightedDebt);
  const debtWeightedCoverageBps = weighted === null ? null : Number(weighted > BigInt(MAX_COVERAGE_BPS) ? BigInt(MAX_COVERAGE_BPS) : weighted);
  return {
    openLoans: loans.length,
    totalDebtMicros,
    collateralMicros,
    collateralValueMicros,
    debtWeightedCoverageBps,
    expectedRecoveryMicros,
    uncoveredDebtMicros,
    loansByWatchStatus,
  };
}

// ───────────────────────────── Coverage distribution ─────────────────────────────

export type CoverageZone = "liquidation" | "margin-call" | "early-warning" | "healthy";

export type CoverageBand = {
  /** Inclusive lower edge, bps. */
  fromBps: number;
  /** Exclusive upper edge, bps; null = no upper edge (infinite coverage included). */
  toBps: number | null;
  /** Where the band sits against the thresholds: below liquidation, below maintenance, below the highest early warning, or above. */
  zone: CoverageZone;
};

export type BandThresholds = { liquidationBps: number; maintenanceBps: number; earlyWarningBps: readonly number[] };

export const DEFAULT_BAND_THRESHOLDS: BandThresholds = {
  liquidationBps: DEFAULT_LIQUIDATION_BPS,
  maintenanceBps: DEFAULT_MAINTENANCE_BPS,
  earlyWarningBps: DEFAULT_EARLY_WARNING_BPS,
};

/** Edges besides the thresholds: 100% (under water) and the usual steps of a healthy book. */
const FIXED_EDGES_BPS = [10_000, 15_000, 17_500, 20_000];

/**
 * Bands from 0 to ∞ whose edges are 100%, 150%, 175%, 200% and every threshold, so no band
 * straddles one: [0, 100%), [100%, 110%), [110%, 125%), [125%, 130%), [130%, 140%), [140%, 150%),
 * [150%, 175%), [175%, 200%), [200%, ∞) with the default thresholds.
 */
export function coverageBands(thresholds: BandThresholds = DEFAULT_BAND_THRESHOLDS): CoverageBand[] {
  const liquidation = Number(assertBps("liquidationBps", thresholds.liquidationBps));
  const maintenance = Number(assertBps("maintenanceBps", thresholds.maintenanceBps));
  const warnings = thresholds.earlyWarningBps.map((bps) => Number(assertBps("earlyWarningBps", bps)));
  const highestWarning = Math.max(maintenance, ...warnings);
  const edges = [...new Set([0, ...FIXED_EDGES_BPS, liquidation, maintenance, ...warnings])].sort((a, b) => a - b);
  return edges.map((fromBps, i) => {
    const toBps = i + 1 < edges.length ? edges[i + 1] : null;
    const top = toBps ?? Infinity;
    const zone: CoverageZone = top <= liquidation ? "liquidation" : top <= maintenance ? "margin-call" : top <= highestWarning ? "early-warning" : "healthy";
    return { fromBps, toBps, zone };
  });
}

export type CoverageBandTotal = CoverageBand & { loans: number; debtMicros: bigint };

/** How many loans, and how much debt, sit in each band (null coverage = infinite = the top band). */
export function coverageDistribution(loans: readonly Pick<PortfolioLoanFigures, "coverageBps" | "debtMicros">[], bands: readonly CoverageBand[] = coverageBands()): CoverageBandTotal[] {
  const totals = bands.map((band) => ({ ...band, loans: 0, debtMicros: 0n }));
  for (const loan of loans) {
    const coverage = loan.coverageBps === null ? Infinity : Number(assertBps("coverageBps", loan.coverageBps));
    const band = totals.find((b) => coverage >= b.fromBps && (b.toBps === null || coverage < b.toBps));
    if (!band) throw new RangeError(`No band holds coverage ${coverage} bps; bands must start at 0 and end open.`);
    band.loans += 1;
    band.debtMicros += assertNonNegativeMicros("debtMicros", loan.debtMicros);
  }
  return totals;
}

// ───────────────────────────── Daily series ─────────────────────────────

/**
 * A day-by-day spend series as `sevenDayBurnMicrosPerDay` takes it: the `days` complete UTC days
 * before `now`'s day (oldest first; days without spend are 0n), starting no earlier than the day
 * of `since` (a loan's activation). Same window as the coverage engine's burn alert. Built once per
 * `now` for a whole book (the day keys are computed once).
 */
export function recentDailySeriesWindow(now: Date, days = 7): (spendByDay: ReadonlyMap<string, bigint>, since?: Date | null) => bigint[] {
  const today = dayNumber(utcDay(now));
  const window = Array.from({ length: days }, (_, i) => ({ day: today - days + i, key: utcDay((today - days + i) * DAY_MS) }));
  return (spendByDay, since) => {
    // since's UTC day number, as dayNumber(utcDay(since)) without a string round trip per loan.
    const sinceMs = since ? since.getTime() : -Infinity;
    if (Number.isNaN(sinceMs)) throw new RangeError("since must be a valid Date.");
    const firstDay = Math.floor(sinceMs / DAY_MS);
    const series: bigint[] = [];
    for (const entry of window) if (entry.day >= firstDay) series.push(spendByDay.get(entry.key) ?? 0n);
    return series;
  };
}

export function recentDailySeries(spendByDay: ReadonlyMap<string, bigint>, input: { now: Date; days?: number; since?: Date | null }): bigint[] {
  return recentDailySeriesWindow(input.now, input.days)(spendByDay, input.since);
}
