// The ledger's chart of accounts. CREDIT accounts hold compute credits, CASH accounts hold money
// owed or paid; a transfer never crosses the two.

export type Asset = "CREDIT" | "CASH";

export const ACCOUNT_TYPES = {
  STARTUP_SPENDABLE: { asset: "CREDIT", mayGoNegative: false },
  STARTUP_HELD: { asset: "CREDIT", mayGoNegative: false },
  STARTUP_FROZEN: { asset: "CREDIT", mayGoNegative: false },
  // Where credits come from: its balance is minus everything ever issued.
  PLATFORM_ISSUANCE: { asset: "CREDIT", mayGoNegative: true },
  PLATFORM_USAGE: { asset: "CREDIT", mayGoNegative: false },
  SECONDARY_POOL: { asset: "CREDIT", mayGoNegative: false },
  LOAN_RECEIVABLE: { asset: "CASH", mayGoNegative: true },
  LENDER_CASH: { asset: "CASH", mayGoNegative: true },
  STARTUP_CASH: { asset: "CASH", mayGoNegative: true },
  PLATFORM_REVENUE: { asset: "CASH", mayGoNegative: false },
  LOSS: { asset: "CASH", mayGoNegative: false },
  // The world outside the ledger: cash arrives from and leaves to it.
  CASH_EXTERNAL: { asset: "CASH", mayGoNegative: true },
} as const satisfies Record<string, { asset: Asset; mayGoNegative: boolean }>;

export type AccountType = keyof typeof ACCOUNT_TYPES;

export function isAccountType(value: string): value is AccountType {
  return Object.hasOwn(ACCOUNT_TYPES, value);
}

/** One account per type and owner: the key is unique in the database. */
export function accountOwnerKey(type: AccountType, owner: { orgId?: string; loanId?: string }): string {
  return `${type}:${owner.orgId ?? "-"}:${owner.loanId ?? "-"}`;
}
