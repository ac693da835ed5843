import { describe, expect, test } from "vitest";
import { dayNumber, utcDay } from "./days";
import { indexTrend, type IndexFix } from "./index-trend";

const fixesFrom = (startDay: string, prices: bigint[]): IndexFix[] => prices.map((priceMicros, i) => ({ day: utcDay((dayNumber(startDay) + i) * 86_400_000), priceMicros }));

describe("indexTrend: least-squares slope of the window's fixes, µUSD per day, rounded down", () => {
  test.each([
    // A straight line loses exactly 1,000 µUSD a day; relative to the latest $1.994: −1,000 × 10⁶ / 1,994,000 = −501.50… → −502 ppm.
    ["a straight line down $0.001 a day", fixesFrom("2026-03-01", [2_000_000n, 1_999_000n, 1_998_000n, 1_997_000n, 1_996_000n, 1_995_000n, 1_994_000n]), 7, -1_000n, -502],
    ["a flat index", fixesFrom("2026-03-01", [2_000_000n, 2_000_000n, 2_000_000n]), 7, 0n, 0],
    // x = 0, 1, 2; y = 100, 101, 103: n·Σxy − Σx·Σy = 3 × 307 − 3 × 304 = 9; n·Σx² − (Σx)² = 15 − 9 = 6 → 1.5 → 1;
    // relative to the latest 103: 10⁶ / 103 = 9,708.7… → 9,708 ppm
    ["noisy rise: 100, 101, 103 has slope 1.5, rounded down to 1", fixesFrom("2026-03-01", [100n, 101n, 103n]), 7, 1n, 9_708],
    // y = 103, 101, 100: 3 × 301 − 3 × 304 = −9 → −1.5 → −2 (down: toward a falling index); −2 × 10⁶ / 100 = −20,000 ppm
    ["noisy fall: 103, 101, 100 has slope −1.5, rounded down to −2", fixesFrom("2026-03-01", [103n, 101n, 100n]), 7, -2n, -20_000],
  ])("%s", (_label, fixes, windowDays, slope, ppm) => {
    const trend = indexTrend(fixes, windowDays);
    expect(trend.slopeMicrosPerDay).toBe(slope);
    expect(trend.slopePpmPerDay).toBe(ppm);
  });

  test("a gap in the fixes is measured in calendar days: $2.00 then $1.90 ten days later is −10,000 µUSD a day", () => {
    expect(indexTrend([{ day: "2026-03-01", priceMicros: 2_000_000n }, { day: "2026-03-11", priceMicros: 1_900_000n }], 30)).toEqual({
      slopeMicrosPerDay: -10_000n,
      slopePpmPerDay: -5_264, // −10,000 × 10⁶ / 1,900,000 = −5,263.157… rounded down to −5,264
      fixCount: 2,
      fromDay: "2026-03-01",
      toDay: "2026-03-11",
      latestPriceMicros: 1_900_000n,
    });
  });

  test("only the last windowDays calendar days count: a crash 3 weeks ago is outside a 7-day window", () => {
    // 2026-02-01 … 2026-02-10 fall from $3 to $2, then 2026-03-01 … 2026-03-07 rise $0.001/day from $2.
    const crash = fixesFrom("2026-02-01", Array.from({ length: 10 }, (_, i) => 3_000_000n - BigInt(i) * 111_111n));
    const rise = fixesFrom("2026-03-01", Array.from({ length: 7 }, (_, i) => 2_000_000n + BigInt(i) * 1_000n));
    const trend = indexTrend([...rise, ...crash].reverse(), 7);
    expect(trend).toMatchObject({ slopeMicrosPerDay: 1_000n, fixCount: 7, fromDay: "2026-03-01", toDay: "2026-03-07", latestPriceMicros: 2_006_000n });
  });

  test.each([
    ["no fixes", [], { slopeMicrosPerDay: 0n, slopePpmPerDay: 0, fixCount: 0, fromDay: null, toDay: null, latestPriceMicros: null }],
    ["a single fix", [{ day: "2026-03-01", priceMicros: 2_000_000n }], { slopeMicrosPerDay: 0n, slopePpmPerDay: 0, fixCount: 1, fromDay: "2026-03-01", toDay: "2026-03-01", latestPriceMicros: 2_000_000n }],
  ])("has no trend with %s", (_label, fixes, expected) => {
    expect(indexTrend(fixes, 14)).toEqual(expected);
  });

  test.each([
    ["two fixes for one day", [{ day: "2026-03-01", priceMicros: 1n }, { day: "2026-03-01", priceMicros: 2n }], 7],
    ["a day that does not exist", [{ day: "2026-02-30", priceMicros: 1n }], 7],
    ["a day in another format", [{ day: "01/03/2026", priceMicros: 1n }], 7],
    ["a negative price", [{ day: "2026-03-01", priceMicros: -1n }], 7],
    ["a window of 0 days", [{ day: "2026-03-01", priceMicros: 1n }], 0],
  ])("refuses %s", (_label, fixes, windowDays) => {
    expect(() => indexTrend(fixes, windowDays)).toThrow(RangeError);
  });
});
