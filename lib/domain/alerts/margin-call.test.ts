import { describe, expect, test } from "vitest";
import { cureDeadlineFor, marginCallDecision, shouldAutoFreeze } from "./margin-call";

const HOUR = 3_600_000;
const CALLED_AT = new Date("2026-04-02T12:00:00Z");
const at = (hoursAfterCall: number) => new Date(CALLED_AT.getTime() + hoursAfterCall * HOUR);
const DEADLINE = at(72); // 2026-04-05T12:00:00Z

describe("marginCallDecision: open below maintenance, cure at maintenance + 5 points within 72 h, else liquidation", () => {
  test.each([
    ["no margin call and 126%: nothing", { coverageBps: 12_600, marginCallAt: null, cureDeadline: null, now: CALLED_AT }, { kind: "NONE", isLiquidationAllowed: false }],
    ["no margin call and exactly 125%: nothing (not below)", { coverageBps: 12_500, marginCallAt: null, cureDeadline: null, now: CALLED_AT }, { kind: "NONE", isLiquidationAllowed: false }],
    ["no debt: nothing", { coverageBps: null, marginCallAt: null, cureDeadline: null, now: CALLED_AT }, { kind: "NONE", isLiquidationAllowed: false }],
    ["124.99% opens one now, cure by now + 72 h", { coverageBps: 12_499, marginCallAt: null, cureDeadline: null, now: CALLED_AT }, { kind: "OPEN", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: false }],
    ["a loan's own 24 h cure window", { coverageBps: 12_000, marginCallAt: null, cureDeadline: null, cureWindowHours: 24, now: CALLED_AT }, { kind: "OPEN", marginCallAt: CALLED_AT, cureDeadline: at(24), isLiquidationAllowed: false }],
    ["open, 10 h in, at 126% (inside the band): 62 h left", { coverageBps: 12_600, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(10) }, { kind: "CURE_PENDING", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, msUntilDeadline: 62 * HOUR, isLiquidationAllowed: false }],
    ["open, at 129.99%: still not cured", { coverageBps: 12_999, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(71) }, { kind: "CURE_PENDING", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, msUntilDeadline: HOUR, isLiquidationAllowed: false }],
    ["open, at 130%: cured", { coverageBps: 13_000, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(5) }, { kind: "CURED", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: false }],
    ["open, repaid in full (no debt): cured", { coverageBps: null, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(5) }, { kind: "CURED", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: false }],
    ["open, at the deadline to the millisecond, uncured: liquidation allowed", { coverageBps: 12_999, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: DEADLINE }, { kind: "CURE_EXPIRED", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: true }],
    ["open, 1 ms before the deadline: still pending", { coverageBps: 11_000, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: new Date(DEADLINE.getTime() - 1) }, { kind: "CURE_PENDING", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, msUntilDeadline: 1, isLiquidationAllowed: false }],
    ["past the deadline but back at 130% (the index recovered): cured, no liquidation", { coverageBps: 13_000, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(100) }, { kind: "CURED", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: false }],
    ["the stored deadline wins over the window (48 h set at the time)", { coverageBps: 12_000, marginCallAt: CALLED_AT, cureDeadline: at(48), now: at(50) }, { kind: "CURE_EXPIRED", marginCallAt: CALLED_AT, cureDeadline: at(48), isLiquidationAllowed: true }],
    ["no stored deadline: marginCallAt + the window", { coverageBps: 12_000, marginCallAt: CALLED_AT, cureDeadline: null, now: at(73) }, { kind: "CURE_EXPIRED", marginCallAt: CALLED_AT, cureDeadline: DEADLINE, isLiquidationAllowed: true }],
  ] as const)("%s", (_label, input, expected) => {
    expect(marginCallDecision({ maintenanceBps: 12_500, ...input })).toEqual(expected);
  });

  test("a custom hysteresis: 0 cures at maintenance itself", () => {
    expect(marginCallDecision({ coverageBps: 12_500, maintenanceBps: 12_500, hysteresisBps: 0, marginCallAt: CALLED_AT, cureDeadline: DEADLINE, now: at(1) }).kind).toBe("CURED");
  });

  test("cureDeadlineFor adds the window; refuses a fractional window", () => {
    expect(cureDeadlineFor(CALLED_AT)).toEqual(DEADLINE);
    expect(() => cureDeadlineFor(CALLED_AT, 1.5)).toThrow(RangeError);
    expect(() => marginCallDecision({ coverageBps: 1, maintenanceBps: 12_500, marginCallAt: null, cureDeadline: null, now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe("shouldAutoFreeze: below the liquidation level, with auto-freeze on, in a freezable state", () => {
  test.each([
    ["109.99% with auto-freeze on, ACTIVE", 10_999, true, "ACTIVE", true],
    ["109.99% in MARGIN_CALL", 10_999, true, "MARGIN_CALL", true],
    ["109.99% in DELINQUENT", 10_999, true, "DELINQUENT", true],
    ["exactly 110% is not below", 11_000, true, "ACTIVE", false],
    ["auto-freeze off: the lender decides", 10_000, false, "MARGIN_CALL", false],
    ["already FROZEN", 10_000, true, "FROZEN", false],
    ["LIQUIDATING", 10_000, true, "LIQUIDATING", false],
    ["a closed loan", 10_000, true, "REPAID", false],
    ["no debt (infinite coverage)", null, true, "ACTIVE", false],
  ])("%s → %s", (_label, coverageBps, autoFreeze, state, expected) => {
    expect(shouldAutoFreeze({ coverageBps, liquidationBps: 11_000, autoFreeze, state })).toBe(expected);
  });
});
