import { describe, expect, it, test } from "vitest";
import { parseApprovalForm, parseMultiplierToBps, termsToForm, type ApprovalForm } from "./approval-form";
import { financedCreditsMicros, previewApproval, projectApprovedCoverage, suggestApprovalTerms, suggestFacility, type FacilityOption } from "./approval-preview";
import { DEFAULT_FOUR_EYES_THRESHOLD_MICROS, decideFourEyes, differingTerms, needsSecondApproval, type ParsedApprovalTerms } from "./approval-terms";
import { levelPaymentMicros } from "./schedule";

const USD = 1_000_000n;
const NOW = new Date("2026-03-10T12:00:00Z");
const INDEX = 2_100_000n;

const base = { principalMicros: 200_000n * USD, pledgedMicros: 60_000n * USD, termMonths: 12, redistributionFeeBps: 1_500, multiplierBps: 15_000, aprBps: 1_400, initialThresholdBps: 15_000, indexMicros: INDEX, now: NOW };

describe("previewApproval: what an approval would disburse", () => {
  test.each([
    ["Quill Health as offered: $200k at 1.5× with $60k pledged", {}, { financed: 300_000n * USD, collateral: 360_000n * USD, coverage: 15_300, meets: true }],
    ["1.25× and no pledge: 106.25% coverage, short of 150%", { multiplierBps: 12_500, pledgedMicros: 0n }, { financed: 250_000n * USD, collateral: 250_000n * USD, coverage: 10_625, meets: false }],
    ["1.5× and no pledge: 127.5%", { pledgedMicros: 0n }, { financed: 300_000n * USD, collateral: 300_000n * USD, coverage: 12_750, meets: false }],
    ["a threshold of 160% is not met by 153%", { initialThresholdBps: 16_000 }, { financed: 300_000n * USD, collateral: 360_000n * USD, coverage: 15_300, meets: false }],
    ["an odd multiplier floors the credits: $1 at 1.3333× → 1.3333 $", { principalMicros: USD, pledgedMicros: USD, multiplierBps: 13_333 }, { financed: 1_333_300n, collateral: 2_333_300n, coverage: 19_833, meets: true }],
  ])("%s", (_label, overrides, expected) => {
    const preview = previewApproval({ ...base, ...overrides });
    expect(preview.financedMicros).toBe(expected.financed);
    expect(preview.collateralMicros).toBe(expected.collateral);
    expect(preview.initialCoverageBps).toBe(expected.coverage);
    expect(preview.meetsInitialThreshold).toBe(expected.meets);
    expect(preview.markPpm).toBe(850_000);
  });

  it("names the pledge that would meet the threshold: $200k at 1.5×, nothing pledged, needs $52,941.176471 more (⌈$200k × 1.5 / 0.85⌉ − $300k)", () => {
    const preview = previewApproval({ ...base, pledgedMicros: 0n });
    expect(preview.pledgeShortfallMicros).toBe(52_941_176_471n);
    const after = previewApproval({ ...base, pledgedMicros: preview.pledgeShortfallMicros! });
    expect(after.meetsInitialThreshold).toBe(true);
    expect(previewApproval({ ...base, pledgedMicros: preview.pledgeShortfallMicros! - 1n }).meetsInitialThreshold).toBe(false);
  });

  it("the installment is the schedule's level payment, and the schedule repays exactly the principal", () => {
    const preview = previewApproval(base);
    expect(preview.installmentMicros).toBe(levelPaymentMicros(base.principalMicros, 1_400, 12));
    expect(preview.schedule).toHaveLength(12);
    expect(preview.schedule.reduce((sum, row) => sum + row.principalMicros, 0n)).toBe(base.principalMicros);
    expect(preview.totalRepaidMicros - preview.totalInterestMicros).toBe(base.principalMicros);
    expect(preview.schedule[0].dueDate.toISOString()).toBe("2026-04-10T00:00:00.000Z");
    // $200,000 × 14% / 365 = $76.712328…, rounded up.
    expect(preview.interestMicrosPerDay).toBe(76_712_329n);
  });

  test.each([
    ["APR 0: the installment is ⌈P / n⌉", 0, 16_666_666_667n],
    ["APR 14% over 12 months: $17,957.423523", 1_400, 17_957_423_523n],
  ])("%s", (_label, aprBps, installment) => {
    expect(previewApproval({ ...base, aprBps }).installmentMicros).toBe(installment);
  });

  it("without an index fix there is no coverage (the approval is refused)", () => {
    const preview = previewApproval({ ...base, indexMicros: null });
    expect(preview.initialCoverageBps).toBeNull();
    expect(preview.meetsInitialThreshold).toBe(false);
    expect(preview.pledgeShortfallMicros).toBeNull();
  });

  it("financedCreditsMicros floors P × multiplier", () => {
    expect(financedCreditsMicros(3n, 15_000)).toBe(4n);
    expect(financedCreditsMicros(200_000n * USD, 12_500)).toBe(250_000n * USD);
  });
});

describe("projectApprovedCoverage: the coverage path under the proposed terms", () => {
  const preview = previewApproval(base);
  const project = (burnMicrosPerDay: bigint, indexTrendMicrosPerDay = 0n) =>
    projectApprovedCoverage({ preview, principalMicros: base.principalMicros, now: NOW, indexMicros: INDEX, indexTrendMicrosPerDay, burnMicrosPerDay, redistributionFeeBps: 1_500, maintenanceBps: 12_500, horizonDays: 180 });

  it("starts at the initial coverage", () => {
    expect(project(0n).series[0].coverageBps).toBe(preview.initialCoverageBps);
  });

  it("with no burn, installments paying the debt down lift coverage", () => {
    const path = project(0n);
    expect(path.daysToMarginCall).toBeNull();
    expect(path.series.at(-1)!.coverageBps!).toBeGreaterThan(path.series[0].coverageBps!);
  });

  it("a burn of $3,000 a day brings a margin call within the horizon", () => {
    const path = project(3_000n * USD);
    expect(path.daysToMarginCall).not.toBeNull();
    expect(path.daysToMarginCall!).toBeGreaterThan(0);
  });

  it("a falling index brings it sooner", () => {
    expect(project(3_000n * USD, -10_000n).daysToMarginCall!).toBeLessThan(project(3_000n * USD).daysToMarginCall!);
  });
});

const facility = (id: string, headroomUsd: bigint, defaultAprBps = 1_400): FacilityOption => ({ id, name: id, lenderName: "L", limitMicros: 5_000_000n * USD, headroomMicros: headroomUsd * USD, defaultAprBps });

describe("suggested terms", () => {
  test.each([
    ["the facility with the most headroom that fits", [facility("a", 300_000n), facility("b", 2_000_000n, 1_600)], "b"],
    ["one that cannot take the principal is skipped", [facility("a", 100_000n), facility("b", 250_000n)], "b"],
    ["ties go by name", [facility("b", 500_000n), facility("a", 500_000n)], "a"],
    ["none fits: no suggestion", [facility("a", 100_000n)], null],
  ])("%s", (_label, facilities, expected) => {
    expect(suggestFacility(facilities, 200_000n * USD)?.id ?? null).toBe(expected);
  });

  it("prefills the facility's default APR, the multiplier asked and the default thresholds", () => {
    expect(suggestApprovalTerms({ principalMicros: 200_000n * USD, multiplierBps: 15_000 }, [facility("k", 2_000_000n, 1_600)])).toEqual({
      facilityId: "k",
      aprBps: 1_600,
      multiplierBps: 15_000,
      initialCoverageBps: 15_000,
      maintenanceCoverageBps: 12_500,
      liquidationCoverageBps: 11_000,
      earlyWarningBps: [14_000, 13_000],
      autoFreeze: false,
      cureWindowHours: 72,
      gracePeriodDays: 5,
    });
  });
});

const TERMS: ParsedApprovalTerms = suggestApprovalTerms({ principalMicros: USD, multiplierBps: 15_000 }, [facility("f", 1_000_000n)])!;

describe("the approval form", () => {
  it("round-trips the suggested terms", () => {
    expect(parseApprovalForm(termsToForm(TERMS))).toEqual({ ok: true, terms: TERMS });
  });

  test.each([
    ["1.5", 15_000],
    ["1.25", 12_500],
    ["1.35×", 13_500],
    ["1.3333x", 13_333],
  ])("multiplier %s → %i bps", (text, bps) => {
    expect(parseMultiplierToBps(text)).toEqual({ bps });
  });

  test.each<[string, Partial<ApprovalForm>, keyof ApprovalForm, RegExp]>([
    ["APR above 100%", { aprPct: "120" }, "aprPct", /APR: choose from 0% to 100%/],
    ["a multiplier of 2", { multiplier: "2" }, "multiplier", /at most 1\.5×/],
    ["a multiplier that is not a number", { multiplier: "lots" }, "multiplier", /like 1\.5/],
    ["maintenance under liquidation", { maintenancePct: "105" }, "maintenancePct", /above the liquidation threshold \(110%\)/],
    ["an initial threshold under 150%", { initialPct: "140" }, "initialPct", /at least 150%/],
    ["an early warning above the initial threshold", { firstWarningPct: "160" }, "firstWarningPct", /above maintenance \(125%\)/],
    ["hours that are not whole", { cureWindowHours: "1.5" }, "cureWindowHours", /whole number/],
    ["no facility", { facilityId: "" }, "facilityId", /pick the lender facility/],
  ])("refuses %s, naming the field", (_label, change, field, message) => {
    const result = parseApprovalForm({ ...termsToForm(TERMS), ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toMatch(message);
  });

  it("a single early warning is fine", () => {
    const result = parseApprovalForm({ ...termsToForm(TERMS), secondWarningPct: "" });
    expect(result.ok && result.terms.earlyWarningBps).toEqual([14_000]);
  });
});

describe("four-eyes", () => {
  test.each([
    ["$200,000 is below the default $250,000", 200_000n * USD, false],
    ["$250,000 equals it: one admin", 250_000n * USD, false],
    ["$250,000.000001 is above it", 250_000n * USD + 1n, true],
  ])("%s", (_label, principal, expected) => {
    expect(needsSecondApproval(principal, DEFAULT_FOUR_EYES_THRESHOLD_MICROS)).toBe(expected);
  });

  const big = { principalMicros: 300_000n * USD, firstApprovedById: null as string | null };
  test.each([
    ["below the threshold: disburse", { application: { ...big, principalMicros: 100n }, first: null, approver: "a" }, "disburse"],
    ["above, nobody yet: record the first", { application: big, first: null, approver: "a" }, "record_first"],
    ["above, the same admin again", { application: { ...big, firstApprovedById: "a" }, first: TERMS, approver: "a" }, "same_admin"],
    ["above, a second admin", { application: { ...big, firstApprovedById: "a" }, first: TERMS, approver: "b" }, "second"],
  ])("%s", (_label, input, kind) => {
    expect(decideFourEyes({ application: input.application, thresholdMicros: DEFAULT_FOUR_EYES_THRESHOLD_MICROS, approverId: input.approver, terms: TERMS, firstApprovedTerms: input.first }).kind).toBe(kind);
  });

  it("names the terms that differ, whatever the order of the early warnings", () => {
    expect(differingTerms(TERMS, { ...TERMS, earlyWarningBps: [13_000, 14_000] })).toEqual([]);
    expect(differingTerms(TERMS, { ...TERMS, aprBps: 1_500, autoFreeze: true })).toEqual(["aprBps", "autoFreeze"]);
  });
});
