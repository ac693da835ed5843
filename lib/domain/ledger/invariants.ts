import { ACCOUNT_TYPES, isAccountType } from "./accounts";

export type ViolationCode = "UNBALANCED_TRANSFER" | "BALANCE_MISMATCH" | "NEGATIVE_BALANCE" | "LOTS_MISMATCH_SPENDABLE" | "LOTS_MISMATCH_FROZEN" | "RECEIVABLE_MISMATCH";
export type Violation = { code: ViolationCode; message: string; subjectId: string };

export type LedgerSnapshot = {
  accounts: { id: string; type: string; asset: string; orgId: string | null; balanceMicros: bigint }[];
  entrySumByAccountId: Map<string, bigint>;
  transfers: { id: string; entrySumMicros: bigint; entryCount: number }[];
  lotsByOrgId: Map<string, { remainingMicros: bigint; frozenMicros: bigint }[]>;
  /**
   * Loans whose disbursement is on the ledger (they have a LOAN_RECEIVABLE account): the lender's
   * claim must equal the principal the loan says is outstanding — payments take repaid principal out
   * of it, a liquidation's loss writes the rest off.
   */
  loanReceivables?: { loanId: string; reference: string; principalOutstandingMicros: bigint; receivableMicros: bigint }[];
};

type StartupTotals = { spendablePlusHeldMicros: bigint; frozenMicros: bigint };

/**
 * DESIGN.md's ledger invariants over one consistent snapshot; [] means healthy. Each violation
 * names its account, transfer or organisation and both numbers, so the admin health page can show
 * it as is.
 */
export function checkLedgerInvariants(snapshot: LedgerSnapshot): Violation[] {
  const violations: Violation[] = [];

  for (const transfer of snapshot.transfers) {
    if (transfer.entryCount !== 2 || transfer.entrySumMicros !== 0n) {
      violations.push({
        code: "UNBALANCED_TRANSFER",
        subjectId: transfer.id,
        message: `Transfer ${transfer.id} has ${transfer.entryCount} entries summing to ${transfer.entrySumMicros} µUSD; expected 2 entries summing to 0 µUSD.`,
      });
    }
  }

  const accountIds = new Set<string>();
  const startupTotalsByOrgId = new Map<string, StartupTotals>();
  for (const account of snapshot.accounts) {
    accountIds.add(account.id);
    const label = `Account ${account.type} ${account.id}`;
    const entrySumMicros = snapshot.entrySumByAccountId.get(account.id) ?? 0n;
    if (entrySumMicros !== account.balanceMicros) {
      violations.push({
        code: "BALANCE_MISMATCH",
        subjectId: account.id,
        message: `${label} shows a balance of ${account.balanceMicros} µUSD but its entries sum to ${entrySumMicros} µUSD.`,
      });
    }
    // An unknown type gets no licence to go negative.
    const mayGoNegative = isAccountType(account.type) && ACCOUNT_TYPES[account.type].mayGoNegative;
    if (account.balanceMicros < 0n && !mayGoNegative) {
      violations.push({ code: "NEGATIVE_BALANCE", subjectId: account.id, message: `${label} is at ${account.balanceMicros} µUSD, below its floor of 0 µUSD.` });
    }
    if (account.orgId !== null && (account.type === "STARTUP_SPENDABLE" || account.type === "STARTUP_HELD" || account.type === "STARTUP_FROZEN")) {
      const totals = startupTotalsByOrgId.get(account.orgId) ?? { spendablePlusHeldMicros: 0n, frozenMicros: 0n };
      // Summed rather than overwritten, in case an org ever has several accounts of one type.
      if (account.type === "STARTUP_FROZEN") totals.frozenMicros += account.balanceMicros;
      else totals.spendablePlusHeldMicros += account.balanceMicros;
      startupTotalsByOrgId.set(account.orgId, totals);
    }
  }

  // Entries posted to an account the snapshot does not know are money nobody's balance shows.
  for (const [accountId, entrySumMicros] of snapshot.entrySumByAccountId) {
    if (!accountIds.has(accountId) && entrySumMicros !== 0n) {
      violations.push({
        code: "BALANCE_MISMATCH",
        subjectId: accountId,
        message: `Account ${accountId} is missing from the snapshot (balance 0 µUSD) but its entries sum to ${entrySumMicros} µUSD.`,
      });
    }
  }

  const orgIds = [...new Set([...startupTotalsByOrgId.keys(), ...snapshot.lotsByOrgId.keys()])].sort();
  for (const orgId of orgIds) {
    const lots = snapshot.lotsByOrgId.get(orgId) ?? [];
    const totals = startupTotalsByOrgId.get(orgId) ?? { spendablePlusHeldMicros: 0n, frozenMicros: 0n };
    const lotUnfrozenMicros = lots.reduce((sum, lot) => sum + lot.remainingMicros - lot.frozenMicros, 0n);
    const lotFrozenMicros = lots.reduce((sum, lot) => sum + lot.frozenMicros, 0n);
    if (lotUnfrozenMicros !== totals.spendablePlusHeldMicros) {
      violations.push({
        code: "LOTS_MISMATCH_SPENDABLE",
        subjectId: orgId,
        message: `Organisation ${orgId}: its lots hold ${lotUnfrozenMicros} µUSD unfrozen but STARTUP_SPENDABLE + STARTUP_HELD is ${totals.spendablePlusHeldMicros} µUSD.`,
      });
    }
    if (lotFrozenMicros !== totals.frozenMicros) {
      violations.push({
        code: "LOTS_MISMATCH_FROZEN",
        subjectId: orgId,
        message: `Organisation ${orgId}: its lots hold ${lotFrozenMicros} µUSD frozen but STARTUP_FROZEN is ${totals.frozenMicros} µUSD.`,
      });
    }
  }

  for (const loan of snapshot.loanReceivables ?? []) {
    if (loan.receivableMicros !== loan.principalOutstandingMicros) {
      violations.push({
        code: "RECEIVABLE_MISMATCH",
        subjectId: loan.loanId,
        message: `Loan ${loan.reference}: LOAN_RECEIVABLE is ${loan.receivableMicros} µUSD but the principal outstanding is ${loan.principalOutstandingMicros} µUSD.`,
      });
    }
  }
  return violations;
}
