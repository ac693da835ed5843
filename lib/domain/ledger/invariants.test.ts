import { describe, expect, it } from "vitest";
import { checkLedgerInvariants, type LedgerSnapshot } from "./invariants";

// One startup ("org") with 100 spendable, 20 held (one in-flight reserve) and 30 frozen credits out
// of 150 issued; its lender ("lender") holds 5 in cash deposited from the outside world.
function healthySnapshot(): LedgerSnapshot {
  return {
    accounts: [
      { id: "issuance", type: "PLATFORM_ISSUANCE", asset: "CREDIT", orgId: "org", balanceMicros: -150n },
      { id: "spendable", type: "STARTUP_SPENDABLE", asset: "CREDIT", orgId: "org", balanceMicros: 100n },
      { id: "held", type: "STARTUP_HELD", asset: "CREDIT", orgId: "org", balanceMicros: 20n },
      { id: "frozen", type: "STARTUP_FROZEN", asset: "CREDIT", orgId: "org", balanceMicros: 30n },
      { id: "external", type: "CASH_EXTERNAL", asset: "CASH", orgId: null, balanceMicros: -5n },
      { id: "lender-cash", type: "LENDER_CASH", asset: "CASH", orgId: "lender", balanceMicros: 5n },
    ],
    entrySumByAccountId: new Map([
      ["issuance", -150n],
      ["spendable", 100n],
      ["held", 20n],
      ["frozen", 30n],
      ["external", -5n],
      ["lender-cash", 5n],
    ]),
    transfers: [
      { id: "purchase", entrySumMicros: 0n, entryCount: 2 },
      { id: "reserve", entrySumMicros: 0n, entryCount: 2 },
      { id: "freeze", entrySumMicros: 0n, entryCount: 2 },
      { id: "deposit", entrySumMicros: 0n, entryCount: 2 },
    ],
    lotsByOrgId: new Map([
      [
        "org",
        [
          { remainingMicros: 120n, frozenMicros: 30n },
          { remainingMicros: 30n, frozenMicros: 0n },
        ],
      ],
    ]),
  };
}

type Corruption = (s: LedgerSnapshot) => void;
const account = (s: LedgerSnapshot, id: string) => s.accounts.find((a) => a.id === id)!;
// Moves a balance and its entries together, so only the rule under test breaks.
const setBalance = (s: LedgerSnapshot, id: string, balanceMicros: bigint) => {
  account(s, id).balanceMicros = balanceMicros;
  s.entrySumByAccountId.set(id, balanceMicros);
};

describe("checkLedgerInvariants", () => {
  it("finds nothing wrong in a consistent ledger (issuance and the outside world may be negative)", () => {
    expect(checkLedgerInvariants(healthySnapshot())).toEqual([]);
  });

  it("finds nothing wrong in an empty ledger", () => {
    expect(checkLedgerInvariants({ accounts: [], entrySumByAccountId: new Map(), transfers: [], lotsByOrgId: new Map() })).toEqual([]);
  });

  it.each<[string, Corruption, string, string, string[]]>([
    ["a transfer whose entries do not sum to zero", (s) => (s.transfers[0] = { id: "purchase", entrySumMicros: 5n, entryCount: 2 }), "UNBALANCED_TRANSFER", "purchase", ["2 entries", "5 µUSD"]],
    ["a transfer with one entry", (s) => (s.transfers[1] = { id: "reserve", entrySumMicros: 0n, entryCount: 1 }), "UNBALANCED_TRANSFER", "reserve", ["1 entries", "0 µUSD"]],
    ["a transfer with three entries that still sum to zero", (s) => (s.transfers[2] = { id: "freeze", entrySumMicros: 0n, entryCount: 3 }), "UNBALANCED_TRANSFER", "freeze", ["3 entries"]],
    ["a balance that is not the sum of its entries", (s) => s.entrySumByAccountId.set("external", -6n), "BALANCE_MISMATCH", "external", ["-5 µUSD", "-6 µUSD"]],
    ["a balance with no entries at all", (s) => s.entrySumByAccountId.delete("lender-cash"), "BALANCE_MISMATCH", "lender-cash", ["5 µUSD", "0 µUSD"]],
    ["entries posted to an account missing from the snapshot", (s) => s.entrySumByAccountId.set("ghost", 7n), "BALANCE_MISMATCH", "ghost", ["7 µUSD"]],
    [
      "a negative held balance",
      (s) => {
        setBalance(s, "held", -1n);
        setBalance(s, "spendable", 121n);
      },
      "NEGATIVE_BALANCE",
      "held",
      ["STARTUP_HELD held", "-1 µUSD"],
    ],
    [
      "a negative spendable balance",
      (s) => {
        setBalance(s, "spendable", -1n);
        setBalance(s, "held", 121n);
      },
      "NEGATIVE_BALANCE",
      "spendable",
      ["-1 µUSD"],
    ],
    [
      "a negative frozen balance",
      (s) => {
        setBalance(s, "frozen", -1n);
        s.lotsByOrgId.set("org", [{ remainingMicros: 119n, frozenMicros: -1n }]);
      },
      "NEGATIVE_BALANCE",
      "frozen",
      ["-1 µUSD"],
    ],
    [
      "a negative lender cash balance",
      (s) => {
        setBalance(s, "lender-cash", -5n);
        setBalance(s, "external", 5n);
      },
      "NEGATIVE_BALANCE",
      "lender-cash",
      ["LENDER_CASH", "-5 µUSD"],
    ],
    ["an account of unknown type below zero", (s) => s.accounts.push({ id: "odd", type: "MYSTERY", asset: "CREDIT", orgId: null, balanceMicros: -1n }), "NEGATIVE_BALANCE", "odd", ["MYSTERY"]],
    ["lots holding more than spendable + held", (s) => s.lotsByOrgId.get("org")!.push({ remainingMicros: 1n, frozenMicros: 0n }), "LOTS_MISMATCH_SPENDABLE", "org", ["121 µUSD", "120 µUSD"]],
    ["lots holding less than spendable + held", (s) => s.lotsByOrgId.set("org", [{ remainingMicros: 140n, frozenMicros: 30n }]), "LOTS_MISMATCH_SPENDABLE", "org", ["110 µUSD", "120 µUSD"]],
    ["a startup with balances but no lots", (s) => s.lotsByOrgId.delete("org"), "LOTS_MISMATCH_SPENDABLE", "org", ["0 µUSD", "120 µUSD"]],
    ["lots of an org that has no accounts", (s) => s.lotsByOrgId.set("orphan", [{ remainingMicros: 9n, frozenMicros: 0n }]), "LOTS_MISMATCH_SPENDABLE", "orphan", ["9 µUSD", "0 µUSD"]],
    ["frozen lots that differ from the frozen balance", (s) => s.lotsByOrgId.set("org", [{ remainingMicros: 160n, frozenMicros: 40n }]), "LOTS_MISMATCH_FROZEN", "org", ["40 µUSD", "30 µUSD"]],
    ["frozen lots of an org with no frozen account", (s) => s.lotsByOrgId.set("orphan", [{ remainingMicros: 9n, frozenMicros: 9n }]), "LOTS_MISMATCH_FROZEN", "orphan", ["9 µUSD", "0 µUSD"]],
  ])("detects %s", (_label, corrupt, code, subjectId, inMessage) => {
    const snapshot = healthySnapshot();
    corrupt(snapshot);
    const violations = checkLedgerInvariants(snapshot);
    const violation = violations.find((v) => v.code === code && v.subjectId === subjectId);
    expect(violation, JSON.stringify(violations)).toBeDefined();
    expect(violation!.message).toContain(subjectId);
    for (const fragment of inMessage) expect(violation!.message).toContain(fragment);
  });

  it("reports only the broken rule, once", () => {
    const snapshot = healthySnapshot();
    snapshot.entrySumByAccountId.set("spendable", 99n);
    expect(checkLedgerInvariants(snapshot).map((v) => [v.code, v.subjectId])).toEqual([["BALANCE_MISMATCH", "spendable"]]);
  });

  it("sums balances per org across the startup's accounts, not per account", () => {
    const snapshot = healthySnapshot();
    // A second spendable account (e.g. scoped to a loan) for the same org, matched by a new lot.
    snapshot.accounts.push({ id: "spendable-2", type: "STARTUP_SPENDABLE", asset: "CREDIT", orgId: "org", balanceMicros: 10n });
    snapshot.entrySumByAccountId.set("spendable-2", 10n);
    setBalance(snapshot, "issuance", -160n);
    snapshot.lotsByOrgId.get("org")!.push({ remainingMicros: 10n, frozenMicros: 0n });
    expect(checkLedgerInvariants(snapshot)).toEqual([]);
  });

  it("checks every organisation separately", () => {
    const snapshot = healthySnapshot();
    snapshot.accounts.push({ id: "spendable-b", type: "STARTUP_SPENDABLE", asset: "CREDIT", orgId: "org-b", balanceMicros: 50n });
    snapshot.entrySumByAccountId.set("spendable-b", 50n);
    setBalance(snapshot, "issuance", -200n);
    // org-b's credits wrongly attributed to org's lots: both orgs are flagged.
    snapshot.lotsByOrgId.get("org")!.push({ remainingMicros: 50n, frozenMicros: 0n });
    expect(checkLedgerInvariants(snapshot).map((v) => [v.code, v.subjectId])).toEqual([
      ["LOTS_MISMATCH_SPENDABLE", "org"],
      ["LOTS_MISMATCH_SPENDABLE", "org-b"],
    ]);
  });

  it.each([
    { case: "receivable equals the principal outstanding", receivableMicros: 60_000_000_000n, principalOutstandingMicros: 60_000_000_000n, codes: [] },
    { case: "repaid in full: both 0", receivableMicros: 0n, principalOutstandingMicros: 0n, codes: [] },
    { case: "a payment's principal not taken out of the receivable", receivableMicros: 60_000_000_000n, principalOutstandingMicros: 59_000_000_000n, codes: ["RECEIVABLE_MISMATCH"] },
    { case: "a liquidation's loss not written off", receivableMicros: 1n, principalOutstandingMicros: 0n, codes: ["RECEIVABLE_MISMATCH"] },
  ])("loan receivables: $case", ({ receivableMicros, principalOutstandingMicros, codes }) => {
    const snapshot = healthySnapshot();
    snapshot.loanReceivables = [{ loanId: "loan-1", reference: "BL-2026-0001", principalOutstandingMicros, receivableMicros }];
    const violations = checkLedgerInvariants(snapshot);
    expect(violations.map((v) => v.code)).toEqual(codes);
    if (codes.length > 0) expect(violations[0].message).toBe(`Loan BL-2026-0001: LOAN_RECEIVABLE is ${receivableMicros} µUSD but the principal outstanding is ${principalOutstandingMicros} µUSD.`);
  });
});
