import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { projectDaysToMarginCall, sevenDayBurnMicrosPerDay, whatIf, type ProjectionInput } from "./projection";

const USD = 1_000_000n;
const NOW = new Date("2026-03-01T12:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

// The borrower of these tests: $180,000 of collateral against $100,000 of debt, index flat at its
// origination level ($2.00), so the mark is 0.85 and coverage today is 153,000 / 100,000 = 153%.
// It burns $1,000 a day and owes $40 of interest a day (14.6% APR on $100,000 / 365).
// Day d, with no installment: collateral 180,000 − 1,000d, debt 100,000 + 40d, and
//   coverage < 125% ⇔ 0.85 × (180,000 − 1,000d) < 1.25 × (100,000 + 40d)
//               ⇔ 153,000 − 850d < 125,000 + 50d ⇔ 28,000 < 900d ⇔ d > 31.1  → day 32.
const borrower: ProjectionInput = {
  now: NOW,
  collateralMicros: 180_000n * USD,
  debtMicros: 100_000n * USD,
  interestMicrosPerDay: 40n * USD,
  burnMicrosPerDay: 1_000n * USD,
  installments: [],
  indexNowMicros: 2_000_000n,
  indexAtOriginationMicros: 2_000_000n,
  redistributionFeeBps: 1_500,
  indexTrendMicrosPerDay: 0n,
  maintenanceBps: 12_500,
  horizonDays: 90,
};

const coverageOn = (series: { day: number; coverageBps: number | null }[], day: number) => series[day].coverageBps;

describe("projectDaysToMarginCall: day-by-day burn, interest, installments and index trend", () => {
  test.each<[string, Partial<ProjectionInput>, number | null, [number, number | null][]]>([
    // day 31: 0.85 × 149,000 / 101,240 = 126,650 / 101,240 = 1.25098… → 12,509; day 32: 125,800 / 101,280 = 1.24210… → 12,421
    ["$1,000/day burn and $40/day interest reach 125% on day 32", {}, 32, [[0, 15_300], [31, 12_509], [32, 12_421]]],
    // The $8,000 paid on day 30 (cash: debt only): debt 92,000 + 40d; 153,000 − 850d < 115,000 + 50d ⇔ d > 42.2 → 43.
    // day 42: 117,300 / 93,680 = 1.25213… → 12,521; day 43: 116,450 / 93,720 = 1.24253… → 12,425
    ["an $8,000 installment on day 30 pushes it to day 43", { installments: [{ dueAt: days(30), amountMicros: 8_000n * USD }] }, 43, [[42, 12_521], [43, 12_425]]],
    // due 29.5 days from now falls on day ⌈29.5⌉ = 30: the same as above
    ["an installment due mid-day counts on the next whole day", { installments: [{ dueAt: days(29.5), amountMicros: 8_000n * USD }] }, 43, [[43, 12_425]]],
    ["an installment already due (overdue) is not counted on", { installments: [{ dueAt: days(-1), amountMicros: 8_000n * USD }] }, 32, [[32, 12_421]]],
    // 1.275 × (1 − 0.001d) < 1.25 ⇔ d > 19.6: day 19 marks 0.981 × 0.85 = 0.83385 → 150,000 × 0.83385 / 100,000 = 1.250775 → 12,507;
    // day 20 marks 0.98 × 0.85 = 0.833 → 1.2495 → 12,495
    ["no burn, no interest, $150,000 against $100,000 and the index falling $0.002/day: day 20", { collateralMicros: 150_000n * USD, burnMicrosPerDay: 0n, interestMicrosPerDay: 0n, indexTrendMicrosPerDay: -2_000n }, 20, [[0, 12_750], [19, 12_507], [20, 12_495]]],
    // Index $2.10 falling $0.01/day: the mark stays 0.85 (capped) until day 10 (index $2.00); then
    // 0.85 × (2.10 − 0.01d) / 2 × 1.5 < 1.25 ⇔ d > 13.9: day 13 index 1.97 → mark 0.83725 → 1.255875 → 12,558;
    // day 14 index 1.96 → 0.833 → 12,495. (A relative trend applied to the mark would cross days earlier.)
    ["the min(1, ·) cap: an index above origination must first fall back to it", { collateralMicros: 150_000n * USD, burnMicrosPerDay: 0n, interestMicrosPerDay: 0n, indexNowMicros: 2_100_000n, indexTrendMicrosPerDay: -10_000n }, 14, [[10, 12_750], [13, 12_558], [14, 12_495]]],
    // 153,000 ≥ 1.25 × (100,000 + 40d) until d > 560: not within 90 days; day 90: 153,000 / 103,600 = 1.47683… → 14,768
    ["no burn: interest alone takes 561 days, beyond the horizon", { burnMicrosPerDay: 0n }, null, [[90, 14_768]]],
    // no debt accrues no interest: coverage is infinite every day
    ["no debt never reaches a margin call", { debtMicros: 0n }, null, [[0, null], [90, null]]],
    // 50,000 × 0.85 / 100,000 = 42.5%
    ["already below maintenance is day 0", { collateralMicros: 50_000n * USD }, 0, [[0, 4_250]]],
  ])("%s", (_label, change, expectedDays, points) => {
    const projection = projectDaysToMarginCall({ ...borrower, ...change });
    expect(projection.daysToMarginCall).toBe(expectedDays);
    for (const [day, coverage] of points) expect(coverageOn(projection.series, day)).toBe(coverage);
  });

  test("the series has one dated point per day, 0 … horizon, for the chart", () => {
    const { series, marginCallDate } = projectDaysToMarginCall(borrower);
    expect(series).toHaveLength(91);
    expect(series[0]).toEqual({ day: 0, date: "2026-03-01", collateralMicros: 180_000n * USD, debtMicros: 100_000n * USD, indexMicros: 2_000_000n, markPpm: 850_000, coverageBps: 15_300 });
    // March has 31 days: 2026-03-01 + 32 days = 2026-04-02
    expect(marginCallDate).toBe("2026-04-02");
    expect(series[32]).toMatchObject({ date: "2026-04-02", collateralMicros: 148_000n * USD, debtMicros: 101_280n * USD });
  });

  test("burn never spends frozen credits, and the debt never goes below 0", () => {
    const { series } = projectDaysToMarginCall({ ...borrower, frozenMicros: 175_500n * USD, installments: [{ dueAt: days(2), amountMicros: 1_000_000n * USD }] });
    // day 4: 180,000 − 4,000 = 176,000; day 5 would be 175,000 < 175,500 → stays 175,500
    expect(series.slice(4, 7).map((p) => p.collateralMicros)).toEqual([176_000n * USD, 175_500n * USD, 175_500n * USD]);
    // day 2: 100,080 owed, $1,000,000 paid → 0, and no interest accrues on nothing
    expect(series.slice(1, 4).map((p) => p.debtMicros)).toEqual([100_040n * USD, 0n, 0n]);
  });

  test.each([
    ["a negative horizon", { horizonDays: -1 }],
    ["a horizon beyond ten years", { horizonDays: 3_651 }],
    ["negative burn", { burnMicrosPerDay: -1n }],
    ["an invalid now", { now: new Date("not a date") }],
  ])("refuses %s", (_label, change) => {
    expect(() => projectDaysToMarginCall({ ...borrower, ...change })).toThrow(RangeError);
  });

  test("more burn never moves the margin call later (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 5_000n }), fc.bigInt({ min: 0n, max: 5_000n }), fc.bigInt({ min: -20_000n, max: 20_000n }), (burnUsd, extraUsd, trend) => {
        const slow = projectDaysToMarginCall({ ...borrower, burnMicrosPerDay: burnUsd * USD, indexTrendMicrosPerDay: trend });
        const fast = projectDaysToMarginCall({ ...borrower, burnMicrosPerDay: (burnUsd + extraUsd) * USD, indexTrendMicrosPerDay: trend });
        const asNumber = (days: number | null) => days ?? Number.POSITIVE_INFINITY;
        expect(asNumber(fast.daysToMarginCall)).toBeLessThanOrEqual(asNumber(slow.daysToMarginCall));
      }),
      { numRuns: 200, seed: 37 },
    );
  });
});

describe("whatIf: the projection re-run with a change applied today", () => {
  test.each<[string, Parameters<typeof whatIf>[1], number | null, number, number | null]>([
    // label, change, coverage now, mark now, days to margin call
    ["nothing changed is the baseline", {}, 15_300, 850_000, 32],
    // burn ×1.5 = 1,500/day: 153,000 − 1,275d < 125,000 + 50d ⇔ d > 21.1 → 22
    // (day 21: 126,225 / 100,840 → 12,517; day 22: 124,950 / 100,880 → 12,386)
    ["burn +50% brings the margin call to day 22", { burnChangeBps: 5_000 }, 15_300, 850_000, 22],
    ["burn −100% (none) leaves only interest: beyond 90 days", { burnChangeBps: -10_000 }, 15_300, 850_000, null],
    // index ×0.9 = $1.80 → mark 0.9 × 0.85 = 0.765; 180,000 × 0.765 = 137,700 → 137.70% now;
    // 137,700 − 765d < 125,000 + 50d ⇔ d > 15.6 → 16 (day 15: 126,225 / 100,600 → 12,547; day 16: 125,460 / 100,640 → 12,466)
    ["an index shock of −10% marks 0.765 and brings the margin call to day 16", { indexShockBps: -1_000 }, 13_770, 765_000, 16],
    // debt 90,000, interest ⌈40 × 90,000 / 100,000⌉ = 36/day; 153,000 / 90,000 = 170% now;
    // 153,000 − 850d < 1.25 × (90,000 + 36d) = 112,500 + 45d ⇔ d > 45.3 → 46 (day 45: 114,750 / 91,620 → 12,524; day 46: 113,900 / 91,656 → 12,426)
    ["repaying $10,000 today: 170% now and day 46", { extraRepaymentMicros: 10_000n * USD }, 17_000, 850_000, 46],
    // collateral 200,000: 170,000 − 850d < 125,000 + 50d ⇔ d > 50; day 50 is exactly 127,500 / 102,000 = 125% (not below),
    // day 51: 126,650 / 102,040 → 12,411
    ["pledging $20,000 today: 170% now; exactly 125% on day 50 is not yet a margin call, day 51 is", { extraPledgeMicros: 20_000n * USD }, 17_000, 850_000, 51],
    ["repaying more than the debt clears it: infinite coverage, no margin call", { extraRepaymentMicros: 1_000_000n * USD }, null, 850_000, null],
  ])("%s", (_label, change, coverageNow, markNow, daysToMarginCall) => {
    const result = whatIf(borrower, change);
    expect({ coverageBpsNow: result.coverageBpsNow, markPpmNow: result.markPpmNow, daysToMarginCall: result.daysToMarginCall }).toEqual({ coverageBpsNow: coverageNow, markPpmNow: markNow, daysToMarginCall });
    expect(result.baseline).toEqual({ coverageBpsNow: 15_300, daysToMarginCall: 32 });
  });

  test("a pledge of $20,000 shows exactly 125% on day 50 in the series", () => {
    expect(coverageOn(whatIf(borrower, { extraPledgeMicros: 20_000n * USD }).series, 50)).toBe(12_500);
  });

  test.each([
    ["a burn change below −100%", { burnChangeBps: -10_001 }],
    ["an index shock below −100%", { indexShockBps: -10_001 }],
    ["a negative repayment", { extraRepaymentMicros: -1n }],
  ])("refuses %s", (_label, change) => {
    expect(() => whatIf(borrower, change)).toThrow(RangeError);
  });
});

describe("sevenDayBurnMicrosPerDay: mean of the last 7 daily spends, rounded up", () => {
  test.each([
    // (900 + 1,100 + 950 + 1,050 + 1,000 + 1,000 + 1,000) / 7 = 7,000 / 7 = 1,000
    ["a week averaging exactly $1,000", [900n, 1_100n, 950n, 1_050n, 1_000n, 1_000n, 1_000n].map((usd) => usd * USD), 1_000n * USD],
    ["only the last 7 days count (the $1M day 8 days ago is out)", [1_000_000n, 900n, 1_100n, 950n, 1_050n, 1_000n, 1_000n, 1_000n].map((usd) => usd * USD), 1_000n * USD],
    ["1 µUSD over a week rounds up to 1 µUSD a day", [1n, 0n, 0n, 0n, 0n, 0n, 0n], 1n],
    ["with 2 days of history: (3 + 4) / 2 = $3.50", [3n * USD, 4n * USD], 3_500_000n],
    ["no history is no burn", [], 0n],
  ])("%s", (_label, daily, expected) => {
    expect(sevenDayBurnMicrosPerDay(daily)).toBe(expected);
  });

  test("refuses a negative day", () => {
    expect(() => sevenDayBurnMicrosPerDay([1n, -1n])).toThrow(RangeError);
  });
});
