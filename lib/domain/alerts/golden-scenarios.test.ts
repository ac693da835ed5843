// Golden multi-step scenarios across valuation and alerts. Every coverage figure was worked out by
// hand with exact fractions (the working is beside it), never read off the functions under test.
// Each runner carries the loan's alert state from step to step the way the coverage monitor will:
// apply the opens and resolves, open or clear the margin call.

import { describe, expect, test } from "vitest";
import { coverageBps, markPpm, projectDaysToMarginCall, cureAmountsMicros, protectiveFreezeMicros } from "../valuation";
import { evaluateCoverageAlerts, type CoverageThresholds } from "./coverage-alerts";
import type { AlertKind } from "./kinds";
import { marginCallDecision, shouldAutoFreeze, type MarginCallDecision } from "./margin-call";
import { alertMessage } from "./messages";

const USD = 1_000_000n;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORIGIN_INDEX = 2_000_000n;
const FEE_BPS = 1_500;
const THRESHOLDS: CoverageThresholds = { earlyWarningBps: [14_000, 13_000], maintenanceBps: 12_500, liquidationBps: 11_000 };

type Step = {
  label: string;
  at: Date;
  indexMicros: bigint;
  collateralMicros: bigint;
  debtMicros: bigint;
  expected: { markPpm: number; coverageBps: number; open: AlertKind[]; resolve: AlertKind[]; marginCall: MarginCallDecision["kind"] };
};

/** Runs the steps in order, carrying open alerts and the margin call; returns what each step decided. */
function runScenario(steps: Step[]) {
  const open = new Set<AlertKind>();
  let marginCall: { at: Date; deadline: Date } | null = null;
  return steps.map((step) => {
    const mark = markPpm({ indexNowMicros: step.indexMicros, indexAtOriginationMicros: ORIGIN_INDEX, redistributionFeeBps: FEE_BPS });
    const coverage = coverageBps({ collateralMicros: step.collateralMicros, markPpm: mark, debtMicros: step.debtMicros });
    const changes = evaluateCoverageAlerts({ coverageBps: coverage, thresholds: THRESHOLDS, openKinds: open });
    for (const kind of changes.open) open.add(kind);
    for (const kind of changes.resolve) open.delete(kind);
    const decision = marginCallDecision({ coverageBps: coverage, maintenanceBps: THRESHOLDS.maintenanceBps, marginCallAt: marginCall?.at ?? null, cureDeadline: marginCall?.deadline ?? null, now: step.at });
    if (decision.kind === "OPEN") marginCall = { at: decision.marginCallAt, deadline: decision.cureDeadline };
    if (decision.kind === "CURED") marginCall = null;
    return { step, mark, coverage, changes, decision, openAfter: [...open].sort() };
  });
}

function expectSteps(steps: Step[]) {
  const results = runScenario(steps);
  for (const { step, mark, coverage, changes, decision } of results) {
    expect({ step: step.label, markPpm: mark, coverageBps: coverage, open: changes.open, resolve: changes.resolve, marginCall: decision.kind }).toEqual({ step: step.label, ...step.expected });
  }
  return results;
}

// ───────────────────────────── (a) index shock ─────────────────────────────

// $180,000 of collateral against a constant $100,000 of debt; only the index moves.
// mark = min(1, index / 2.00) × 0.85; coverage = 180,000 × mark / 100,000.
const loanA = { collateralMicros: 180_000n * USD, debtMicros: 100_000n * USD };
const dayA = (d: number) => new Date(Date.UTC(2026, 2, d));
const indexShock: Step[] = [
  { label: "1. index at origination: 0.85 → 153,000 / 100,000 = 153%", at: dayA(1), indexMicros: 2_000_000n, ...loanA, expected: { markPpm: 850_000, coverageBps: 15_300, open: [], resolve: [], marginCall: "NONE" } },
  { label: "2. index +5%: the mark stays 0.85 (min(1, 1.05))", at: dayA(2), indexMicros: 2_100_000n, ...loanA, expected: { markPpm: 850_000, coverageBps: 15_300, open: [], resolve: [], marginCall: "NONE" } },
  // 0.85 × 0.85 = 0.7225; 180,000 × 0.7225 = 130,050 → 130.05%: below 140%, not below 130%
  { label: "3. index −15%: 0.7225 → 130.05% opens the first early warning", at: dayA(3), indexMicros: 1_700_000n, ...loanA, expected: { markPpm: 722_500, coverageBps: 13_005, open: ["EARLY_WARNING_1"], resolve: [], marginCall: "NONE" } },
  // 0.75 × 0.85 = 0.6375; 180,000 × 0.6375 = 114,750 → 114.75%
  { label: "4. index −25%: 0.6375 → 114.75% opens the second warning and the margin call", at: dayA(4), indexMicros: 1_500_000n, ...loanA, expected: { markPpm: 637_500, coverageBps: 11_475, open: ["EARLY_WARNING_2", "MARGIN_CALL"], resolve: [], marginCall: "OPEN" } },
  // 0.70 × 0.85 = 0.595; 180,000 × 0.595 = 107,100 → 107.10%
  { label: "5. index −30%: 0.595 → 107.10% enters the liquidation zone", at: dayA(5), indexMicros: 1_400_000n, ...loanA, expected: { markPpm: 595_000, coverageBps: 10_710, open: ["LIQUIDATION_ZONE"], resolve: [], marginCall: "CURE_PENDING" } },
  // 0.90 × 0.85 = 0.765; 180,000 × 0.765 = 137,700 → 137.70% ≥ 135% (EW2 + 5), ≥ 130% (MC + 5), ≥ 115% (LZ + 5); < 145% (EW1 + 5)
  { label: "6. index back to −10%: 0.765 → 137.70% cures and resolves all but the first warning", at: dayA(6), indexMicros: 1_800_000n, ...loanA, expected: { markPpm: 765_000, coverageBps: 13_770, open: [], resolve: ["EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"], marginCall: "CURED" } },
  // 0.935 × 0.85 = 0.79475; 180,000 × 0.79475 = 143,055 → 143.055% → 14,305: inside 140%–145%, nothing moves
  { label: "7. index −6.5%: 0.79475 → 143.05% is inside the first warning's band: no change", at: dayA(7), indexMicros: 1_870_000n, ...loanA, expected: { markPpm: 794_750, coverageBps: 14_305, open: [], resolve: [], marginCall: "NONE" } },
  // 0.95 × 0.85 = 0.8075; 180,000 × 0.8075 = 145,350 → 145.35% ≥ 145%
  { label: "8. index −5%: 0.8075 → 145.35% resolves the first warning", at: dayA(8), indexMicros: 1_900_000n, ...loanA, expected: { markPpm: 807_500, coverageBps: 14_535, open: [], resolve: ["EARLY_WARNING_1"], marginCall: "NONE" } },
];

describe("golden (a): an index shock walks a loan down through every level and back", () => {
  test("each step's mark, coverage, alerts and margin call", () => {
    const results = expectSteps(indexShock);
    expect(results[4].openAfter).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2", "LIQUIDATION_ZONE", "MARGIN_CALL"]);
    expect(results[7].openAfter).toEqual([]);
  });

  test("in the liquidation zone (step 5) a loan with auto-freeze freezes itself, and the protective amount is everything", () => {
    expect(shouldAutoFreeze({ coverageBps: 10_710, liquidationBps: 11_000, autoFreeze: true, state: "MARGIN_CALL" })).toBe(true);
    expect(shouldAutoFreeze({ coverageBps: 10_710, liquidationBps: 11_000, autoFreeze: false, state: "MARGIN_CALL" })).toBe(false);
    // ⌈100,000 × 1.25 / 0.595⌉ = ⌈210,084.03⌉ USD > 180,000 → all of it
    expect(protectiveFreezeMicros({ ...loanA, maintenanceBps: 12_500, markPpm: 595_000 })).toBe(180_000n * USD);
  });

  test("the messages the lender reads at steps 3, 4 and 5", () => {
    expect(alertMessage({ kind: "EARLY_WARNING_1", thresholdBps: 14_000, coverageBps: 13_005 })).toBe("Coverage fell below the 140% early-warning level (now 130.05%).");
    // opened 2026-03-04 00:00 UTC + 72 h
    expect(alertMessage({ kind: "MARGIN_CALL", thresholdBps: 12_500, coverageBps: 11_475, cureDeadline: new Date(dayA(4).getTime() + 72 * HOUR) })).toBe(
      "Coverage fell below the 125% maintenance level (now 114.75%): margin call, cure by 2026-03-07 00:00 UTC by repaying or pledging more credits.",
    );
    expect(alertMessage({ kind: "LIQUIDATION_ZONE", thresholdBps: 11_000, coverageBps: 10_710, autoFreeze: true })).toBe("Coverage fell below the 110% liquidation level (now 107.10%): the collateral freezes automatically.");
  });
});

// ───────────────────────────── (b) burn to a margin call, then cure ─────────────────────────────

// Index flat at origination (mark 0.85). Day d: collateral 180,000 − 1,000d (burn $1,000/day),
// debt 100,000 + 40d (interest $40/day). Coverage = 0.85 × collateral / debt.
const T0 = Date.parse("2026-03-01T12:00:00Z");
const onDay = (d: number, extraMs = 0) => new Date(T0 + d * DAY + extraMs);
const dayB = (d: number) => ({ indexMicros: ORIGIN_INDEX, collateralMicros: (180_000n - 1_000n * BigInt(d)) * USD, debtMicros: (100_000n + 40n * BigInt(d)) * USD });

const burnDown: Step[] = [
  { label: "day 0: 153,000 / 100,000 = 153%", at: onDay(0), ...dayB(0), expected: { markPpm: 850_000, coverageBps: 15_300, open: [], resolve: [], marginCall: "NONE" } },
  // 166,000 × 0.85 = 141,100; / 100,560 = 1.403142… → 14,031
  { label: "day 14: 141,100 / 100,560 = 140.31%, still above 140%", at: onDay(14), ...dayB(14), expected: { markPpm: 850_000, coverageBps: 14_031, open: [], resolve: [], marginCall: "NONE" } },
  // 165,000 × 0.85 = 140,250; / 100,600 = 1.394135… → 13,941
  { label: "day 15: 140,250 / 100,600 = 139.41% opens the first warning", at: onDay(15), ...dayB(15), expected: { markPpm: 850_000, coverageBps: 13_941, open: ["EARLY_WARNING_1"], resolve: [], marginCall: "NONE" } },
  // 155,000 × 0.85 = 131,750; / 101,000 = 1.304455… → 13,044
  { label: "day 25: 131,750 / 101,000 = 130.44%", at: onDay(25), ...dayB(25), expected: { markPpm: 850_000, coverageBps: 13_044, open: [], resolve: [], marginCall: "NONE" } },
  // 154,000 × 0.85 = 130,900; / 101,040 = 1.295526… → 12,955
  { label: "day 26: 130,900 / 101,040 = 129.55% opens the second warning", at: onDay(26), ...dayB(26), expected: { markPpm: 850_000, coverageBps: 12_955, open: ["EARLY_WARNING_2"], resolve: [], marginCall: "NONE" } },
  // 149,000 × 0.85 = 126,650; / 101,240 = 1.250987… → 12,509
  { label: "day 31: 126,650 / 101,240 = 125.09%", at: onDay(31), ...dayB(31), expected: { markPpm: 850_000, coverageBps: 12_509, open: [], resolve: [], marginCall: "NONE" } },
  // 148,000 × 0.85 = 125,800; / 101,280 = 1.242101… → 12,421
  { label: "day 32: 125,800 / 101,280 = 124.21% opens the margin call", at: onDay(32), ...dayB(32), expected: { markPpm: 850_000, coverageBps: 12_421, open: ["MARGIN_CALL"], resolve: [], marginCall: "OPEN" } },
];

// The startup cures: +2 h repays $2,000 (debt 99,280), +5 h pledges $10,000 of its own credits (collateral 158,000).
const cure: Step[] = [
  // 125,800 / 99,280 = 1.267123… → 12,671: above 125% but below 130% (maintenance + 5): not cured
  { label: "day 32 + 2 h: repaying $2,000 lifts coverage to 126.71%, inside the band: still a margin call", at: onDay(32, 2 * HOUR), indexMicros: ORIGIN_INDEX, collateralMicros: 148_000n * USD, debtMicros: 99_280n * USD, expected: { markPpm: 850_000, coverageBps: 12_671, open: [], resolve: [], marginCall: "CURE_PENDING" } },
  // 158,000 × 0.85 = 134,300; / 99,280 = 1.352739… → 13,527: ≥ 130% cures, ≥ 135% resolves the second warning, < 145% keeps the first
  { label: "day 32 + 5 h: pledging $10,000 lifts it to 135.27%: cured", at: onDay(32, 5 * HOUR), indexMicros: ORIGIN_INDEX, collateralMicros: 158_000n * USD, debtMicros: 99_280n * USD, expected: { markPpm: 850_000, coverageBps: 13_527, open: [], resolve: ["EARLY_WARNING_2", "MARGIN_CALL"], marginCall: "CURED" } },
];

// Or the startup does nothing and keeps burning.
const noCure: Step[] = [
  // 146,000 × 0.85 = 124,100; / 101,360 = 1.224349… → 12,243
  { label: "day 34 (48 h in): 124,100 / 101,360 = 122.43%, 24 h left", at: onDay(34), ...dayB(34), expected: { markPpm: 850_000, coverageBps: 12_243, open: [], resolve: [], marginCall: "CURE_PENDING" } },
  // 145,000 × 0.85 = 123,250; / 101,400 = 1.215483… → 12,154
  { label: "day 35 (72 h in): 123,250 / 101,400 = 121.54%, uncured at the deadline: liquidation allowed", at: onDay(35), ...dayB(35), expected: { markPpm: 850_000, coverageBps: 12_154, open: [], resolve: [], marginCall: "CURE_EXPIRED" } },
];

describe("golden (b): the borrower burns down to a margin call, then cures it (with hysteresis) or not", () => {
  test("the projection on day 0 sees the margin call coming on day 32 (2026-04-02)", () => {
    const projection = projectDaysToMarginCall({
      now: onDay(0),
      collateralMicros: 180_000n * USD,
      debtMicros: 100_000n * USD,
      interestMicrosPerDay: 40n * USD,
      burnMicrosPerDay: 1_000n * USD,
      installments: [],
      indexNowMicros: ORIGIN_INDEX,
      indexAtOriginationMicros: ORIGIN_INDEX,
      redistributionFeeBps: FEE_BPS,
      indexTrendMicrosPerDay: 0n,
      maintenanceBps: 12_500,
      horizonDays: 60,
    });
    expect(projection.daysToMarginCall).toBe(32);
    expect(projection.marginCallDate).toBe("2026-04-02");
  });

  test("burn down, then a repayment (not enough: hysteresis) and a pledge (enough)", () => {
    const results = expectSteps([...burnDown, ...cure]);
    const opened = results[6].decision;
    expect(opened).toMatchObject({ kind: "OPEN", marginCallAt: onDay(32), cureDeadline: onDay(35) });
    expect(results[7].decision).toMatchObject({ kind: "CURE_PENDING", msUntilDeadline: 70 * HOUR });
    expect(results[8].openAfter).toEqual(["EARLY_WARNING_1"]);
  });

  test("what the startup is told on day 32: repay $4,510.769231 or pledge $6,898.823530 to reach 130%", () => {
    // debt ≤ ⌊125,800,000,000 / 1.3⌋ = 96,769,230,769 → repay 101,280,000,000 − 96,769,230,769;
    // collateral ≥ ⌈1.3 × 101,280,000,000 / 0.85⌉ = 154,898,823,530 → pledge 154,898,823,530 − 148,000,000,000
    expect(cureAmountsMicros({ collateralMicros: 148_000n * USD, debtMicros: 101_280n * USD, markPpm: 850_000, targetBps: 13_000 })).toEqual({ repayMicros: 4_510_769_231n, pledgeMicros: 6_898_823_530n });
  });

  test("burn down, no cure: 72 h later liquidation is allowed", () => {
    const results = expectSteps([...burnDown, ...noCure]);
    expect(results[7].decision).toMatchObject({ kind: "CURE_PENDING", msUntilDeadline: 24 * HOUR, isLiquidationAllowed: false });
    expect(results[8].decision).toMatchObject({ kind: "CURE_EXPIRED", cureDeadline: onDay(35), isLiquidationAllowed: true });
    expect(results[8].openAfter).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL"]);
  });
});
