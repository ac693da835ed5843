import { describe, expect, it } from "vitest";
import { coverageBps } from "../valuation/coverage";
import { parMarkRatio } from "../valuation/mark";
import { previewApproval } from "./approval-preview";
import { leastPledgeMicros, microsToUsdInput, parseApplicationForm, previewApplication, type ApplicationForm } from "./application-preview";

const USD = 1_000_000n;
const NOW = new Date("2026-01-15T14:20:00.000Z");
const MARK = parMarkRatio(1_500); // 0.85

describe("leastPledgeMicros", () => {
  it.each([
    // 1.5×: financed 60,000; ⌈1.5 × 40,000 / 0.85⌉ = ⌈70,588.235294…⌉ → 70,588,235,295 µUSD; less 60,000,000,000.
    ["$40,000 at 1.5× needs $10,588.235295", 40_000n * USD, 15_000, 10_588_235_295n],
    // 1.25×: financed 125,000; ⌈1.5 × 100,000 / 0.85⌉ = 176,470,588,236 µUSD; less 125,000,000,000.
    ["$100,000 at 1.25× needs $51,470.588236", 100_000n * USD, 12_500, 51_470_588_236n],
    // 1.3× on $100,000: 176,470.588236 − 130,000 = 46,470.588236.
    ["$100,000 at 1.3× needs $46,470.588236", 100_000n * USD, 13_000, 46_470_588_236n],
    // 1 µUSD at 1.5×: financed ⌊1.5⌋ = 1; ⌈1.5 / 0.85⌉ = 2 → 1.
    ["1 µUSD at 1.5× needs 1 µUSD", 1n, 15_000, 1n],
  ])("%s", (_label, principalMicros, multiplierBps, expected) => {
    expect(leastPledgeMicros({ principalMicros, multiplierBps, mark: MARK, initialThresholdBps: 15_000 })).toBe(expected);
  });

  it.each([
    [10_000n * USD, 12_500],
    [40_000n * USD, 15_000],
    [123_456_789n, 13_337],
    [999_999_999_999n, 14_999],
  ])("the least pledge for %s µUSD at %s bps reaches 150%% exactly; one µUSD less does not", (principalMicros, multiplierBps) => {
    const least = leastPledgeMicros({ principalMicros, multiplierBps, mark: MARK, initialThresholdBps: 15_000 })!;
    const financed = (principalMicros * BigInt(multiplierBps)) / 10_000n;
    expect(coverageBps({ collateralMicros: financed + least, mark: MARK, debtMicros: principalMicros })).toBeGreaterThanOrEqual(15_000);
    expect(coverageBps({ collateralMicros: financed + least - 1n, mark: MARK, debtMicros: principalMicros })).toBeLessThan(15_000);
  });

  it("is 0 when the financed credits alone reach the threshold (a lower threshold)", () => {
    // 1.5 × 0.85 = 127.5% ≥ 125%.
    expect(leastPledgeMicros({ principalMicros: 10_000n * USD, multiplierBps: 15_000, mark: MARK, initialThresholdBps: 12_500 })).toBe(0n);
  });
});

describe("previewApplication", () => {
  const input = { principalMicros: 100_000n * USD, multiplierBps: 13_000, termMonths: 12, pledgedMicros: 50_000n * USD, indicativeAprBps: 1_200, redistributionFeeBps: 1_500, initialThresholdBps: 15_000, indexMicros: 2_000_000n, now: NOW };

  it("is the approval preview at the indicative APR, with the least pledge beside it", () => {
    const preview = previewApplication(input);
    const approval = previewApproval({ ...input, aprBps: 1_200, initialThresholdBps: 15_000 });
    expect({ ...preview, aprBps: undefined, initialThresholdBps: undefined, leastPledgeMicros: undefined }).toEqual({ ...approval, aprBps: undefined, initialThresholdBps: undefined, leastPledgeMicros: undefined });
    // financed 130,000; coverage 180,000 × 0.85 / 100,000 = 153%; A at 1%/month over 12 = 8,884,878,868 µUSD.
    expect({ financed: preview.financedMicros, coverage: preview.initialCoverageBps, installment: preview.installmentMicros, rows: preview.schedule.length, least: preview.leastPledgeMicros }).toEqual({
      financed: 130_000n * USD,
      coverage: 15_300,
      installment: 8_884_878_868n,
      rows: 12,
      least: 46_470_588_236n,
    });
    expect(preview.schedule[0].dueDate.toISOString()).toBe("2026-02-15T00:00:00.000Z");
  });

  it("without an index fix: no coverage and no least pledge, the installments still", () => {
    const preview = previewApplication({ ...input, indexMicros: null });
    expect({ coverage: preview.initialCoverageBps, least: preview.leastPledgeMicros, installment: preview.installmentMicros }).toEqual({ coverage: null, least: null, installment: 8_884_878_868n });
  });
});

describe("parseApplicationForm", () => {
  const form: ApplicationForm = { principalUsd: "100,000", multiplier: "1.3", termMonths: "12", pledgeUsd: "50000", purpose: " Inference for the launch. " };

  it("turns what was typed into µUSD and bps, exactly", () => {
    expect(parseApplicationForm(form)).toEqual({ ok: true, application: { principalMicros: 100_000n * USD, multiplierBps: 13_000, termMonths: 12, pledgedMicros: 50_000n * USD, purpose: "Inference for the launch." } });
    expect(parseApplicationForm({ ...form, pledgeUsd: "", multiplier: "1.25×" })).toMatchObject({ ok: true, application: { pledgedMicros: 0n, multiplierBps: 12_500 } });
  });

  it.each([
    ["a blank principal", { principalUsd: "" }, "principalUsd", "Enter the principal you want, in USD."],
    ["a principal of 0", { principalUsd: "0" }, "principalUsd", "Enter a principal above $0."],
    ["a principal above $100M", { principalUsd: "100,000,001" }, "principalUsd", "At most $100,000,000."],
    ["a principal with 7 decimals", { principalUsd: "1.0000001" }, "principalUsd", '"1.0000001" has 7 decimals; at most 6 are allowed (the smallest unit is $0.000001).'],
    ["a multiplier of 2", { multiplier: "2" }, "multiplier", "Between 1.25 and 1.5."],
    ["a multiplier of 1.2", { multiplier: "1.2" }, "multiplier", "Between 1.25 and 1.5."],
    ["a multiplier in words", { multiplier: "one and a half" }, "multiplier", "Write the multiplier like 1.5 (at most four decimals)."],
    ["a term of 0", { termMonths: "0" }, "termMonths", "Whole months, 1 to 36."],
    ["a term of 37", { termMonths: "37" }, "termMonths", "Whole months, 1 to 36."],
    ["a term of 1.5", { termMonths: "1.5" }, "termMonths", "Whole months, 1 to 36."],
    ["a negative pledge", { pledgeUsd: "-5" }, "pledgeUsd", '"-5" is negative; the amount cannot be negative.'],
    ["a blank purpose", { purpose: "  " }, "purpose", "Say what the financing is for."],
    ["a purpose of 501 characters", { purpose: "x".repeat(501) }, "purpose", "Keep it to 500 characters."],
  ])("refuses %s on its field", (_label, change, field, message) => {
    expect(parseApplicationForm({ ...form, ...change })).toEqual({ ok: false, errors: { [field]: message } });
  });

  it("refuses a pledge above the startup's own credits", () => {
    expect(parseApplicationForm(form, { maxPledgeMicros: 49_999_999_999n })).toEqual({ ok: false, errors: { pledgeUsd: "You can pledge at most $49,999.999999 of your own credits." } });
  });
});

describe("microsToUsdInput", () => {
  it.each([
    [10_588_235_295n, "10588.235295"],
    [100n * USD, "100"],
    [10_500_000n, "10.5"],
    [0n, "0"],
  ])("%s µUSD → %s", (micros, text) => {
    expect(microsToUsdInput(micros)).toBe(text);
  });
});
