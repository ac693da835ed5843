import { describe, expect, test } from "vitest";
import { whatIf, type ProjectionInput } from "./projection";
import { parsePercentToBps, parseWhatIfForm, projectionInputFromDto, projectionInputToDto, type ProjectionInputDto, type WhatIfForm } from "./what-if-inputs";

const USD = 1_000_000n;
const NOW = new Date("2026-03-01T12:00:00.000Z");

// The projection test's borrower: $180,000 of collateral, $100,000 of debt, $1,000/day burn,
// $40/day interest, index flat: margin call on day 32.
const borrower: ProjectionInput = {
  now: NOW,
  collateralMicros: 180_000n * USD,
  frozenMicros: 0n,
  debtMicros: 100_000n * USD,
  interestMicrosPerDay: 40n * USD,
  burnMicrosPerDay: 1_000n * USD,
  installments: [{ dueAt: new Date("2026-03-31T00:00:00.000Z"), amountMicros: 8_000n * USD }],
  indexNowMicros: 2_000_000n,
  indexAtOriginationMicros: 2_000_000n,
  redistributionFeeBps: 1_500,
  indexTrendMicrosPerDay: -1_234n,
  maintenanceBps: 12_500,
  horizonDays: 90,
};

describe("the projection's inputs on the wire", () => {
  test("round-trip exactly: strings of µUSD and ISO instants back to the same bigints and Dates", () => {
    const dto = projectionInputToDto(borrower);
    expect(JSON.parse(JSON.stringify(dto))).toEqual(dto);
    expect(dto.debtMicros).toBe("100000000000");
    expect(dto.indexTrendMicrosPerDay).toBe("-1234");
    expect(projectionInputFromDto(dto)).toEqual(borrower);
  });

  test("above 2^53 µUSD nothing is lost", () => {
    const big = { ...borrower, collateralMicros: 9_007_199_254_740_993n };
    expect(projectionInputFromDto(projectionInputToDto(big)).collateralMicros).toBe(9_007_199_254_740_993n);
  });

  test("the browser's whatIf on the decoded inputs gives what the server's gives", () => {
    const change = { burnChangeBps: 2_000, indexShockBps: -1_000, extraRepaymentMicros: 5_000n * USD };
    expect(whatIf(projectionInputFromDto(projectionInputToDto(borrower)), change)).toEqual(whatIf(borrower, change));
  });

  test.each<[string, Partial<ProjectionInputDto>, string]>([
    ["a float amount", { debtMicros: "1.5" }, "debtMicros"],
    ["a formatted amount", { collateralMicros: "$1,000" }, "collateralMicros"],
    ["a bad date", { now: "yesterday" }, "now"],
    ["a bad installment amount", { installments: [{ dueAt: "2026-04-01T00:00:00.000Z", amountMicros: "" }] }, "installments[0].amountMicros"],
  ])("a malformed field is refused by name: %s", (_label, patch, field) => {
    expect(() => projectionInputFromDto({ ...projectionInputToDto(borrower), ...patch })).toThrow(field);
  });
});

describe("parsePercentToBps: exact, two decimals at most", () => {
  const limits = { min: -100, max: 1_000 };
  test.each<[string, string, number]>([
    ["empty is no change", "", 0],
    ["spaces only is no change", "   ", 0],
    ["20 → 2,000 bps", "20", 2_000],
    ["+20 → 2,000 bps", "+20", 2_000],
    ["-12.5 → −1,250 bps", "-12.5", -1_250],
    ["the real minus sign and a % sign", "\u221212.5 %", -1_250],
    ["0.01 → 1 bps", "0.01", 1],
    ["-0 → 0", "-0", 0],
    ["-100 (no burn at all) is allowed", "-100", -10_000],
    ["1000 is the top", "1000", 100_000],
  ])("%s", (_label, text, bps) => {
    expect(parsePercentToBps(text, "Burn change", limits)).toEqual({ bps });
  });

  test.each<[string, string, string]>([
    ["three decimals", "1.005", "at most two decimals"],
    ["letters", "twenty", "write a percentage"],
    ["below −100%", "-100.01", "from -100% to 1000%"],
    ["above 1,000%", "1000.5", "from -100% to 1000%"],
    ["a comma decimal", "12,5", "write a percentage"],
  ])("refuses %s with a message naming the field", (_label, text, message) => {
    const result = parsePercentToBps(text, "Index shock", limits);
    expect(result).toHaveProperty("error");
    expect((result as { error: string }).error).toContain("Index shock");
    expect((result as { error: string }).error).toContain(message);
  });
});

describe("parseWhatIfForm: the panel's three fields", () => {
  const blank: WhatIfForm = { burnChange: "", indexShock: "", extraRepayment: "" };
  test.each<[string, Partial<WhatIfForm>, { burnChangeBps: number; indexShockBps: number; extraRepaymentMicros: bigint }]>([
    ["all blank: no change", {}, { burnChangeBps: 0, indexShockBps: 0, extraRepaymentMicros: 0n }],
    ["burn +20%, index −15%, $25,000.50 repaid", { burnChange: "20", indexShock: "-15", extraRepayment: "25,000.50" }, { burnChangeBps: 2_000, indexShockBps: -1_500, extraRepaymentMicros: 25_000_500_000n }],
    ["a dollar sign is fine", { extraRepayment: "$100" }, { burnChangeBps: 0, indexShockBps: 0, extraRepaymentMicros: 100n * USD }],
  ])("%s", (_label, patch, change) => {
    expect(parseWhatIfForm({ ...blank, ...patch })).toEqual({ ok: true, change });
  });

  test("every wrong field gets its own message, and nothing is projected", () => {
    const result = parseWhatIfForm({ burnChange: "fast", indexShock: "-200", extraRepayment: "-5" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.burnChange).toMatch(/^Burn change: /);
    expect(result.errors.indexShock).toMatch(/^Index shock: .*-100%/);
    expect(result.errors.extraRepayment).toMatch(/^Extra repayment: .*negative/);
  });

  test("a repayment with more than 6 decimals is refused, not rounded", () => {
    const result = parseWhatIfForm({ ...blank, extraRepayment: "1.0000001" });
    expect(result.ok).toBe(false);
  });
});
