import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverageBps, MAX_COVERAGE_BPS } from "./coverage";
import { markRatio } from "./mark";
import { coverageAtMark, coverageFloorBps, portfolioDaysToMarginCall } from "./portfolio-projection";
import { projectDaysToMarginCall, type ProjectionInput } from "./projection";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const DAY_MS = 86_400_000;
const USD = 1_000_000n;

/** $200k of credits against $100k of debt at a flat index: 170% at the 0.85 mark. */
const base: ProjectionInput = {
  now: NOW,
  collateralMicros: 200_000n * USD,
  frozenMicros: 0n,
  debtMicros: 100_000n * USD,
  interestMicrosPerDay: 40n * USD,
  burnMicrosPerDay: 0n,
  installments: [],
  indexNowMicros: 2_000_000n,
  indexAtOriginationMicros: 2_000_000n,
  redistributionFeeBps: 1_500,
  indexTrendMicrosPerDay: 0n,
  maintenanceBps: 12_500,
  horizonDays: 90,
};

describe("portfolioDaysToMarginCall gives the projection's answer", () => {
  it.each<[string, Partial<ProjectionInput>, number | null]>([
    ["a healthy loan with no burn never reaches maintenance", {}, null],
    ["no debt: infinite coverage, never a margin call", { debtMicros: 0n, interestMicrosPerDay: 0n }, null],
    ["already below maintenance: day 0", { collateralMicros: 140_000n * USD }, 0],
    ["burning $1,000 a day from 170% (and $40 of interest) crosses 125% on day 51", { burnMicrosPerDay: 1_000n * USD }, 51],
    ["frozen credits stop the burn: 150% of frozen collateral never falls", { burnMicrosPerDay: 5_000n * USD, frozenMicros: 200_000n * USD }, null],
    ["an index falling 1% of its origination level a day crosses on day 26", { indexTrendMicrosPerDay: -20_000n }, 26],
    ["an installment that cuts the debt in time saves the loan", { burnMicrosPerDay: 1_000n * USD, installments: [{ dueAt: new Date(NOW.getTime() + 20 * DAY_MS), amountMicros: 60_000n * USD }] }, null],
  ])("%s", (_label, change, days) => {
    const input = { ...base, ...change };
    const projection = projectDaysToMarginCall(input);
    expect(projection.daysToMarginCall).toBe(days);
    expect(portfolioDaysToMarginCall(input)).toEqual({ daysToMarginCall: projection.daysToMarginCall, marginCallDate: projection.marginCallDate });
  });
});

describe("coverageFloorBps", () => {
  it.each<[string, Partial<ProjectionInput>, number | null]>([
    ["flat everything: today's coverage", { interestMicrosPerDay: 0n }, 17_000],
    ["90 days of $1,000 burn and $40 interest: $110k against $103.6k", { burnMicrosPerDay: 1_000n * USD }, 9_025],
    ["burn stops at the frozen credits", { burnMicrosPerDay: 1_000_000n * USD, frozenMicros: 150_000n * USD, interestMicrosPerDay: 0n }, 12_750],
    ["a rising index never lifts the floor above today's mark", { indexTrendMicrosPerDay: 50_000n, interestMicrosPerDay: 0n }, 17_000],
    ["no debt: none", { debtMicros: 0n }, null],
  ])("%s", (_label, change, floor) => {
    expect(coverageFloorBps({ ...base, ...change })).toBe(floor);
  });

  it("is never above the coverage of any projected day", () => {
    fc.assert(
      fc.property(projectionInputs, (input) => {
        const floor = coverageFloorBps(input);
        for (const point of projectDaysToMarginCall(input).series) {
          if (point.coverageBps !== null) expect(floor).not.toBeNull();
          if (point.coverageBps !== null) expect(floor!).toBeLessThanOrEqual(point.coverageBps);
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });
});

const micros = (max: bigint) => fc.bigInt({ min: 0n, max });
const projectionInputs = fc
  .record({
    collateralMicros: micros(2_000_000n * USD),
    frozenShareBps: fc.integer({ min: 0, max: 10_000 }),
    debtMicros: fc.oneof(fc.constant(0n), micros(1_000_000n * USD)),
    interestMicrosPerDay: micros(2_000n * USD),
    burnMicrosPerDay: micros(30_000n * USD),
    installments: fc.array(fc.record({ inDays: fc.integer({ min: -40, max: 120 }), amountMicros: micros(200_000n * USD) }), { maxLength: 5 }),
    indexNowMicros: fc.bigInt({ min: 0n, max: 4_000_000n }),
    indexAtOriginationMicros: fc.bigInt({ min: 1n, max: 4_000_000n }),
    redistributionFeeBps: fc.integer({ min: 0, max: 5_000 }),
    indexTrendMicrosPerDay: fc.bigInt({ min: -60_000n, max: 60_000n }),
    maintenanceBps: fc.integer({ min: 10_500, max: 20_000 }),
    horizonDays: fc.integer({ min: 0, max: 120 }),
  })
  .map(({ frozenShareBps, installments, ...rest }) => ({
    ...rest,
    now: NOW,
    frozenMicros: (rest.collateralMicros * BigInt(frozenShareBps)) / 10_000n,
    installments: installments.map((i) => ({ dueAt: new Date(NOW.getTime() + i.inDays * DAY_MS + 3_600_000), amountMicros: i.amountMicros })),
  }));

/** Loans starting a little above maintenance with a moderate burn: they cross weeks or months out, or never. */
const nearThreshold = fc
  .record({
    debtMicros: fc.bigInt({ min: 10_000n * USD, max: 1_000_000n * USD }),
    startBps: fc.integer({ min: 12_600, max: 16_000 }),
    burnPerMille: fc.integer({ min: 0, max: 12 }),
    interestPerMille: fc.integer({ min: 0, max: 2 }),
    indexTrendMicrosPerDay: fc.bigInt({ min: -5_000n, max: 2_000n }),
    installments: fc.array(fc.record({ inDays: fc.integer({ min: 1, max: 120 }), sharePerMille: fc.integer({ min: 0, max: 300 }) }), { maxLength: 4 }),
    horizonDays: fc.integer({ min: 30, max: 120 }),
  })
  .map(({ debtMicros, startBps, burnPerMille, interestPerMille, installments, ...rest }) => {
    // Collateral worth startBps of the debt at a 0.85 mark.
    const collateralMicros = (debtMicros * BigInt(startBps) * 100n) / 850_000n;
    return {
      ...rest,
      now: NOW,
      collateralMicros,
      frozenMicros: 0n,
      debtMicros,
      burnMicrosPerDay: (collateralMicros * BigInt(burnPerMille)) / 1_000n / 10n,
      interestMicrosPerDay: (debtMicros * BigInt(interestPerMille)) / 1_000n / 10n,
      installments: installments.map((i) => ({ dueAt: new Date(NOW.getTime() + i.inDays * DAY_MS - 3_600_000), amountMicros: (debtMicros * BigInt(i.sharePerMille)) / 1_000n })),
      indexNowMicros: 2_000_000n,
      indexAtOriginationMicros: 2_000_000n,
      redistributionFeeBps: 1_500,
      maintenanceBps: 12_500,
    };
  });

it("equals projectDaysToMarginCall on any loan (property), crossings early and late included", () => {
  const crossings = { none: 0, week: 0, month: 0, later: 0 };
  fc.assert(
    fc.property(fc.oneof({ arbitrary: projectionInputs, weight: 1 }, { arbitrary: nearThreshold, weight: 2 }), (input) => {
      const projection = projectDaysToMarginCall(input);
      expect(portfolioDaysToMarginCall(input)).toEqual({ daysToMarginCall: projection.daysToMarginCall, marginCallDate: projection.marginCallDate });
      const day = projection.daysToMarginCall;
      crossings[day === null ? "none" : day <= 7 ? "week" : day <= 30 ? "month" : "later"] += 1;
    }),
    { numRuns: 1_000, endOnFailure: true },
  );
  // The generator reaches crossings at every distance, and loans that never cross.
  for (const count of Object.values(crossings)) expect(count).toBeGreaterThan(25);
});

describe("coverageAtMark (the projection's one division per day tried) is coverageBps at markRatio's mark", () => {
  const slow = (collateralMicros: bigint, indexNowMicros: bigint, debtMicros: bigint, indexAtOriginationMicros: bigint, redistributionFeeBps: number) =>
    coverageBps({ collateralMicros, debtMicros, mark: markRatio({ indexNowMicros, indexAtOriginationMicros, redistributionFeeBps }) });

  it.each<[string, bigint, bigint, bigint, bigint, number, number | null]>([
    // label, collateral, index now, debt, index at origination, fee bps, coverage bps
    ["at origination, 15% fee: $200k against $100k is 170%", 200_000n * USD, 2_000_000n, 100_000n * USD, 2_000_000n, 1_500, 17_000],
    ["an index above origination is capped at par less the fee", 200_000n * USD, 2_400_000n, 100_000n * USD, 2_000_000n, 1_500, 17_000],
    ["index 2/3 of origination: mark 17/30, $2,205.882353 against $1,000 is 125.00% (not 124.99%)", 2_205_882_353n, 2_000_000n, 1_000n * USD, 3_000_000n, 1_500, 12_500],
    ["index 0: worthless collateral, 0%", 200_000n * USD, 0n, 100_000n * USD, 2_000_000n, 1_500, 0],
    ["a 100% fee: 0%", 200_000n * USD, 2_000_000n, 100_000n * USD, 2_000_000n, 10_000, 0],
    ["no debt: infinite (null)", 200_000n * USD, 2_000_000n, 0n, 2_000_000n, 1_500, null],
    ["$300,000 of credits against 1 µUSD: the column's cap", 300_000n * USD, 2_000_000n, 1n, 2_000_000n, 0, MAX_COVERAGE_BPS],
  ])("%s", (_label, collateral, index, debt, origination, fee, bps) => {
    expect(coverageAtMark(origination, fee)(collateral, index, debt)).toBe(bps);
    expect(slow(collateral, index, debt, origination, fee)).toBe(bps);
  });

  it.each<[string, bigint, number]>([
    ["an origination index of 0", 0n, 1_500],
    ["a fee above 100%", 2_000_000n, 10_001],
    ["a fractional fee", 2_000_000n, 1_500.5],
  ])("throws markRatio's RangeError for %s, once a coverage is asked for", (_label, origination, fee) => {
    const coverage = coverageAtMark(origination, fee);
    expect(() => coverage(USD, 2_000_000n, USD)).toThrow(RangeError);
    expect(() => slow(USD, 2_000_000n, USD, origination, fee)).toThrow(RangeError);
  });

  it("equals it on any collateral, index, debt, origination and fee (property)", () => {
    fc.assert(
      fc.property(
        micros(10n ** 15n),
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 13n })),
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.integer({ min: 0, max: 10_000 }),
        (collateral, index, debt, origination, fee) => {
          expect(coverageAtMark(origination, fee)(collateral, index, debt)).toBe(slow(collateral, index, debt, origination, fee));
        },
      ),
      { numRuns: 2_000, endOnFailure: true },
    );
  });
});
