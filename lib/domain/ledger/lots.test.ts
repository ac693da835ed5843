import { describe, expect, it } from "vitest";
import { collateralMicros, LOT_PRIORITY, planFreeze, planLotConsumption, planUnfreeze, type LotBalance, type LotKind } from "./lots";
import { LedgerRuleError } from "./transfer";

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

function lot(id: string, kind: LotKind, remaining: bigint, extra: Partial<LotBalance> = {}): LotBalance {
  return { id, kind, priority: LOT_PRIORITY[kind], remainingMicros: remaining, frozenMicros: 0n, expiresAt: null, createdAt: day(1), loanId: kind === "PURCHASED" ? null : "loan", ...extra };
}

describe("planLotConsumption", () => {
  it.each([
    ["financed credits are spent first", [lot("p", "PURCHASED", 100n), lot("f", "FINANCED", 100n)], 30n, [["f", 30n]]],
    ["then pledged, then purchased", [lot("p", "PURCHASED", 100n), lot("g", "PLEDGED", 20n), lot("f", "FINANCED", 10n)], 50n, [["f", 10n], ["g", 20n], ["p", 20n]]],
    [
      "earliest expiry first within a priority",
      [lot("late", "PURCHASED", 100n, { expiresAt: day(20) }), lot("soon", "PURCHASED", 100n, { expiresAt: day(5) })],
      150n,
      [["soon", 100n], ["late", 50n]],
    ],
    ["a lot that never expires comes after expiring ones", [lot("never", "PURCHASED", 100n), lot("expiring", "PURCHASED", 100n, { expiresAt: day(30) })], 10n, [["expiring", 10n]]],
    ["older lot first when expiry ties", [lot("b", "PURCHASED", 5n, { createdAt: day(3) }), lot("a", "PURCHASED", 5n, { createdAt: day(2) })], 6n, [["a", 5n], ["b", 1n]]],
    ["frozen credits are never spent", [lot("f", "FINANCED", 100n, { frozenMicros: 90n }), lot("p", "PURCHASED", 100n)], 20n, [["f", 10n], ["p", 10n]]],
    ["exactly everything unfrozen", [lot("f", "FINANCED", 7n, { frozenMicros: 2n })], 5n, [["f", 5n]]],
  ] as const)("%s", (_label, lots, amount, expected) => {
    expect(planLotConsumption([...lots], amount).map((step) => [step.lotId, step.amountMicros])).toEqual(expected);
  });

  it("refuses more than the unfrozen credits, naming what is available", () => {
    const lots = [lot("f", "FINANCED", 100n, { frozenMicros: 60n }), lot("p", "PURCHASED", 10n)];
    expect(() => planLotConsumption(lots, 51n)).toThrow(LedgerRuleError);
    expect(() => planLotConsumption(lots, 51n)).toThrow("only 50 µUSD is available");
  });

  it("refuses a zero amount", () => {
    expect(() => planLotConsumption([lot("p", "PURCHASED", 1n)], 0n)).toThrow(LedgerRuleError);
  });
});

describe("planFreeze and planUnfreeze", () => {
  const loanLots = () => [lot("g", "PLEDGED", 40n), lot("f", "FINANCED", 100n, { frozenMicros: 10n }), lot("p", "PURCHASED", 500n)];

  it.each([
    ["freezes financed credits first", 50n, [["f", 50n]]],
    ["then pledged ones", 120n, [["f", 90n], ["g", 30n]]],
    ["all unfrozen collateral, never purchased credits", 130n, [["f", 90n], ["g", 40n]]],
  ] as const)("%s", (_label, amount, expected) => {
    expect(planFreeze(loanLots(), amount).map((s) => [s.lotId, s.amountMicros])).toEqual(expected);
  });

  it("refuses to freeze more than the unfrozen collateral", () => {
    expect(() => planFreeze(loanLots(), 131n)).toThrow(expect.objectContaining({ code: "NOTHING_TO_FREEZE" }));
  });

  it("unfreezes pledged credits before financed ones", () => {
    const lots = [lot("g", "PLEDGED", 40n, { frozenMicros: 40n }), lot("f", "FINANCED", 100n, { frozenMicros: 100n })];
    expect(planUnfreeze(lots, 50n).map((s) => [s.lotId, s.amountMicros])).toEqual([["g", 40n], ["f", 10n]]);
    expect(() => planUnfreeze(lots, 141n)).toThrow(expect.objectContaining({ code: "NOTHING_TO_UNFREEZE" }));
  });
});

describe("collateralMicros", () => {
  it("counts unspent financed and pledged credits, frozen included, never purchased ones", () => {
    expect(collateralMicros([lot("f", "FINANCED", 100n, { frozenMicros: 100n }), lot("g", "PLEDGED", 25n), lot("p", "PURCHASED", 1_000n)])).toBe(125n);
    expect(collateralMicros([])).toBe(0n);
  });
});
