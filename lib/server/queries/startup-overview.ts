import "@/lib/server/server-only";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { microsToString } from "@/lib/domain/money";
import {
  addDays,
  burnFigures,
  DayRangeError,
  parseDayRange,
  runway,
  spendBreakdown,
  stackedBurnSeries,
  type DayRange,
  type RangeInput,
  type SpendRow,
  type StackedBurn,
  type UsageRollupRow,
} from "@/lib/domain/startup/burn";
import { cureOptions } from "@/lib/domain/startup/cure";
import { utcDay } from "@/lib/domain/valuation/days";
import type { Db } from "@/lib/server/db/client";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { loadLoanFigures } from "@/lib/server/loans/figures";
import { ownPledgeableMicros } from "@/lib/server/loans/queries";
import { serializeBalances, type CreditBalancesDto } from "./serialize";

// The startup's home (/startup): balances, burn and runway, the loan's state with what cures a
// margin call, the burn chart and the spend tables. Everything is read from the ledger, the loan
// and the UsageDaily rollups — never by scanning usage events — so it stays fast at millions of
// requests. `getStartupLive` is the part that polls (GET /api/startup/live).

/** Series the burn chart draws at most (the chart's five colours); smaller spenders fold into "Other". */
const CHART_SERIES = 5;
const ROLLUP_SELECT = { day: true, modelSlug: true, providerSlug: true, requests: true, inputTokens: true, outputTokens: true, costMicros: true } as const;

/** What cures an open margin call, money as strings of µUSD. */
export type CureDto = { targetBps: number; repayMicros: string; pledgeMicros: string | null; pledgeFromOwnMicros: string; buyMicros: string };

export type LiveLoanDto = {
  id: string;
  reference: string;
  state: string;
  lenderName: string | null;
  /** null = infinite (no debt). Live: from today's figures, not the last snapshot. */
  coverageBps: number | null;
  maintenanceBps: number;
  debtMicros: string;
  collateralMicros: string;
  frozenCollateralMicros: string;
  /** An open margin call (MARGIN_CALL, or FROZEN with the call still open). */
  marginCall: { openedAt: string; deadline: string; cure: CureDto } | null;
  /** The latest freeze of a FROZEN loan, with the lender's reason. */
  freeze: { at: string; reason: string; mode: string; byLender: boolean } | null;
};

export type LiveOverviewDto = {
  asOf: string;
  today: string;
  balances: CreditBalancesDto;
  /** Collateral: the unspent credits of the loan's FINANCED and PLEDGED lots (frozen included). */
  collateralMicros: string;
  /** Own credits outside any loan that can be spent or pledged now. */
  ownCreditsMicros: string;
  burnTodayMicros: string;
  burnAvg7Micros: string;
  burnAvg30Micros: string;
  /** Runway at the 7-day burn, from spendable credits; null = nothing burns. */
  runwayDays: number | null;
  runsOutOn: string | null;
  /** The open loan, else the latest application waiting on a decision, else null. */
  loan: LiveLoanDto | null;
};

async function liveLoan(db: Db, orgId: string, now: Date, ownMicros: bigint): Promise<LiveLoanDto | null> {
  const loan =
    (await db.loan.findFirst({ where: { startupOrgId: orgId, state: { in: [...OPEN_LOAN_STATES] } }, orderBy: { createdAt: "desc" }, include: { lender: { select: { name: true } } } })) ??
    (await db.loan.findFirst({ where: { startupOrgId: orgId, state: "SUBMITTED" }, orderBy: { createdAt: "desc" }, include: { lender: { select: { name: true } } } }));
  if (!loan) return null;
  const isOpen = (OPEN_LOAN_STATES as readonly string[]).includes(loan.state);
  const [figures, lastFreeze] = await Promise.all([
    isOpen ? loadLoanFigures(db, loan, now) : null,
    loan.state === "FROZEN" ? db.freezeEvent.findFirst({ where: { loanId: loan.id, action: "FREEZE" }, orderBy: { committedAt: "desc" }, select: { committedAt: true, reason: true, mode: true, actorKind: true } }) : null,
  ]);
  let marginCall: LiveLoanDto["marginCall"] = null;
  if (figures && loan.marginCallAt && loan.cureDeadline) {
    const cure = cureOptions({ collateralMicros: figures.collateralMicros, debtMicros: figures.debtMicros, mark: figures.mark, maintenanceBps: loan.maintenanceCoverageBps, ownPledgeableMicros: ownMicros });
    marginCall = {
      openedAt: loan.marginCallAt.toISOString(),
      deadline: loan.cureDeadline.toISOString(),
      cure: {
        targetBps: cure.targetBps,
        repayMicros: microsToString(cure.repayMicros),
        pledgeMicros: cure.pledgeMicros === null ? null : microsToString(cure.pledgeMicros),
        pledgeFromOwnMicros: microsToString(cure.pledgeFromOwnMicros),
        buyMicros: microsToString(cure.buyMicros),
      },
    };
  }
  return {
    id: loan.id,
    reference: loan.reference,
    state: loan.state,
    lenderName: loan.lender?.name ?? null,
    coverageBps: figures ? figures.coverageBps : null,
    maintenanceBps: loan.maintenanceCoverageBps,
    debtMicros: microsToString(figures?.debtMicros ?? 0n),
    collateralMicros: microsToString(figures?.collateralMicros ?? 0n),
    frozenCollateralMicros: microsToString(figures?.frozenCollateralMicros ?? 0n),
    marginCall,
    freeze: lastFreeze ? { at: lastFreeze.committedAt.toISOString(), reason: lastFreeze.reason, mode: lastFreeze.mode, byLender: lastFreeze.actorKind !== "system" } : null,
  };
}

/** The figures that poll: balances, burn, runway and the loan's state (GET /api/startup/live). */
export async function getStartupLive(db: Db, orgId: string, now: Date): Promise<LiveOverviewDto> {
  const today = utcDay(now);
  const [balances, own, rows] = await Promise.all([
    getCreditBalances(db, orgId),
    ownPledgeableMicros(db, orgId),
    db.usageDaily.findMany({ where: { orgId, day: { gte: addDays(today, -30), lte: today } }, select: { day: true, costMicros: true } }),
  ]);
  const burn = burnFigures(rows, today);
  const run = runway(balances.spendableMicros, burn.avg7Micros, today);
  return {
    asOf: now.toISOString(),
    today,
    balances: serializeBalances(balances),
    collateralMicros: microsToString(balances.financedMicros + balances.pledgedMicros),
    ownCreditsMicros: microsToString(own),
    burnTodayMicros: microsToString(burn.todayMicros),
    burnAvg7Micros: microsToString(burn.avg7Micros),
    burnAvg30Micros: microsToString(burn.avg30Micros),
    runwayDays: run.days,
    runsOutOn: run.runsOutOn,
    loan: await liveLoan(db, orgId, now, own),
  };
}

export type StackedBurnDto = {
  keys: string[];
  totalMicros: string;
  points: { day: string; byKey: Record<string, string>; totalMicros: string; avg7Micros: string; avg30Micros: string }[];
};
export type SpendRowDto = { key: string; requests: number; inputTokens: string; outputTokens: string; costMicros: string; shareBps: number };
export type ApiKeySpendDto = { id: string; name: string; prefix: string; spentMicros: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export type BurnRangeDto = {
  range: Pick<DayRange, "start" | "end" | "days" | "preset">;
  /** Why the asked-for range was not used (the default is shown instead); null when it was fine. */
  rangeError: { field: string; message: string } | null;
  byModel: StackedBurnDto;
  byProvider: StackedBurnDto;
  spendByModel: SpendRowDto[];
  spendByProvider: SpendRowDto[];
  /** Per key, the key's running total since it was created (ApiKey.spentMicros): the rollups have no key column. */
  apiKeys: ApiKeySpendDto[];
};

function serializeStacked(chart: StackedBurn): StackedBurnDto {
  return {
    keys: chart.keys,
    totalMicros: microsToString(chart.totalMicros),
    points: chart.points.map((point) => ({
      day: point.day,
      byKey: Object.fromEntries(Object.entries(point.byKey).map(([key, micros]) => [key, microsToString(micros)])),
      totalMicros: microsToString(point.totalMicros),
      avg7Micros: microsToString(point.avg7Micros),
      avg30Micros: microsToString(point.avg30Micros),
    })),
  };
}

function serializeSpend(rows: SpendRow[]): SpendRowDto[] {
  return rows.map((row) => ({ ...row, inputTokens: row.inputTokens.toString(), outputTokens: row.outputTokens.toString(), costMicros: microsToString(row.costMicros) }));
}

/** The range from the query string, or the default with the reason when it is not a valid range. */
export function resolveDayRange(input: RangeInput, today: string): { range: DayRange; rangeError: BurnRangeDto["rangeError"] } {
  try {
    return { range: parseDayRange(input, today), rangeError: null };
  } catch (error) {
    if (!(error instanceof DayRangeError)) throw error;
    return { range: parseDayRange({}, today), rangeError: { field: error.field, message: error.message } };
  }
}

/**
 * The burn chart (both stackings, so the toggle needs no request), spend by model, provider and
 * key for a range: one read of the org's rollups from 29 days before the range (the trailing
 * 30-day average) to its end — at most 395 days × models × providers rows.
 */
export async function getStartupBurn(db: Db, orgId: string, now: Date, input: RangeInput): Promise<BurnRangeDto> {
  const { range, rangeError } = resolveDayRange(input, utcDay(now));
  const [rows, keys] = await Promise.all([
    db.usageDaily.findMany({ where: { orgId, day: { gte: addDays(range.start, -29), lte: range.end } }, select: ROLLUP_SELECT, orderBy: { day: "asc" } }) as Promise<UsageRollupRow[]>,
    db.apiKey.findMany({ where: { orgId }, orderBy: [{ spentMicros: "desc" }, { createdAt: "asc" }], select: { id: true, name: true, prefix: true, spentMicros: true, createdAt: true, lastUsedAt: true, revokedAt: true } }),
  ]);
  return {
    range: { start: range.start, end: range.end, days: range.days, preset: range.preset },
    rangeError,
    byModel: serializeStacked(stackedBurnSeries(rows, range, "model", CHART_SERIES)),
    byProvider: serializeStacked(stackedBurnSeries(rows, range, "provider", CHART_SERIES)),
    spendByModel: serializeSpend(spendBreakdown(rows, range, "model")),
    spendByProvider: serializeSpend(spendBreakdown(rows, range, "provider")),
    apiKeys: keys.map((key) => ({
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      spentMicros: microsToString(key.spentMicros),
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    })),
  };
}
