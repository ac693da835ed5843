import "@/lib/server/server-only";
import { summarizeLedgerChecks, type LedgerCheckResult } from "@/lib/domain/ledger/health-checks";
import { checkLedgerInvariants, type Violation } from "@/lib/domain/ledger/invariants";
import type { Db } from "@/lib/server/db/client";

export type LedgerHealthReport = {
  checkedAt: Date;
  accountCount: number;
  transferCount: number;
  lotCount: number;
  /** Organisations with startup credit balances or lots (what the lot checks compare). */
  creditOrgCount: number;
  /** Loans with a receivable on the ledger (what the receivable check compares). */
  receivableLoanCount: number;
  violations: Violation[];
  durationMs: number;
  /** Balances read in the same snapshot, by account type (meaningful when scoped to one org). */
  balanceByType: Map<string, bigint>;
  /** Balances summed by account type over the whole snapshot. */
  balanceSumByType: Map<string, bigint>;
};

/**
 * Reads the whole ledger (or one organisation's part of it) in one consistent snapshot and checks
 * DESIGN.md's invariants with the pure checker.
 */
export async function checkLedgerHealth(db: Db, scope: { orgId?: string } = {}): Promise<LedgerHealthReport> {
  const startedAt = performance.now();
  const snapshot = await db.$transaction(async (tx) => {
    const accounts = await tx.ledgerAccount.findMany({
      where: scope.orgId ? { orgId: scope.orgId } : undefined,
      select: { id: true, type: true, asset: true, orgId: true, balanceMicros: true, loanId: true },
    });
    const accountIds = accounts.map((a) => a.id);
    const entrySums = await tx.ledgerEntry.groupBy({
      by: ["accountId"],
      where: scope.orgId ? { accountId: { in: accountIds } } : undefined,
      _sum: { amountMicros: true },
    });
    const transferSums = await tx.ledgerEntry.groupBy({
      by: ["transferId"],
      where: scope.orgId ? { transfer: { orgId: scope.orgId } } : undefined,
      _sum: { amountMicros: true },
      _count: { _all: true },
    });
    const lots = await tx.creditLot.findMany({
      where: scope.orgId ? { orgId: scope.orgId } : undefined,
      select: { orgId: true, remainingMicros: true, frozenMicros: true },
    });
    // Loan receivables (one account per loan, owned by the lender) next to the loans' own figure;
    // a startup-scoped check has none and costs no extra query.
    const receivables = accounts.filter((account) => account.type === "LOAN_RECEIVABLE" && account.loanId !== null);
    const loans =
      receivables.length === 0
        ? []
        : await tx.loan.findMany({
            where: { id: { in: receivables.map((account) => account.loanId!) } },
            select: { id: true, reference: true, principalOutstandingMicros: true },
          });
    return { accounts, entrySums, transferSums, lots, receivables, loans };
  });
  const loanById = new Map(snapshot.loans.map((loan) => [loan.id, loan]));
  const lotsByOrgId = new Map<string, { remainingMicros: bigint; frozenMicros: bigint }[]>();
  for (const lot of snapshot.lots) {
    const list = lotsByOrgId.get(lot.orgId) ?? [];
    list.push(lot);
    lotsByOrgId.set(lot.orgId, list);
  }
  const violations = checkLedgerInvariants({
    accounts: snapshot.accounts,
    entrySumByAccountId: new Map(snapshot.entrySums.map((row) => [row.accountId, row._sum.amountMicros ?? 0n])),
    transfers: snapshot.transferSums.map((row) => ({ id: row.transferId, entrySumMicros: row._sum.amountMicros ?? 0n, entryCount: row._count._all })),
    lotsByOrgId,
    loanReceivables: snapshot.receivables.flatMap((account) => {
      const loan = loanById.get(account.loanId!);
      return loan ? [{ loanId: loan.id, reference: loan.reference, principalOutstandingMicros: loan.principalOutstandingMicros, receivableMicros: account.balanceMicros }] : [];
    }),
  });
  return {
    checkedAt: new Date(),
    accountCount: snapshot.accounts.length,
    transferCount: snapshot.transferSums.length,
    lotCount: snapshot.lots.length,
    creditOrgCount: new Set([...lotsByOrgId.keys(), ...snapshot.accounts.filter((account) => account.type.startsWith("STARTUP_") && account.orgId !== null).map((account) => account.orgId!)]).size,
    receivableLoanCount: snapshot.receivables.length,
    violations,
    durationMs: Math.round(performance.now() - startedAt),
    balanceByType: new Map(snapshot.accounts.map((account) => [account.type, account.balanceMicros])),
    balanceSumByType: snapshot.accounts.reduce((sums, account) => sums.set(account.type, (sums.get(account.type) ?? 0n) + account.balanceMicros), new Map<string, bigint>()),
  };
}

/** A health report as the admin page shows it and a scheduled run stores it: plain JSON, amounts as µUSD strings. */
export type LedgerHealthSummary = {
  checkedAt: string;
  durationMs: number;
  isHealthy: boolean;
  violationCount: number;
  counts: { accounts: number; transfers: number; lots: number; creditOrganizations: number; receivableLoans: number };
  /** Where the startups' credits are, summed over every organisation (µUSD). */
  totalsMicros: { spendable: string; held: string; frozen: string; receivable: string };
  checks: LedgerCheckResult[];
};

export function summarizeLedgerHealth(report: LedgerHealthReport): LedgerHealthSummary {
  const sum = (type: string) => (report.balanceSumByType.get(type) ?? 0n).toString();
  return {
    checkedAt: report.checkedAt.toISOString(),
    durationMs: report.durationMs,
    isHealthy: report.violations.length === 0,
    violationCount: report.violations.length,
    counts: { accounts: report.accountCount, transfers: report.transferCount, lots: report.lotCount, creditOrganizations: report.creditOrgCount, receivableLoans: report.receivableLoanCount },
    totalsMicros: { spendable: sum("STARTUP_SPENDABLE"), held: sum("STARTUP_HELD"), frozen: sum("STARTUP_FROZEN"), receivable: sum("LOAN_RECEIVABLE") },
    checks: summarizeLedgerChecks(
      { accountCount: report.accountCount, transferCount: report.transferCount, lotCount: report.lotCount, creditOrgCount: report.creditOrgCount, receivableLoanCount: report.receivableLoanCount },
      report.violations,
    ),
  };
}
