import { describe, expect, it } from "vitest";
import { collateralMicros, freezableMicros, frozenCollateralMicros, LOT_PRIORITY, planFreeze, planLotConsumption, planUnfreeze, type LotBalance, type LotKind } from "./lots";
import { LedgerRuleError } from "./transfer";

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

function lot(id: string, kind: LotKind, remainingMicros: bigint, extra: Partial<LotBalance> = {}): LotBalance {
  return { id, kind, priority: LOT_PRIORITY[kind], remainingMicros, frozenMicros: 0n, expiresAt: null, createdAt: day(1), loanId: kind === "PURCHASED" ? null : "loan", ...extra };
}

const steps = (plan: { lotId: string; amountMicros: bigint }[]) => plan.map((step) => [step.lotId, step.amountMicros]);

describe("planLotConsumption", () => {
  it.each([
    ["financed credits are spent first", [lot("p", "PURCHASED", 100n), lot("f", "FINANCED", 100n)], 30n, [["f", 30n]]],
    ["then pledged, then purchased", [lot("p", "PURCHASED", 100n), lot("g", "PLEDGED", 20n), lot("f", "FINANCED", 10n)], 50n, [["f", 10n], ["g", 20n], ["p", 20n]]],
    ["the stored priority decides, not the kind", [lot("p", "PURCHASED", 10n, { priority: 0 }), lot("f", "FINANCED", 10n, { priority: 1 })], 15n, [["p", 10n], ["f", 5n]]],
    ["earliest expiry first within a priority", [lot("late", "PURCHASED", 100n, { expiresAt: day(20) }), lot("soon", "PURCHASED", 100n, { expiresAt: day(5) })], 150n, [["soon", 100n], ["late", 50n]]],
    ["a lot that never expires comes after expiring ones", [lot("never", "PURCHASED", 100n), lot("expiring", "PURCHASED", 100n, { expiresAt: day(30) })], 10n, [["expiring", 10n]]],
    ["priority beats expiry: a sooner-expiring purchased lot still waits", [lot("p", "PURCHASED", 10n, { expiresAt: day(2) }), lot("f", "FINANCED", 10n, { expiresAt: day(30) })], 12n, [["f", 10n], ["p", 2n]]],
    ["older lot first when expiry ties", [lot("b", "PURCHASED", 5n, { createdAt: day(3), expiresAt: day(9) }), lot("a", "PURCHASED", 5n, { createdAt: day(2), expiresAt: day(9) })], 6n, [["a", 5n], ["b", 1n]]],
    ["older lot first when neither expires", [lot("b", "PLEDGED", 5n, { createdAt: day(3) }), lot("a", "PLEDGED", 5n, { createdAt: day(2) })], 6n, [["a", 5n], ["b", 1n]]],
    ["id breaks a full tie", [lot("lot-b", "PURCHASED", 5n), lot("lot-a", "PURCHASED", 5n)], 7n, [["lot-a", 5n], ["lot-b", 2n]]],
    ["frozen credits are never spent", [lot("f", "FINANCED", 100n, { frozenMicros: 90n }), lot("p", "PURCHASED", 100n)], 20n, [["f", 10n], ["p", 10n]]],
    ["a fully frozen lot is skipped", [lot("f", "FINANCED", 100n, { frozenMicros: 100n }), lot("p", "PURCHASED", 100n)], 20n, [["p", 20n]]],
    ["empty lots are skipped", [lot("f", "FINANCED", 0n), lot("p", "PURCHASED", 3n)], 3n, [["p", 3n]]],
    ["exactly everything unfrozen", [lot("f", "FINANCED", 7n, { frozenMicros: 2n })], 5n, [["f", 5n]]],
    ["zero spends nothing", [lot("p", "PURCHASED", 1n)], 0n, []],
  ] as const)("%s", (_label, lots, amount, expected) => {
    expect(steps(planLotConsumption([...lots], amount))).toEqual(expected);
  });

  it("does not reorder the caller's array", () => {
    const lots = [lot("p", "PURCHASED", 10n), lot("f", "FINANCED", 10n)];
    planLotConsumption(lots, 15n);
    expect(lots.map((l) => l.id)).toEqual(["p", "f"]);
  });

  it("refuses more than the unfrozen credits, naming what is available", () => {
    const lots = [lot("f", "FINANCED", 100n, { frozenMicros: 60n }), lot("p", "PURCHASED", 10n)];
    expect(() => planLotConsumption(lots, 51n)).toThrow(LedgerRuleError);
    expect(() => planLotConsumption(lots, 51n)).toThrow(expect.objectContaining({ code: "INSUFFICIENT_LOT_BALANCE", message: "Cannot consume 51 µUSD: only 50 µUSD is unfrozen in the lots." }));
  });

  it.each([
    ["no lots at all", [], 1n, "INSUFFICIENT_LOT_BALANCE"],
    ["a negative amount", [lot("p", "PURCHASED", 1n)], -1n, "INVALID_AMOUNT"],
  ] as const)("refuses %s", (_label, lots, amount, code) => {
    expect(() => planLotConsumption([...lots], amount)).toThrow(expect.objectContaining({ code }));
  });
});

describe("planFreeze: financed credits first, then pledged, never purchased", () => {
  const loanLots = () => [lot("g", "PLEDGED", 40n), lot("f", "FINANCED", 100n, { frozenMicros: 10n }), lot("p", "PURCHASED", 500n)];

  it.each([
    ["a small freeze takes only financed credits", 50n, [["f", 50n]]],
    ["all unfrozen financed credits exactly", 90n, [["f", 90n]]],
    ["one micro more spills into the pledge", 91n, [["f", 90n], ["g", 1n]]],
    ["all unfrozen collateral, never purchased credits", 130n, [["f", 90n], ["g", 40n]]],
    ["zero freezes nothing", 0n, []],
  ] as const)("%s", (_label, amount, expected) => {
    expect(steps(planFreeze(loanLots(), amount))).toEqual(expected);
  });

  it("orders by kind even if a lot's stored priority says otherwise", () => {
    const lots = [lot("g", "PLEDGED", 10n, { priority: 0 }), lot("f", "FINANCED", 10n, { priority: 5 })];
    expect(steps(planFreeze(lots, 12n))).toEqual([["f", 10n], ["g", 2n]]);
  });

  it("within financed lots, soonest expiry first, then oldest", () => {
    const lots = [
      lot("f-never", "FINANCED", 10n, { createdAt: day(1) }),
      lot("f-late", "FINANCED", 10n, { expiresAt: day(20) }),
      lot("f-soon-new", "FINANCED", 10n, { expiresAt: day(10), createdAt: day(5) }),
      lot("f-soon-old", "FINANCED", 10n, { expiresAt: day(10), createdAt: day(2) }),
    ];
    expect(steps(planFreeze(lots, 35n))).toEqual([["f-soon-old", 10n], ["f-soon-new", 10n], ["f-late", 10n], ["f-never", 5n]]);
  });

  it("refuses to freeze more than the unfrozen collateral", () => {
    expect(() => planFreeze(loanLots(), 131n)).toThrow(expect.objectContaining({ code: "NOTHING_TO_FREEZE", message: "Cannot freeze 131 µUSD: only 130 µUSD of the loan's collateral is unfrozen." }));
  });
});

describe("planUnfreeze: the reverse order, pledged credits first", () => {
  const frozenLots = () => [lot("f", "FINANCED", 100n, { frozenMicros: 100n }), lot("g", "PLEDGED", 40n, { frozenMicros: 30n }), lot("p", "PURCHASED", 5n)];

  it.each([
    ["a small unfreeze releases only pledged credits", 20n, [["g", 20n]]],
    ["the whole frozen pledge", 30n, [["g", 30n]]],
    ["then financed credits", 50n, [["g", 30n], ["f", 20n]]],
    ["everything frozen", 130n, [["g", 30n], ["f", 100n]]],
    ["zero releases nothing", 0n, []],
  ] as const)("%s", (_label, amount, expected) => {
    expect(steps(planUnfreeze(frozenLots(), amount))).toEqual(expected);
  });

  it("within financed lots, the last one frozen is the first released", () => {
    const lots = [lot("f-soon", "FINANCED", 10n, { frozenMicros: 10n, expiresAt: day(5) }), lot("f-never", "FINANCED", 10n, { frozenMicros: 10n })];
    expect(steps(planUnfreeze(lots, 15n))).toEqual([["f-never", 10n], ["f-soon", 5n]]);
  });

  it("freezing then unfreezing the same amount returns every lot to where it was", () => {
    const lots = [lot("f", "FINANCED", 60n), lot("g", "PLEDGED", 60n)];
    const freeze = planFreeze(lots, 80n);
    const afterFreeze = lots.map((l) => ({ ...l, frozenMicros: l.frozenMicros + (freeze.find((s) => s.lotId === l.id)?.amountMicros ?? 0n) }));
    const unfreeze = planUnfreeze(afterFreeze, 80n);
    expect(steps(unfreeze)).toEqual([["g", 20n], ["f", 60n]]);
  });

  it("refuses to release more than is frozen", () => {
    expect(() => planUnfreeze(frozenLots(), 131n)).toThrow(expect.objectContaining({ code: "NOTHING_TO_UNFREEZE", message: "Cannot unfreeze 131 µUSD: only 130 µUSD of the loan's collateral is frozen." }));
  });
});

describe("collateral totals", () => {
  const lots = [lot("f", "FINANCED", 100n, { frozenMicros: 70n }), lot("g", "PLEDGED", 25n), lot("p", "PURCHASED", 1_000n, { frozenMicros: 0n })];

  it.each([
    ["collateral counts financed and pledged credits, frozen included, never purchased", collateralMicros, 125n],
    ["a full freeze would take the unfrozen collateral", freezableMicros, 55n],
    ["frozen collateral", frozenCollateralMicros, 70n],
  ])("%s", (_label, fn, expected) => {
    expect(fn(lots)).toBe(expected);
  });

  it.each([[collateralMicros], [freezableMicros], [frozenCollateralMicros]])("%o of no lots is 0", (fn) => {
    expect(fn([])).toBe(0n);
  });
});
