import { ACCOUNT_TYPES, isAccountType, type AccountType } from "./accounts";

export type LedgerRuleCode =
  | "INVALID_AMOUNT"
  | "SAME_ACCOUNT"
  | "ASSET_MISMATCH"
  | "UNKNOWN_ACCOUNT_TYPE"
  | "NEGATIVE_BALANCE"
  | "INSUFFICIENT_LOT_BALANCE"
  | "NOTHING_TO_FREEZE"
  | "NOTHING_TO_UNFREEZE";

export class LedgerRuleError extends Error {
  constructor(
    readonly code: LedgerRuleCode,
    message: string,
  ) {
    super(message);
    this.name = "LedgerRuleError";
  }
}

/** `balanceMicros`, when the caller knows it, lets the plan refuse an overdraft up front. */
export type AccountRef = { id: string; type: AccountType; balanceMicros?: bigint };
export type PlannedEntry = { accountId: string; amountMicros: bigint };

function ruleFor(account: { id: string; type: string }) {
  // Types arrive from the database as strings; an unknown one must not pass as "may go negative".
  if (!isAccountType(account.type)) throw new LedgerRuleError("UNKNOWN_ACCOUNT_TYPE", `Account ${account.id} has unknown type "${account.type}".`);
  return ACCOUNT_TYPES[account.type];
}

/**
 * A transfer is exactly two entries summing to zero: the debit side loses `amountMicros`, the
 * credit side gains it, and both accounts hold the same asset.
 */
export function planTransfer(input: { debitAccount: AccountRef; creditAccount: AccountRef; amountMicros: bigint }): [PlannedEntry, PlannedEntry] {
  const { debitAccount, creditAccount, amountMicros } = input;
  if (typeof amountMicros !== "bigint" || amountMicros <= 0n) {
    throw new LedgerRuleError("INVALID_AMOUNT", `A transfer amount must be a positive number of µUSD, got ${String(amountMicros)}.`);
  }
  if (debitAccount.id === creditAccount.id) {
    throw new LedgerRuleError("SAME_ACCOUNT", `A transfer needs two different accounts; both sides are ${debitAccount.type} ${debitAccount.id}.`);
  }
  const debitAsset = ruleFor(debitAccount).asset;
  const creditAsset = ruleFor(creditAccount).asset;
  if (debitAsset !== creditAsset) {
    throw new LedgerRuleError(
      "ASSET_MISMATCH",
      `Cannot move ${amountMicros} µUSD from ${debitAsset} account ${debitAccount.type} ${debitAccount.id} to ${creditAsset} account ${creditAccount.type} ${creditAccount.id}.`,
    );
  }
  if (debitAccount.balanceMicros !== undefined) checkBalanceAfter({ ...debitAccount, balanceMicros: debitAccount.balanceMicros }, -amountMicros);
  return [
    { accountId: debitAccount.id, amountMicros: -amountMicros },
    { accountId: creditAccount.id, amountMicros },
  ];
}

/** The balance after `deltaMicros`; throws NEGATIVE_BALANCE if the account may not go below 0. */
export function checkBalanceAfter(account: { id: string; type: AccountType; balanceMicros: bigint }, deltaMicros: bigint): bigint {
  const afterMicros = account.balanceMicros + deltaMicros;
  if (afterMicros < 0n && !ruleFor(account).mayGoNegative) {
    throw new LedgerRuleError(
      "NEGATIVE_BALANCE",
      `${account.type} ${account.id} holds ${account.balanceMicros} µUSD; a change of ${deltaMicros} µUSD would leave ${afterMicros} µUSD, and it may not go negative.`,
    );
  }
  return afterMicros;
}
