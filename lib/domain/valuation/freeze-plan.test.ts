import { describe, expect, test } from "vitest";
import { planFreeze, type FreezePlanInput } from "./freeze-plan";

const USD = 1_000_000n;

describe("planFreeze: what a freeze moves now, the rule the service applies and the dialog previews", () => {
  // $100 of collateral, $20 of it frozen; the startup has $90 spendable ($80 of the loan's collateral + $10 of its own).
  const base = { unfrozenMicros: 80n * USD, frozenMicros: 20n * USD, spendableMicros: 90n * USD };

  test.each<[string, FreezePlanInput, Partial<ReturnType<typeof planFreeze>>]>([
    ["FULL freezes every unfrozen credit spendable now ($80), leaving the borrower its own $10", { ...base, mode: "FULL" }, { requestedMicros: 80n * USD, amountMicros: 80n * USD, frozenAfterMicros: 100n * USD, spendableAfterMicros: 10n * USD, inFlightMicros: 0n, refusal: null }],
    ["AMOUNT freezes exactly $25", { ...base, mode: "AMOUNT", amountMicros: 25n * USD }, { requestedMicros: 25n * USD, amountMicros: 25n * USD, frozenAfterMicros: 45n * USD, spendableAfterMicros: 65n * USD, refusal: null }],
    ["AMOUNT above what is freezable now is refused, never capped", { ...base, mode: "AMOUNT", amountMicros: 81n * USD }, { requestedMicros: 81n * USD, amountMicros: 0n, spendableAfterMicros: 90n * USD, refusal: "amount_exceeds_freezable" }],
    ["PROTECTIVE brings the frozen credits to the $70 target: $50 more", { ...base, mode: "PROTECTIVE", protectiveMicros: 70n * USD }, { requestedMicros: 50n * USD, amountMicros: 50n * USD, frozenAfterMicros: 70n * USD, refusal: null }],
    ["PROTECTIVE with the target already frozen moves nothing", { ...base, mode: "PROTECTIVE", protectiveMicros: 20n * USD }, { requestedMicros: 0n, amountMicros: 0n, refusal: "protective_already_frozen" }],
    // $30 of the collateral is held by requests in flight: only $60 spendable, all of it the loan's.
    ["requests in flight hold $30: FULL moves $60 now and reports $20 in flight", { unfrozenMicros: 80n * USD, frozenMicros: 20n * USD, spendableMicros: 60n * USD, mode: "FULL" }, { requestedMicros: 80n * USD, amountMicros: 60n * USD, freezableNowMicros: 60n * USD, inFlightMicros: 20n * USD, spendableAfterMicros: 0n }],
    ["…and PROTECTIVE takes what it can of its $70", { unfrozenMicros: 80n * USD, frozenMicros: 0n, spendableMicros: 60n * USD, mode: "PROTECTIVE", protectiveMicros: 70n * USD }, { requestedMicros: 70n * USD, amountMicros: 60n * USD }],
  ])("%s", (_label, input, expected) => {
    expect(planFreeze(input)).toMatchObject(expected);
  });

  test.each<[string, FreezePlanInput]>([
    ["AMOUNT without an amount", { ...base, mode: "AMOUNT" }],
    ["a zero AMOUNT", { ...base, mode: "AMOUNT", amountMicros: 0n }],
    ["PROTECTIVE without its target", { ...base, mode: "PROTECTIVE" }],
    ["an unknown mode", { ...base, mode: "ALL" as "FULL" }],
    ["a negative balance", { ...base, spendableMicros: -1n, mode: "FULL" }],
  ])("refuses %s", (_label, input) => {
    expect(() => planFreeze(input)).toThrow(RangeError);
  });
});
