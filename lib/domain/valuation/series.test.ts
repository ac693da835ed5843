import { describe, expect, test } from "vitest";
import { coverageAxisPct, dailyBurnSeries, dayBuckets, lastInEachBucket, marginCallPeriods } from "./series";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1); // 2026-03-01 00:00 UTC
const at = (days: number, hours = 0) => T0 + days * DAY + hours * 3_600_000;

describe("dayBuckets: whole UTC days, never more than maxBuckets", () => {
  test.each<[string, number, number, number, number, number]>([
    // label, from, to, maxBuckets, expected width in days, expected bucket count
    ["10 days at most 730 buckets: one a day", at(0, 15), at(9, 23), 730, 1, 10],
    ["a span inside one day: one bucket", at(3, 1), at(3, 2), 730, 1, 1],
    ["an instant: one bucket", at(3, 1), at(3, 1), 730, 1, 1],
    ["1,000 days in at most 400: 3-day buckets", at(0), at(999, 12), 400, 3, 334],
    ["exactly 400 days in 400: one a day", at(0), at(399, 23), 400, 1, 400],
    ["401 days in 400: 2-day buckets", at(0), at(400, 1), 400, 2, 201],
  ])("%s", (_label, from, to, max, width, count) => {
    const { widthDays, buckets } = dayBuckets(from, to, max);
    expect(widthDays).toBe(width);
    expect(buckets).toHaveLength(count);
    expect(buckets.length).toBeLessThanOrEqual(max);
    expect(buckets[0].fromMs % DAY).toBe(0);
    expect(buckets[0].fromMs).toBeLessThanOrEqual(from);
    expect(buckets.at(-1)!.toMs).toBe(to + 1);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].fromMs).toBe(buckets[i - 1].toMs);
  });

  test("refuses a non-positive bucket count", () => {
    expect(() => dayBuckets(at(0), at(1), 0)).toThrow(RangeError);
  });
});

describe("lastInEachBucket: the latest point of each bucket, empty buckets skipped", () => {
  const points = [
    { atMs: at(0, 1), v: "a" },
    { atMs: at(0, 23), v: "b" },
    { atMs: at(2, 5), v: "c" },
    { atMs: at(2, 4), v: "d" },
    { atMs: at(3, 0), v: "e" },
  ];
  test.each<[string, number, number, string[]]>([
    ["daily buckets: last of day 0, day 2 (out of order input), day 3", 0, 3, ["b", "c", "e"]],
    ["one bucket for everything: the very last point", 0, 3, ["e"]],
  ])("%s", (label, from, to, expected) => {
    const max = label.startsWith("one bucket") ? 1 : 730;
    const { buckets } = dayBuckets(at(from), at(to), max);
    expect(lastInEachBucket(points, buckets).map((p) => p.v)).toEqual(expected);
  });

  test("a point exactly at a bucket's start belongs to that bucket, not the one before", () => {
    const { buckets } = dayBuckets(at(0), at(1), 730);
    expect(lastInEachBucket([{ atMs: at(1) }], buckets)).toEqual([{ atMs: at(1) }]);
    expect(buckets.findIndex((b) => at(1) >= b.fromMs && at(1) < b.toMs)).toBe(1);
  });
});

describe("marginCallPeriods: below maintenance opens, maintenance + hysteresis closes", () => {
  const M = 12_500;
  const series = (values: (number | null)[]) => values.map((coverageBps, i) => ({ atMs: at(i), coverageBps }));
  test.each<[string, (number | null)[], { from: number; to: number; isOpen: boolean }[]]>([
    ["never below: no period", [15_000, 13_000, 12_500], []],
    ["exactly at maintenance is not a margin call", [12_500, 12_500], []],
    ["dips and recovers above 130%: one closed period", [15_000, 12_400, 12_000, 13_000, 14_000], [{ from: 1, to: 3, isOpen: false }]],
    ["back between 125% and 130% is still a margin call (hysteresis)", [12_400, 12_800, 12_999, 13_000], [{ from: 0, to: 3, isOpen: false }]],
    ["two margin calls", [12_000, 13_500, 12_100, 14_000], [{ from: 0, to: 1, isOpen: false }, { from: 2, to: 3, isOpen: false }]],
    ["still below at the end: open to the end", [14_000, 12_000, 11_000], [{ from: 1, to: 10, isOpen: true }]],
    ["no debt left (infinite coverage) ends it", [12_000, null], [{ from: 0, to: 1, isOpen: false }]],
    ["infinite coverage never opens one", [null, null], []],
  ])("%s", (_label, values, expected) => {
    expect(marginCallPeriods(series(values), { maintenanceBps: M, endMs: at(10) })).toEqual(expected.map((p) => ({ fromMs: at(p.from), toMs: at(p.to), isOpen: p.isOpen })));
  });

  test("points in any order are read in time order", () => {
    const points = [{ atMs: at(2), coverageBps: 14_000 }, { atMs: at(0), coverageBps: 12_000 }];
    expect(marginCallPeriods(points, { maintenanceBps: M, endMs: at(5) })).toEqual([{ fromMs: at(0), toMs: at(2), isOpen: false }]);
  });

  test("a custom hysteresis", () => {
    expect(marginCallPeriods(series([12_000, 12_600]), { maintenanceBps: M, endMs: at(5), hysteresisBps: 100 })).toEqual([{ fromMs: at(0), toMs: at(1), isOpen: false }]);
  });
});

describe("dailyBurnSeries: every day from activation to yesterday, with the projection's 7-day average", () => {
  const USD = 1_000_000n;
  test.each<[string, { day: string; costMicros: bigint }[], string, string, [string, bigint, bigint][]]>([
    [
      "rollup rows of one day (several models) add up; a day without rows is 0",
      [
        { day: "2026-03-01", costMicros: 100n * USD },
        { day: "2026-03-01", costMicros: 50n * USD },
        { day: "2026-03-03", costMicros: 30n * USD },
      ],
      "2026-03-01",
      "2026-03-03",
      [
        ["2026-03-01", 150n * USD, 150n * USD],
        ["2026-03-02", 0n, 75n * USD],
        ["2026-03-03", 30n * USD, 60n * USD],
      ],
    ],
    [
      "the average looks back 7 days at most, rounded up to the µUSD",
      Array.from({ length: 8 }, (_, i) => ({ day: `2026-03-0${i + 1}`, costMicros: BigInt(i + 1) })),
      "2026-03-01",
      "2026-03-08",
      [
        ["2026-03-07", 7n, 4n], // (1+…+7)/7 = 4
        ["2026-03-08", 8n, 5n], // (2+…+8)/7 = 35/7 = 5
      ],
    ],
    ["rows outside the range are ignored", [{ day: "2026-02-28", costMicros: 999n }], "2026-03-01", "2026-03-01", [["2026-03-01", 0n, 0n]]],
    ["an empty range (activated today): no points", [], "2026-03-02", "2026-03-01", []],
  ])("%s", (_label, rows, from, to, expected) => {
    const series = dailyBurnSeries(rows, from, to);
    if (expected.length === 0) return expect(series).toEqual([]);
    for (const [day, spend, avg] of expected) expect(series.find((p) => p.day === day)).toEqual({ day, spendMicros: spend, sevenDayAvgMicros: avg });
    expect(series[0].day).toBe(from);
    expect(series.at(-1)!.day).toBe(to);
  });

  test("crosses a month end with one point a day", () => {
    expect(dailyBurnSeries([], "2026-02-27", "2026-03-02").map((p) => p.day)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });
});

describe("coverageAxisPct: thresholds always visible, one huge reading capped", () => {
  const thresholds = [15_000, 14_000, 13_000, 12_500, 11_000];
  test.each<[string, (number | null)[], [number, number]]>([
    ["coverage between the thresholds: 100% to 160%", [13_500, 12_800], [100, 160]],
    ["coverage at 105%: the bottom moves down to 100%", [10_500], [100, 160]],
    ["coverage at 92%: down to 80%", [9_200], [80, 160]],
    ["coverage at 180%: up to 190%", [18_000], [100, 190]],
    ["one reading at 5,000% is capped at 400%", [18_000, 500_000], [100, 400]],
    ["infinite coverage (null) is left out", [null, 14_000], [100, 160]],
    ["no points: the thresholds alone", [], [100, 160]],
  ])("%s", (_label, values, expected) => {
    expect(coverageAxisPct(values, thresholds)).toEqual(expected);
  });
});
