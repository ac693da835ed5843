import { describe, expect, it } from "vitest";
import type { AccountType } from "./accounts";
import { checkBalanceAfter, LedgerRuleError, planTransfer } from "./transfer";

const account = (id: string, type: AccountType, balanceMicros?: bigint) => ({ id, type, balanceMicros });

describe("planTransfer", () => {
  it.each([
    ["spendable to held (a reserve)", account("s", "STARTUP_SPENDABLE", 10n), account("h", "STARTUP_HELD"), 10n],
    ["issuance to spendable, taking issuance negative", account("i", "PLATFORM_ISSUANCE", 0n), account("s", "STARTUP_SPENDABLE"), 5n],
    ["outside cash to a lender, taking the outside negative", account("x", "CASH_EXTERNAL", 0n), account("l", "LENDER_CASH"), 1_000_000n],
    ["an account whose balance the caller did not load", account("s", "STARTUP_SPENDABLE"), account("f", "STARTUP_FROZEN"), 7n],
  ])("%s: two entries that sum to zero", (_label, debitAccount, creditAccount, amountMicros) => {
    const entries = planTransfer({ debitAccount, creditAccount, amountMicros });
    expect(entries).toEqual([
      { accountId: debitAccount.id, amountMicros: -amountMicros },
      { accountId: creditAccount.id, amountMicros },
    ]);
    expect(entries[0].amountMicros + entries[1].amountMicros).toBe(0n);
  });

  it.each([
    ["a zero amount", account("a", "STARTUP_SPENDABLE", 10n), account("b", "STARTUP_HELD"), 0n, "INVALID_AMOUNT"],
    ["a negative amount", account("a", "STARTUP_SPENDABLE", 10n), account("b", "STARTUP_HELD"), -1n, "INVALID_AMOUNT"],
    ["the same account on both sides", account("a", "STARTUP_SPENDABLE", 10n), account("a", "STARTUP_SPENDABLE"), 1n, "SAME_ACCOUNT"],
    ["credits into a cash account", account("a", "STARTUP_SPENDABLE", 10n), account("b", "LENDER_CASH"), 1n, "ASSET_MISMATCH"],
    ["cash into a credit account", account("a", "CASH_EXTERNAL", 0n), account("b", "SECONDARY_POOL"), 1n, "ASSET_MISMATCH"],
    ["overdrawing spendable by 1 µUSD", account("a", "STARTUP_SPENDABLE", 10n), account("b", "STARTUP_HELD"), 11n, "NEGATIVE_BALANCE"],
    ["overdrawing a lender's cash", account("a", "LENDER_CASH", 0n), account("b", "LOAN_RECEIVABLE"), 1n, "NEGATIVE_BALANCE"],
    ["an unknown account type", { id: "a", type: "MYSTERY" as AccountType, balanceMicros: 0n }, account("b", "STARTUP_HELD"), 1n, "UNKNOWN_ACCOUNT_TYPE"],
  ])("refuses %s", (_label, debitAccount, creditAccount, amountMicros, code) => {
    expect(() => planTransfer({ debitAccount, creditAccount, amountMicros })).toThrow(expect.objectContaining({ code }));
  });

  it("throws a LedgerRuleError whose message names both accounts", () => {
    let caught: unknown;
    try {
      planTransfer({ debitAccount: account("acc_s", "STARTUP_SPENDABLE", 10n), creditAccount: account("acc_l", "LENDER_CASH"), amountMicros: 1n });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LedgerRuleError);
    expect((caught as LedgerRuleError).message).toContain("acc_s");
    expect((caught as LedgerRuleError).message).toContain("acc_l");
  });
});

describe("checkBalanceAfter", () => {
  it.each([
    ["spendable down to exactly 0", account("s", "STARTUP_SPENDABLE", 10n), -10n, 0n],
    ["held up", account("h", "STARTUP_HELD", 0n), 5n, 5n],
    ["issuance below 0", account("i", "PLATFORM_ISSUANCE", -100n), -50n, -150n],
    ["the outside world below 0", account("x", "CASH_EXTERNAL", 0n), -1n, -1n],
  ])("allows %s", (_label, acc, deltaMicros, expected) => {
    expect(checkBalanceAfter({ ...acc, balanceMicros: acc.balanceMicros! }, deltaMicros)).toBe(expected);
  });

  it.each([
    ["spendable", "STARTUP_SPENDABLE"],
    ["held", "STARTUP_HELD"],
    ["frozen", "STARTUP_FROZEN"],
    ["the secondary pool", "SECONDARY_POOL"],
    ["platform revenue", "PLATFORM_REVENUE"],
    ["a loan receivable", "LOAN_RECEIVABLE"],
  ] as const)("refuses to take %s below 0, naming the numbers", (_label, type) => {
    expect(() => checkBalanceAfter({ id: "acc_1", type, balanceMicros: 3n }, -4n)).toThrow(expect.objectContaining({ code: "NEGATIVE_BALANCE" }));
    expect(() => checkBalanceAfter({ id: "acc_1", type, balanceMicros: 3n }, -4n)).toThrow(/acc_1 holds 3 µUSD.*-4 µUSD would leave -1 µUSD/);
  });
});
