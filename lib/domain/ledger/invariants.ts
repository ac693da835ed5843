import { ACCOUNT_TYPES, isAccountType } from "./accounts";

export type ViolationCode = "UNBALANCED_TRANSFER" | "BALANCE_MISMATCH" | "NEGATIVE_BALANCE" | "LOTS_MISMATCH_SPENDABLE" | "LOTS_MISMATCH_FROZEN";
export type Violation = { code: ViolationCode; message: string; subjectId: string };

export type LedgerSnapshot = {
  accounts: { id: string; type: string; asset: string; orgId: string | null; balanceMicros: bigint }[];
  entrySumByAccountId: Map<string, bigint>;
  transfers: { id: string; entrySumMicros: bigint; entryCount: number }[];
  lotsByOrgId: Map<string, { remainingMicros: bigint; frozenMicros: bigint }[]>;
};

/** DESIGN.md's ledger invariants, over one consistent snapshot. [] means healthy. */
export function checkLedgerInvariants(snapshot: LedgerSnapshot): Violation[] {
  const violations: Violation[] = [];
  for (const transfer of snapshot.transfers) {
    if (transfer.entryCount !== 2 || transfer.entrySumMicros !== 0n) {
      violations.push({
        code: "UNBALANCED_TRANSFER",
        subjectId: transfer.id,
        message: `Transfer ${transfer.id} has ${transfer.entryCount} entries summing to ${transfer.entrySumMicros} µUSD; expected 2 entries summing to 0.`,
      });
    }
  }
  const balances = new Map<string, Map<string, bigint>>();
  for (const account of snapshot.accounts) {
    const entrySum = snapshot.entrySumByAccountId.get(account.id) ?? 0n;
    if (entrySum !== account.balanceMicros) {
      violations.push({
        code: "BALANCE_MISMATCH",
        subjectId: account.id,
        message: `Account ${account.type} ${account.id} shows ${account.balanceMicros} µUSD but its entries sum to ${entrySum} µUSD.`,
      });
    }
    const mayGoNegative = isAccountType(account.type) ? ACCOUNT_TYPES[account.type].mayGoNegative : false;
    if (account.balanceMicros < 0n && !mayGoNegative) {
      violations.push({ code: "NEGATIVE_BALANCE", subjectId: account.id, message: `Account ${account.type} ${account.id} is negative: ${account.balanceMicros} µUSD.` });
    }
    if (account.orgId) {
      const byType = balances.get(account.orgId) ?? new Map<string, bigint>();
      byType.set(account.type, account.balanceMicros);
      balances.set(account.orgId, byType);
    }
  }
  const orgIds = new Set([...snapshot.lotsByOrgId.keys()].concat([...balances.entries()].filter(([, t]) => t.has("STARTUP_SPENDABLE")).map(([orgId]) => orgId)));
  for (const orgId of orgIds) {
    const lots = snapshot.lotsByOrgId.get(orgId) ?? [];
    const byType = balances.get(orgId);
    const unfrozenLots = lots.reduce((sum, lot) => sum + lot.remainingMicros - lot.frozenMicros, 0n);
    const frozenLots = lots.reduce((sum, lot) => sum + lot.frozenMicros, 0n);
    const spendablePlusHeld = (byType?.get("STARTUP_SPENDABLE") ?? 0n) + (byType?.get("STARTUP_HELD") ?? 0n);
    const frozen = byType?.get("STARTUP_FROZEN") ?? 0n;
    if (unfrozenLots !== spendablePlusHeld) {
      violations.push({
        code: "LOTS_MISMATCH_SPENDABLE",
        subjectId: orgId,
        message: `Organisation ${orgId}: unfrozen credits in lots are ${unfrozenLots} µUSD but spendable + held is ${spendablePlusHeld} µUSD.`,
      });
    }
    if (frozenLots !== frozen) {
      violations.push({
        code: "LOTS_MISMATCH_FROZEN",
        subjectId: orgId,
        message: `Organisation ${orgId}: frozen credits in lots are ${frozenLots} µUSD but the frozen balance is ${frozen} µUSD.`,
      });
    }
  }
  return violations;
}
