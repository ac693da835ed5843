import { describe, expect, test } from "vitest";
import { evaluateBurnAbovePlan, isBurnAbovePlan } from "./burn-above-plan";

const USD = 1_000_000n;

describe("isBurnAbovePlan: 7-day burn > planned × (1 + tolerance), exactly", () => {
  test.each([
    ["$1,200/day against $1,000 at 20% tolerance is at the edge, not above", 1_200n * USD, 1_000n * USD, undefined, false],
    ["1 µUSD more is above", 1_200n * USD + 1n, 1_000n * USD, undefined, true],
    ["$1,100/day at 5% tolerance is above", 1_100n * USD, 1_000n * USD, 500, true],
    ["$1,000/day at 0 tolerance is on plan", 1_000n * USD, 1_000n * USD, 0, false],
    ["any spend against a plan of none is above", 1n, 0n, undefined, true],
    ["no spend against a plan of none is not", 0n, 0n, undefined, false],
  ])("%s", (_label, burn, planned, toleranceBps, expected) => {
    expect(isBurnAbovePlan({ burnMicrosPerDay: burn, plannedBurnMicrosPerDay: planned, toleranceBps })).toBe(expected);
  });

  test.each([
    ["a negative tolerance", { toleranceBps: -1 }],
    ["a negative burn", { burnMicrosPerDay: -1n }],
  ])("refuses %s", (_label, override) => {
    expect(() => isBurnAbovePlan({ burnMicrosPerDay: 1n, plannedBurnMicrosPerDay: 1n, ...override })).toThrow(RangeError);
  });
});

describe("evaluateBurnAbovePlan: opens above plan + tolerance, resolves back at plan", () => {
  test.each([
    ["$1,300/day against $1,000 opens", 1_300n * USD, 1_000n * USD, false, { open: ["BURN_ABOVE_PLAN"], resolve: [] }],
    ["$1,300/day while open: no second alert", 1_300n * USD, 1_000n * USD, true, { open: [], resolve: [] }],
    ["$1,100/day while open: above plan, within tolerance, stays open", 1_100n * USD, 1_000n * USD, true, { open: [], resolve: [] }],
    ["$1,000/day while open: back on plan, resolves", 1_000n * USD, 1_000n * USD, true, { open: [], resolve: ["BURN_ABOVE_PLAN"] }],
    ["$1,100/day while closed: within tolerance, nothing", 1_100n * USD, 1_000n * USD, false, { open: [], resolve: [] }],
    ["no plan while open: resolves", 5_000n * USD, null, true, { open: [], resolve: ["BURN_ABOVE_PLAN"] }],
    ["no plan while closed: nothing", 5_000n * USD, null, false, { open: [], resolve: [] }],
  ])("%s", (_label, burn, planned, isOpen, expected) => {
    expect(evaluateBurnAbovePlan({ burnMicrosPerDay: burn, plannedBurnMicrosPerDay: planned, isOpen })).toEqual(expected);
  });
});
