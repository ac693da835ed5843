import { describe, expect, test } from "vitest";
import { holdAdmission, MIN_HOLD_MICROS } from "./admission";

const USD = 1_000_000n;

describe("holdAdmission: the routing API's reserve condition, spendable ≥ worst case", () => {
  test.each([
    // label, spendable, frozen, amount, expected
    ["$5 spendable admits the smallest request", 5n * USD, 0n, undefined, { isAdmitted: true, spendableMicros: 5n * USD }],
    ["1 µUSD spendable still admits a 1 µUSD hold (≥, not >)", 1n, 100n * USD, undefined, { isAdmitted: true, spendableMicros: 1n }],
    ["nothing spendable with frozen credits is 402 credits_frozen", 0n, 100n * USD, undefined, { isAdmitted: false, status: 402, code: "credits_frozen", spendableMicros: 0n }],
    ["nothing spendable and nothing frozen is 402 insufficient_credits", 0n, 0n, undefined, { isAdmitted: false, status: 402, code: "insufficient_credits", spendableMicros: 0n }],
    ["$1 spendable refuses a $2 worst case; frozen credits make it credits_frozen", USD, 1n, 2n * USD, { isAdmitted: false, status: 402, code: "credits_frozen", spendableMicros: USD }],
    ["$2 spendable admits a $2 worst case exactly", 2n * USD, 1n, 2n * USD, { isAdmitted: true, spendableMicros: 2n * USD }],
  ] as const)("%s", (_label, spendableMicros, frozenMicros, amountMicros, expected) => {
    expect(holdAdmission({ spendableMicros, frozenMicros, amountMicros })).toEqual(expected);
  });

  test("the smallest hold is 1 µUSD", () => {
    expect(MIN_HOLD_MICROS).toBe(1n);
  });

  test.each([
    ["a zero hold", { spendableMicros: 1n, frozenMicros: 0n, amountMicros: 0n }],
    ["a number for money", { spendableMicros: 1 as unknown as bigint, frozenMicros: 0n }],
  ])("refuses %s", (_label, input) => {
    expect(() => holdAdmission(input)).toThrow(RangeError);
  });
});
