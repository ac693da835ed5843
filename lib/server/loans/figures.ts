import "@/lib/server/server-only";
import { accrueInterest } from "@/lib/domain/loans/schedule";
import { coverageBps as computeCoverageBps, markPpm as computeMarkPpm, PAR_PPM } from "@/lib/domain/valuation";
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
  markPpm: number;
  /** null = infinite (no debt). */
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
  // Without an origination index (or any fix yet) credits are valued at par less the fee.
  const markPpm =
    indexNowMicros !== null && loan.indexAtOriginationMicros
      ? computeMarkPpm({ indexNowMicros, indexAtOriginationMicros: loan.indexAtOriginationMicros, redistributionFeeBps: loan.redistributionFeeBps })
      : Number((BigInt(PAR_PPM) * BigInt(10_000 - loan.redistributionFeeBps)) / 10_000n);
  return {
    asOf: now,
    collateralMicros,
    frozenCollateralMicros,
    principalOutstandingMicros: loan.principalOutstandingMicros,
    interestAccruedMicros,
    interestCarry: accrual.remainder,
    debtMicros,
    indexNowMicros,
    markPpm,
    coverageBps: computeCoverageBps({ collateralMicros, markPpm, debtMicros }),
  };
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
