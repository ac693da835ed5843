import { describe, expect, it } from "vitest";
import { averageBurnMicros, burnFigures, DayRangeError, OTHER_SERIES, parseDayRange, runway, spendBreakdown, spendByDay, stackedBurnSeries, type UsageRollupRow } from "./burn";

const USD = 1_000_000n;
const TODAY = "2026-12-04";

function row(day: string, costMicros: bigint, modelSlug = "m", providerSlug = "p"): UsageRollupRow {
  return { day, modelSlug, providerSlug, requests: 1, inputTokens: 10n, outputTokens: 5n, costMicros };
}

describe("parseDayRange", () => {
  it.each([
    ["no range → the default 30 days ending today", {}, { start: "2026-11-05", end: TODAY, days: 30, preset: "30d" }],
    ["7d → the last 7 days, today included", { range: "7d" }, { start: "2026-11-28", end: TODAY, days: 7, preset: "7d" }],
    ["90d", { range: "90d" }, { start: "2026-09-06", end: TODAY, days: 90, preset: "90d" }],
    ["a custom range of one day", { start: "2026-12-01", end: "2026-12-01" }, { start: "2026-12-01", end: "2026-12-01", days: 1, preset: "custom" }],
    ["366 days is allowed", { start: "2025-12-04", end: TODAY }, { start: "2025-12-04", end: TODAY, days: 366, preset: "custom" }],
  ])("%s", (_label, input, expected) => {
    expect(parseDayRange(input, TODAY)).toEqual(expected);
  });

  it.each([
    ["an unknown preset", { range: "45d" }, "range"],
    ["2026-02-30 is not a day", { start: "2026-02-30", end: "2026-03-01" }, "start"],
    ["a start without an end", { start: "2026-11-01" }, "end"],
    ["end in the future", { start: "2026-12-01", end: "2026-12-05" }, "end"],
    ["start after end", { start: "2026-12-03", end: "2026-12-01" }, "start"],
    ["367 days is too long", { start: "2025-12-03", end: TODAY }, "start"],
    ["custom with nothing given", { range: "custom" }, "start"],
  ])("refuses %s", (_label, input, field) => {
    expect(() => parseDayRange(input, TODAY)).toThrow(DayRangeError);
    try {
      parseDayRange(input, TODAY);
    } catch (error) {
      expect((error as DayRangeError).field).toBe(field);
    }
  });
});

describe("burn figures", () => {
  it.each([
    ["no usage at all → all zero", [], { todayMicros: 0n, avg7Micros: 0n, avg30Micros: 0n }],
    ["$70 over the last 7 complete days → $10/day; 30-day average over 30 days rounds up", [row("2026-11-27", 70n * USD)], { todayMicros: 0n, avg7Micros: 10n * USD, avg30Micros: 2_333_334n }],
    ["today's spend is today's burn, not in the averages", [row(TODAY, 5n * USD), row(TODAY, 1n * USD, "n")], { todayMicros: 6n * USD, avg7Micros: 0n, avg30Micros: 0n }],
    ["8 days ago counts in the 30-day average only", [row("2026-11-26", 30n * USD)], { todayMicros: 0n, avg7Micros: 0n, avg30Micros: 1n * USD }],
    ["1 µUSD over 7 days rounds up to 1 µUSD/day", [row("2026-12-03", 1n)], { todayMicros: 0n, avg7Micros: 1n, avg30Micros: 1n }],
  ])("%s", (_label, rows, expected) => {
    expect(burnFigures(rows, TODAY)).toEqual(expected);
  });

  it("averageBurnMicros refuses a non-positive window", () => {
    expect(() => averageBurnMicros(spendByDay([]), TODAY, 0)).toThrow(RangeError);
  });
});

describe("runway", () => {
  it.each([
    ["$1,000 at $10/day → 100 days", 1_000n * USD, 10n * USD, { days: 100, runsOutOn: "2027-03-14" }],
    ["rounds down: $999.99 at $10/day → 99 days", 999_990_000n, 10n * USD, { days: 99, runsOutOn: "2027-03-13" }],
    ["less than a day of credits → 0 days, runs out today", 5n * USD, 10n * USD, { days: 0, runsOutOn: TODAY }],
    ["no burn → unlimited (null)", 1_000n * USD, 0n, { days: null, runsOutOn: null }],
    ["no credits → 0 days", 0n, 10n * USD, { days: 0, runsOutOn: TODAY }],
  ])("%s", (_label, credits, burn, expected) => {
    expect(runway(credits, burn, TODAY)).toEqual(expected);
  });
});

describe("the stacked burn chart", () => {
  const rows = [
    row("2026-11-01", 300n * USD, "big", "p1"), // before the range: only in the 30-day average
    row("2026-12-02", 20n * USD, "big", "p1"),
    row("2026-12-02", 10n * USD, "small", "p2"),
    row("2026-12-03", 7n * USD, "tiny", "p2"),
  ];
  const range = { start: "2026-12-02", end: "2026-12-03" };

  it("splits each day by model, biggest spender first, with trailing averages that read days before the range", () => {
    const chart = stackedBurnSeries(rows, range, "model");
    expect(chart.keys).toEqual(["big", "small", "tiny"]);
    expect(chart.totalMicros).toBe(37n * USD);
    expect(chart.points).toEqual([
      // 7-day avg: 30 / 7 rounded up; 30-day window 11-03 … 12-02 misses 11-01.
      { day: "2026-12-02", byKey: { big: 20n * USD, small: 10n * USD }, totalMicros: 30n * USD, avg7Micros: 4_285_715n, avg30Micros: 1n * USD },
      { day: "2026-12-03", byKey: { tiny: 7n * USD }, totalMicros: 7n * USD, avg7Micros: 37n * USD / 7n + 1n, avg30Micros: 1_233_334n },
    ]);
  });

  it("by provider", () => {
    expect(stackedBurnSeries(rows, range, "provider").keys).toEqual(["p1", "p2"]);
  });

  it("folds the smaller spenders into Other beyond maxSeries", () => {
    const chart = stackedBurnSeries(rows, range, "model", 2);
    expect(chart.keys).toEqual(["big", OTHER_SERIES]);
    expect(chart.points[0].byKey).toEqual({ big: 20n * USD, [OTHER_SERIES]: 10n * USD });
    expect(chart.points[1].byKey).toEqual({ [OTHER_SERIES]: 7n * USD });
  });

  it("a day without usage is a point of zero", () => {
    const chart = stackedBurnSeries([], { start: "2026-12-01", end: "2026-12-02" }, "model");
    expect(chart.points.map((p) => [p.day, p.totalMicros])).toEqual([
      ["2026-12-01", 0n],
      ["2026-12-02", 0n],
    ]);
  });

  it("spend by provider sums the range only, with shares in bps", () => {
    expect(spendBreakdown(rows, range, "provider")).toEqual([
      { key: "p1", requests: 1, inputTokens: 10n, outputTokens: 5n, costMicros: 20n * USD, shareBps: 5405 },
      { key: "p2", requests: 2, inputTokens: 20n, outputTokens: 10n, costMicros: 17n * USD, shareBps: 4594 },
    ]);
  });
});
