import { describe, expect, it } from "vitest";
import { settledChargeMicros, spendableAfterSettlementMicros } from "./settlement";

describe("settledChargeMicros", () => {
  it.each([
    { case: "actual below the hold: charged as it is", holdMicros: 10_000n, actualMicros: 4_321n, chargedMicros: 4_321n },
    { case: "actual equal to the hold", holdMicros: 10_000n, actualMicros: 10_000n, chargedMicros: 10_000n },
    { case: "actual above the hold (the upstream overran max_tokens): capped at the hold", holdMicros: 10_000n, actualMicros: 10_001n, chargedMicros: 10_000n },
    { case: "nothing used: nothing charged", holdMicros: 10_000n, actualMicros: 0n, chargedMicros: 0n },
  ])("$case", ({ holdMicros, actualMicros, chargedMicros }) => {
    expect(settledChargeMicros(holdMicros, actualMicros)).toBe(chargedMicros);
  });

  it.each([
    { case: "a negative cost", holdMicros: 10n, actualMicros: -1n, message: "A settled cost cannot be negative." },
    { case: "an empty hold", holdMicros: 0n, actualMicros: 0n, message: "A hold is a positive amount of micro-dollars." },
  ])("refuses $case", ({ holdMicros, actualMicros, message }) => {
    expect(() => settledChargeMicros(holdMicros, actualMicros)).toThrow(message);
  });
});

describe("spendableAfterSettlementMicros", () => {
  it.each([
    // 1,000,000 spendable; a 10,000 hold leaves 990,000; 4,321 charged gives 5,679 back → 995,679.
    { case: "the unused part of the hold comes back", spendableAfterHoldMicros: 990_000n, holdMicros: 10_000n, actualMicros: 4_321n, spendableMicros: 995_679n },
    { case: "the whole hold is spent", spendableAfterHoldMicros: 0n, holdMicros: 10_000n, actualMicros: 10_000n, spendableMicros: 0n },
    { case: "an overrun is capped: the hold was the most it could cost", spendableAfterHoldMicros: 5n, holdMicros: 10_000n, actualMicros: 50_000n, spendableMicros: 5n },
    { case: "nothing used: the balance before the hold", spendableAfterHoldMicros: 990_000n, holdMicros: 10_000n, actualMicros: 0n, spendableMicros: 1_000_000n },
  ])("$case", ({ spendableAfterHoldMicros, holdMicros, actualMicros, spendableMicros }) => {
    expect(spendableAfterSettlementMicros({ spendableAfterHoldMicros, holdMicros, actualMicros })).toBe(spendableMicros);
  });
});
