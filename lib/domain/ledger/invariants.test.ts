import { describe, expect, it } from "vitest";
import { checkLedgerInvariants, type LedgerSnapshot } from "./invariants";
import { planTransfer } from "./transfer";

// A startup with 100 spendable and 20 held credits (one reserve), 30 frozen: 150 issued in all.
function healthySnapshot(): LedgerSnapshot {
  return {
    accounts: [
      { id: "issuance", type: "PLATFORM_ISSUANCE", asset: "CREDIT", orgId: "org", balanceMicros: -150n },
      { id: "spendable", type: "STARTUP_SPENDABLE", asset: "CREDIT", orgId: "org", balanceMicros: 100n },
      { id: "held", type: "STARTUP_HELD", asset: "CREDIT", orgId: "org", balanceMicros: 20n },
      { id: "frozen", type: "STARTUP_FROZEN", asset: "CREDIT", orgId: "org", balanceMicros: 30n },
    ],
    entrySumByAccountId: new Map([
      ["issuance", -150n],
      ["spendable", 100n],
      ["held", 20n],
      ["frozen", 30n],
    ]),
    transfers: [
      { id: "purchase", entrySumMicros: 0n, entryCount: 2 },
      { id: "reserve", entrySumMicros: 0n, entryCount: 2 },
      { id: "freeze", entrySumMicros: 0n, entryCount: 2 },
    ],
    lotsByOrgId: new Map([["org", [{ remainingMicros: 150n, frozenMicros: 30n }]]]),
  };
}

describe("checkLedgerInvariants", () => {
  it("finds nothing wrong in a consistent ledger (issuance may be negative)", () => {
    expect(checkLedgerInvariants(healthySnapshot())).toEqual([]);
  });

  it.each([
    ["a transfer whose entries do not sum to zero", (s: LedgerSnapshot) => (s.transfers[0] = { id: "purchase", entrySumMicros: 5n, entryCount: 2 }), "UNBALANCED_TRANSFER", "purchase"],
    ["a transfer with one entry", (s: LedgerSnapshot) => (s.transfers[1] = { id: "reserve", entrySumMicros: 0n, entryCount: 1 }), "UNBALANCED_TRANSFER", "reserve"],
    ["a balance that is not the sum of its entries", (s: LedgerSnapshot) => s.entrySumByAccountId.set("spendable", 99n), "BALANCE_MISMATCH", "spendable"],
    [
      "a negative held balance",
      (s: LedgerSnapshot) => {
        s.accounts[2].balanceMicros = -1n;
        s.entrySumByAccountId.set("held", -1n);
        s.accounts[1].balanceMicros = 121n;
        s.entrySumByAccountId.set("spendable", 121n);
      },
      "NEGATIVE_BALANCE",
      "held",
    ],
    ["lots that do not add up to spendable + held", (s: LedgerSnapshot) => s.lotsByOrgId.set("org", [{ remainingMicros: 151n, frozenMicros: 30n }]), "LOTS_MISMATCH_SPENDABLE", "org"],
    ["frozen lots that differ from the frozen balance", (s: LedgerSnapshot) => s.lotsByOrgId.set("org", [{ remainingMicros: 160n, frozenMicros: 40n }]), "LOTS_MISMATCH_FROZEN", "org"],
  ])("detects %s", (_label, corrupt, code, subjectId) => {
    const snapshot = healthySnapshot();
    corrupt(snapshot);
    const violations = checkLedgerInvariants(snapshot);
    expect(violations.map((v) => [v.code, v.subjectId])).toContainEqual([code, subjectId]);
    expect(violations.find((v) => v.code === code)!.message).toMatch(/\d/);
  });
});

describe("planTransfer", () => {
  const account = (id: string, type: "STARTUP_SPENDABLE" | "STARTUP_HELD" | "PLATFORM_ISSUANCE" | "LENDER_CASH", balanceMicros = 0n) => ({ id, type, balanceMicros });

  it("makes two entries that sum to zero", () => {
    const entries = planTransfer({ debitAccount: account("a", "STARTUP_SPENDABLE", 10n), creditAccount: account("b", "STARTUP_HELD"), amountMicros: 10n });
    expect(entries).toEqual([
      { accountId: "a", amountMicros: -10n },
      { accountId: "b", amountMicros: 10n },
    ]);
  });

  it.each([
    ["a zero amount", { debitAccount: account("a", "STARTUP_SPENDABLE", 10n), creditAccount: account("b", "STARTUP_HELD"), amountMicros: 0n }, "INVALID_AMOUNT"],
    ["the same account twice", { debitAccount: account("a", "STARTUP_SPENDABLE", 10n), creditAccount: account("a", "STARTUP_SPENDABLE"), amountMicros: 1n }, "SAME_ACCOUNT"],
    ["credits into a cash account", { debitAccount: account("a", "STARTUP_SPENDABLE", 10n), creditAccount: account("b", "LENDER_CASH"), amountMicros: 1n }, "ASSET_MISMATCH"],
    ["overdrawing spendable", { debitAccount: account("a", "STARTUP_SPENDABLE", 10n), creditAccount: account("b", "STARTUP_HELD"), amountMicros: 11n }, "NEGATIVE_BALANCE"],
  ])("refuses %s", (_label, input, code) => {
    expect(() => planTransfer(input)).toThrow(expect.objectContaining({ code }));
  });

  it("lets issuance go negative: it is where credits come from", () => {
    expect(() => planTransfer({ debitAccount: account("i", "PLATFORM_ISSUANCE"), creditAccount: account("s", "STARTUP_SPENDABLE"), amountMicros: 5n })).not.toThrow();
  });
});
