import { ACCOUNT_TYPES, type AccountType } from "./accounts";

export type LedgerRuleCode = "INVALID_AMOUNT" | "SAME_ACCOUNT" | "ASSET_MISMATCH" | "NEGATIVE_BALANCE" | "INSUFFICIENT_LOT_BALANCE" | "NOTHING_TO_FREEZE" | "NOTHING_TO_UNFREEZE";

export class LedgerRuleError extends Error {
  constructor(
    readonly code: LedgerRuleCode,
    message: string,
  ) {
    super(message);
    this.name = "LedgerRuleError";
  }
}

export type AccountRef = { id: string; type: AccountType; balanceMicros: bigint };
export type PlannedEntry = { accountId: string; amountMicros: bigint };

/** A transfer is two entries that sum to zero, between two accounts of the same asset. */
export function planTransfer(input: { debitAccount: AccountRef; creditAccount: AccountRef; amountMicros: bigint }): [PlannedEntry, PlannedEntry] {
  const { debitAccount, creditAccount, amountMicros } = input;
  if (amountMicros <= 0n) throw new LedgerRuleError("INVALID_AMOUNT", `A transfer amount must be positive, got ${amountMicros} µUSD.`);
  if (debitAccount.id === creditAccount.id) throw new LedgerRuleError("SAME_ACCOUNT", `A transfer needs two different accounts (${debitAccount.id}).`);
  const debitAsset = ACCOUNT_TYPES[debitAccount.type].asset;
  const creditAsset = ACCOUNT_TYPES[creditAccount.type].asset;
  if (debitAsset !== creditAsset) throw new LedgerRuleError("ASSET_MISMATCH", `Cannot move ${debitAsset} from ${debitAccount.type} to ${creditAsset} account ${creditAccount.type}.`);
  checkBalanceAfter(debitAccount, -amountMicros);
  return [
    { accountId: debitAccount.id, amountMicros: -amountMicros },
    { accountId: creditAccount.id, amountMicros },
  ];
}

export function checkBalanceAfter(account: AccountRef, deltaMicros: bigint): bigint {
  const after = account.balanceMicros + deltaMicros;
  if (after < 0n && !ACCOUNT_TYPES[account.type].mayGoNegative) {
    throw new LedgerRuleError("NEGATIVE_BALANCE", `${account.type} ${account.id} would go to ${after} µUSD; it may not go negative.`);
  }
  return after;
}
