import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { coverageAlertLevels, evaluateCoverageAlerts, type CoverageThresholds } from "./coverage-alerts";
import type { AlertKind } from "./kinds";

const DEFAULTS: CoverageThresholds = { earlyWarningBps: [14_000, 13_000], maintenanceBps: 12_500, liquidationBps: 11_000 };

describe("evaluateCoverageAlerts: open below a level, resolve only at level + 5 points", () => {
  test.each<[string, number | null, AlertKind[], { open: AlertKind[]; resolve: AlertKind[] }, Partial<Parameters<typeof evaluateCoverageAlerts>[0]>?]>([
    ["153% with nothing open changes nothing", 15_300, [], { open: [], resolve: [] }],
    ["139.99% opens EARLY_WARNING_1", 13_999, [], { open: ["EARLY_WARNING_1"], resolve: [] }],
    ["exactly 140% is not below 140%", 14_000, [], { open: [], resolve: [] }],
    ["a fall straight to 108% opens all four, highest level first", 10_800, [], { open: ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"], resolve: [] }],
    ["an open (or acknowledged) kind is never opened twice", 12_000, ["EARLY_WARNING_1", "EARLY_WARNING_2"], { open: ["MARGIN_CALL"], resolve: [] }],
    ["144.99% is inside EARLY_WARNING_1's band: it stays open", 14_499, ["EARLY_WARNING_1"], { open: [], resolve: [] }],
    ["145% resolves EARLY_WARNING_1", 14_500, ["EARLY_WARNING_1"], { open: [], resolve: ["EARLY_WARNING_1"] }],
    ["129.99% keeps the margin call open and opens nothing new", 12_999, ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL"], { open: [], resolve: [] }],
    ["130% leaves MARGIN_CALL (maintenance + 5 points); EARLY_WARNING_2 waits for 135%", 13_000, ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL"], { open: [], resolve: ["MARGIN_CALL"] }],
    ["a recovery to 200% resolves everything open at once", 20_000, ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"], { open: [], resolve: ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"] }],
    ["infinite coverage (no debt) resolves every open coverage alert", null, ["MARGIN_CALL", "LIQUIDATION_ZONE"], { open: [], resolve: ["MARGIN_CALL", "LIQUIDATION_ZONE"] }],
    ["infinite coverage opens nothing", null, [], { open: [], resolve: [] }],
    ["other kinds in openKinds are left alone", 15_300, ["FROZEN", "PAYMENT_OVERDUE", "BURN_ABOVE_PLAN"], { open: [], resolve: [] }],
    ["a hysteresis of 0 resolves as soon as coverage is back at the level", 14_000, ["EARLY_WARNING_1"], { open: [], resolve: ["EARLY_WARNING_1"] }, { hysteresisBps: 0 }],
    ["early warnings given low-first: the higher one is still _1", 13_500, [], { open: ["EARLY_WARNING_1"], resolve: [] }, { thresholds: { ...DEFAULTS, earlyWarningBps: [13_000, 14_000] } }],
    ["a single early warning: there is no EARLY_WARNING_2", 12_900, [], { open: ["EARLY_WARNING_1"], resolve: [] }, { thresholds: { ...DEFAULTS, earlyWarningBps: [14_000] } }],
    ["no early warnings: the margin call alone", 12_000, [], { open: ["MARGIN_CALL"], resolve: [] }, { thresholds: { ...DEFAULTS, earlyWarningBps: [] } }],
  ])("%s", (_label, coverage, openKinds, expected, overrides = {}) => {
    expect(evaluateCoverageAlerts({ coverageBps: coverage, thresholds: DEFAULTS, openKinds, ...overrides })).toEqual(expected);
  });

  test("openKinds may be a Set, as loaded from the loan's OPEN and ACKNOWLEDGED alerts", () => {
    expect(evaluateCoverageAlerts({ coverageBps: 12_400, thresholds: DEFAULTS, openKinds: new Set<AlertKind>(["EARLY_WARNING_1", "EARLY_WARNING_2"]) })).toEqual({ open: ["MARGIN_CALL"], resolve: [] });
  });

  test.each([
    ["three early warnings", { thresholds: { ...DEFAULTS, earlyWarningBps: [15_000, 14_000, 13_000] } }],
    ["a fractional coverage", { coverageBps: 12_499.5 }],
    ["a negative hysteresis", { hysteresisBps: -1 }],
    ["a fractional threshold", { thresholds: { ...DEFAULTS, maintenanceBps: 12_500.5 } }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => evaluateCoverageAlerts({ coverageBps: 12_000, thresholds: DEFAULTS, openKinds: [], ...overrides })).toThrow(RangeError);
  });

  test("coverageAlertLevels pairs each kind with its threshold", () => {
    expect(coverageAlertLevels(DEFAULTS)).toEqual([
      { kind: "EARLY_WARNING_1", thresholdBps: 14_000 },
      { kind: "EARLY_WARNING_2", thresholdBps: 13_000 },
      { kind: "MARGIN_CALL", thresholdBps: 12_500 },
      { kind: "LIQUIDATION_ZONE", thresholdBps: 11_000 },
    ]);
  });
});

describe("evaluateCoverageAlerts over any coverage path (property)", () => {
  const levels = coverageAlertLevels(DEFAULTS);
  // Walks that hover around the thresholds, with the odd jump and the odd repaid loan (null).
  const pathArb = fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 10_000, max: 15_500 }) }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: 1, maxLength: 60 });

  test("opens only below a level, resolves only at level + 500, never flaps inside the band, and is stable once applied", () => {
    fc.assert(
      fc.property(pathArb, (path) => {
        const open = new Set<AlertKind>();
        for (const coverage of path) {
          const changes = evaluateCoverageAlerts({ coverageBps: coverage, thresholds: DEFAULTS, openKinds: open });
          for (const { kind, thresholdBps } of levels) {
            if (changes.open.includes(kind)) {
              expect(open.has(kind)).toBe(false);
              expect(coverage !== null && coverage < thresholdBps).toBe(true);
            }
            if (changes.resolve.includes(kind)) {
              expect(open.has(kind)).toBe(true);
              expect(coverage === null || coverage >= thresholdBps + 500).toBe(true);
            }
            // Inside [T, T + 500): whatever the state, nothing moves.
            if (coverage !== null && coverage >= thresholdBps && coverage < thresholdBps + 500) {
              expect(changes.open.includes(kind) || changes.resolve.includes(kind)).toBe(false);
            }
          }
          for (const kind of changes.open) open.add(kind);
          for (const kind of changes.resolve) open.delete(kind);
          // After applying: below a level ⇒ open; at or above level + 500 ⇒ resolved.
          for (const { kind, thresholdBps } of levels) {
            if (coverage !== null && coverage < thresholdBps) expect(open.has(kind)).toBe(true);
            if (coverage === null || coverage >= thresholdBps + 500) expect(open.has(kind)).toBe(false);
          }
          expect(evaluateCoverageAlerts({ coverageBps: coverage, thresholds: DEFAULTS, openKinds: open })).toEqual({ open: [], resolve: [] });
        }
      }),
      { numRuns: 1_000, seed: 41 },
    );
  });
});
