import "@/lib/server/server-only";
import { accrueInterest } from "@/lib/domain/loans/schedule";
import { coverageBps as computeCoverageBps, markRatio, markRatioToPpm, parMarkRatio, protectiveFreezeMicros, type MarkRatio } from "@/lib/domain/valuation";
import type { Db, DbTx } from "@/lib/server/db/client";
import type { LoanRow } from "./transition";

/**
 * A loan's numbers at one instant, read from the database and computed by the pure rules in
 * lib/domain (valuation, schedule): what coverage, alerts, freezes and liquidations decide on.
 */
export type LoanFigures = {
  asOf: Date;
  collateralMicros: bigint;
  frozenCollateralMicros: bigint;
  principalOutstandingMicros: bigint;
  /** Accrued through `asOf`: the stored accrual plus what accrued since it. */
  interestAccruedMicros: bigint;
  /** The sub-µUSD carry after accruing through `asOf` (1/3,650,000 µUSD). */
  interestCarry: bigint;
  debtMicros: bigint;
  indexNowMicros: bigint | null;
  /** The exact mark (what 1 µUSD of credits is worth): every decision and amount uses it. */
  mark: MarkRatio;
  /** The mark in ppm, rounded down once: for display, snapshots and the wire, never for a decision. */
  markPpm: number;
  /** null = infinite (no debt). Computed from the exact mark, rounded down once. */
  coverageBps: number | null;
};

/** The latest GPU index fix on or before `now`'s UTC day. */
export async function indexFixOn(db: Db | DbTx, now: Date): Promise<bigint | null> {
  const fix = await db.gpuIndexFix.findFirst({ where: { day: { lte: now.toISOString().slice(0, 10) } }, orderBy: { day: "desc" }, select: { priceMicrosPerGpuHour: true } });
  return fix?.priceMicrosPerGpuHour ?? null;
}

/** Interest from the last stored accrual to `now` (nothing before activation, nothing on a closed loan). */
export function accrualSince(loan: LoanRow, now: Date) {
  const from = loan.interestAccruedThrough ?? loan.activatedAt;
  if (!from || loan.aprBps === null || loan.principalOutstandingMicros === 0n || now <= from) return { interestMicros: 0n, remainder: loan.interestCarry, days: 0 };
  return accrueInterest({ principalOutstandingMicros: loan.principalOutstandingMicros, aprBps: loan.aprBps, from, to: now, remainder: loan.interestCarry });
}

export async function loadLoanFigures(db: Db | DbTx, loan: LoanRow, now: Date, options: { indexNowMicros?: bigint | null } = {}): Promise<LoanFigures> {
  const lots = await db.creditLot.findMany({ where: { loanId: loan.id, kind: { in: ["FINANCED", "PLEDGED"] } }, select: { remainingMicros: true, frozenMicros: true } });
  const collateralMicros = lots.reduce((sum, lot) => sum + lot.remainingMicros, 0n);
  const frozenCollateralMicros = lots.reduce((sum, lot) => sum + lot.frozenMicros, 0n);
  const accrual = accrualSince(loan, now);
  const interestAccruedMicros = loan.interestAccruedMicros + accrual.interestMicros;
  const debtMicros = loan.principalOutstandingMicros + interestAccruedMicros;
  const indexNowMicros = options.indexNowMicros !== undefined ? options.indexNowMicros : await indexFixOn(db, now);
  const mark = loanMark(loan, indexNowMicros);
  return {
    asOf: now,
    collateralMicros,
    frozenCollateralMicros,
    principalOutstandingMicros: loan.principalOutstandingMicros,
    interestAccruedMicros,
    interestCarry: accrual.remainder,
    debtMicros,
    indexNowMicros,
    mark,
    markPpm: markRatioToPpm(mark),
    coverageBps: computeCoverageBps({ collateralMicros, mark, debtMicros }),
  };
}

/** The loan's exact mark at an index fix; without an origination index (or any fix yet) credits are valued at par less the fee. */
export function loanMark(loan: Pick<LoanRow, "indexAtOriginationMicros" | "redistributionFeeBps">, indexNowMicros: bigint | null): MarkRatio {
  return indexNowMicros !== null && loan.indexAtOriginationMicros
    ? markRatio({ indexNowMicros, indexAtOriginationMicros: loan.indexAtOriginationMicros, redistributionFeeBps: loan.redistributionFeeBps })
    : parMarkRatio(loan.redistributionFeeBps);
}

/**
 * When the cure window ends, as of `now`: an open margin call's deadline (never before `now`), else
 * a window of `cureWindowHours` opening now — what a margin call opened by this coverage would get.
 */
export function cureWindowEndsAt(loan: Pick<LoanRow, "marginCallAt" | "cureDeadline" | "cureWindowHours">, now: Date): Date {
  if (loan.marginCallAt && loan.cureDeadline) return loan.cureDeadline > now ? loan.cureDeadline : now;
  return new Date(now.getTime() + loan.cureWindowHours * 3_600_000);
}

/**
 * The debt at `at` (≥ the figures' instant) with interest accrued as the loan accrues it (whole UTC
 * days, the sub-µUSD carry kept): what the loan will owe then if nothing is paid.
 */
export function debtAtMicros(loan: LoanRow, at: Date): bigint {
  const accrual = accrualSince(loan, at);
  return loan.principalOutstandingMicros + loan.interestAccruedMicros + accrual.interestMicros;
}

/** Writes the accrual through `now` onto the loan (before a payment, and by the daily monitor). */
export async function persistAccrual(tx: DbTx, loan: LoanRow, now: Date): Promise<LoanRow> {
  const accrual = accrualSince(loan, now);
  if (accrual.days === 0) return loan;
  return tx.loan.update({
    where: { id: loan.id },
    data: { interestAccruedMicros: { increment: accrual.interestMicros }, interestCarry: accrual.remainder, interestAccruedThrough: now },
  });
}

export type ProtectiveFreeze = {
  /** min(C, ⌈debt_T × maintenance / mark⌉): the credits whose value covers debt_T at maintenance. */
  amountMicros: bigint;
  /** debt_T: the debt projected with interest to the end of the cure window. */
  debtAtCureEndMicros: bigint;
  cureWindowEndsAt: Date;
};

/**
 * The protective freeze amount (DESIGN.md, "Freeze"), with the exact mark and the debt projected to
 * the end of the cure window, so the frozen credits alone still cover maintenance when it closes.
 */
export function protectiveFreezeFor(loan: LoanRow, figures: LoanFigures): ProtectiveFreeze {
  const cureEnd = cureWindowEndsAt(loan, figures.asOf);
  const debtAtCureEndMicros = debtAtMicros(loan, cureEnd);
  return {
    amountMicros: protectiveFreezeMicros({ collateralMicros: figures.collateralMicros, debtMicros: debtAtCureEndMicros, maintenanceBps: loan.maintenanceCoverageBps, mark: figures.mark }),
    debtAtCureEndMicros,
    cureWindowEndsAt: cureEnd,
  };
}
