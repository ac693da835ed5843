import { describe, expect, it } from "vitest";
import { accountOwnerKey, ACCOUNT_TYPES, CASH_ACCOUNT_TYPES, CREDIT_ACCOUNT_TYPES, isAccountType, type AccountType } from "./accounts";

describe("ACCOUNT_TYPES", () => {
  it.each([
    ["STARTUP_SPENDABLE", "CREDIT", false],
    ["STARTUP_HELD", "CREDIT", false],
    ["STARTUP_FROZEN", "CREDIT", false],
    ["PLATFORM_ISSUANCE", "CREDIT", true],
    ["PLATFORM_USAGE", "CREDIT", false],
    ["SECONDARY_POOL", "CREDIT", false],
    ["LOAN_RECEIVABLE", "CASH", false],
    ["LENDER_CASH", "CASH", false],
    ["STARTUP_CASH", "CASH", false],
    ["PLATFORM_REVENUE", "CASH", false],
    ["LOSS", "CASH", false],
    ["CASH_EXTERNAL", "CASH", true],
  ] as const)("%s holds %s and may go negative: %s", (type, asset, mayGoNegative) => {
    expect(ACCOUNT_TYPES[type]).toEqual({ asset, mayGoNegative });
  });

  it("splits into 6 credit and 6 cash types", () => {
    expect(CREDIT_ACCOUNT_TYPES).toHaveLength(6);
    expect(CASH_ACCOUNT_TYPES).toHaveLength(6);
  });

  it.each([
    ["STARTUP_SPENDABLE", true],
    ["LOSS", true],
    ["startup_spendable", false],
    ["toString", false],
    ["", false],
  ])("isAccountType(%j) is %s", (value, expected) => {
    expect(isAccountType(value)).toBe(expected);
  });
});

describe("accountOwnerKey = type:org:loan", () => {
  it.each([
    ["a startup's spendable account", "STARTUP_SPENDABLE", { orgId: "org_1" }, "STARTUP_SPENDABLE:org_1:-"],
    ["a loan's receivable", "LOAN_RECEIVABLE", { orgId: "lender_1", loanId: "loan_9" }, "LOAN_RECEIVABLE:lender_1:loan_9"],
    ["the outside world", "CASH_EXTERNAL", {}, "CASH_EXTERNAL:-:-"],
    ["a loan-only account", "LOSS", { loanId: "loan_9" }, "LOSS:-:loan_9"],
  ] as const)("%s", (_label, type, owner, expected) => {
    expect(accountOwnerKey(type as AccountType, owner)).toBe(expected);
  });
});
