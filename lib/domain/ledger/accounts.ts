// The ledger's chart of accounts. CREDIT accounts hold compute credits, CASH accounts hold money
// paid or owed; a transfer never crosses the two.

export type Asset = "CREDIT" | "CASH";

export type AccountTypeRule = { asset: Asset; mayGoNegative: boolean };

// Only the two accounts that stand for "outside the ledger" may go negative: every other balance is
// something a party really holds, owes or has lost, so a negative one is a bug.
export const ACCOUNT_TYPES = {
  STARTUP_SPENDABLE: { asset: "CREDIT", mayGoNegative: false },
  // Reserved for in-flight requests until they settle or release.
  STARTUP_HELD: { asset: "CREDIT", mayGoNegative: false },
  STARTUP_FROZEN: { asset: "CREDIT", mayGoNegative: false },
  // Where every credit comes from: its balance is minus everything ever issued.
  PLATFORM_ISSUANCE: { asset: "CREDIT", mayGoNegative: true },
  PLATFORM_USAGE: { asset: "CREDIT", mayGoNegative: false },
  // Liquidated credits, sold at mark.
  SECONDARY_POOL: { asset: "CREDIT", mayGoNegative: false },
  LOAN_RECEIVABLE: { asset: "CASH", mayGoNegative: false },
  LENDER_CASH: { asset: "CASH", mayGoNegative: false },
  STARTUP_CASH: { asset: "CASH", mayGoNegative: false },
  PLATFORM_REVENUE: { asset: "CASH", mayGoNegative: false },
  LOSS: { asset: "CASH", mayGoNegative: false },
  // The world outside the ledger: cash arrives from it and leaves to it.
  CASH_EXTERNAL: { asset: "CASH", mayGoNegative: true },
} as const satisfies Record<string, AccountTypeRule>;

export type AccountType = keyof typeof ACCOUNT_TYPES;

export const CREDIT_ACCOUNT_TYPES = (Object.keys(ACCOUNT_TYPES) as AccountType[]).filter((type) => ACCOUNT_TYPES[type].asset === "CREDIT");
export const CASH_ACCOUNT_TYPES = (Object.keys(ACCOUNT_TYPES) as AccountType[]).filter((type) => ACCOUNT_TYPES[type].asset === "CASH");

/** The three balances a startup's credits live in; lots attribute exactly these. */
export const STARTUP_CREDIT_ACCOUNT_TYPES = ["STARTUP_SPENDABLE", "STARTUP_HELD", "STARTUP_FROZEN"] as const satisfies readonly AccountType[];

export function isAccountType(value: string): value is AccountType {
  return Object.hasOwn(ACCOUNT_TYPES, value);
}

/** One account per type and owner, so the key is unique in the database: `type:org:loan`. */
export function accountOwnerKey(type: AccountType, owner: { orgId?: string; loanId?: string }): string {
  return `${type}:${owner.orgId ?? "-"}:${owner.loanId ?? "-"}`;
}
