import { describe, expect, it } from "vitest";
import { coverageBps } from "../valuation/coverage";
import { cureOptions } from "./cure";

const USD = 1_000_000n;
const PAR_LESS_FEE = 850_000; // ppm: a credit at par less the 15% fee

describe("the least cure of a margin call (target = maintenance 125% + 5 points = 130%)", () => {
  it.each([
    // C × 0.85 / D: 100,000 × 0.85 / 70,000 = 121.43%.
    // repay: D may be at most ⌊100,000 × 0.85 / 1.30⌋ = 65,384.615384 → repay 4,615.384616.
    // pledge: C must be at least ⌈1.30 × 70,000 / 0.85⌉ = 107,058.823530 → pledge 7,058.823530.
    ["own credits cover the pledge", { own: 10_000n * USD }, { repay: 4_615_384_616n, pledge: 7_058_823_530n, fromOwn: 7_058_823_530n, buy: 0n }],
    ["own credits cover part: the rest is bought", { own: 1_000n * USD }, { repay: 4_615_384_616n, pledge: 7_058_823_530n, fromOwn: 1_000n * USD, buy: 6_058_823_530n }],
    ["no own credits: buy it all", { own: 0n }, { repay: 4_615_384_616n, pledge: 7_058_823_530n, fromOwn: 0n, buy: 7_058_823_530n }],
  ])("%s", (_label, { own }, expected) => {
    const cure = cureOptions({ collateralMicros: 100_000n * USD, debtMicros: 70_000n * USD, maintenanceBps: 12_500, markPpm: PAR_LESS_FEE, ownPledgeableMicros: own });
    expect(cure).toEqual({ targetBps: 13_000, repayMicros: expected.repay, pledgeMicros: expected.pledge, pledgeFromOwnMicros: expected.fromOwn, buyMicros: expected.buy });
  });

  it("each amount is the least: it reaches 130%, a µUSD less does not", () => {
    const input = { collateralMicros: 100_000n * USD, debtMicros: 70_000n * USD, maintenanceBps: 12_500, markPpm: PAR_LESS_FEE, ownPledgeableMicros: 0n };
    const { repayMicros, pledgeMicros } = cureOptions(input);
    const cov = (c: bigint, d: bigint) => coverageBps({ collateralMicros: c, debtMicros: d, markPpm: PAR_LESS_FEE })!;
    expect(cov(input.collateralMicros, input.debtMicros - repayMicros)).toBeGreaterThanOrEqual(13_000);
    expect(cov(input.collateralMicros, input.debtMicros - repayMicros + 1n)).toBeLessThan(13_000);
    expect(cov(input.collateralMicros + pledgeMicros!, input.debtMicros)).toBeGreaterThanOrEqual(13_000);
    expect(cov(input.collateralMicros + pledgeMicros! - 1n, input.debtMicros)).toBeLessThan(13_000);
  });

  it("coverage already at the target needs nothing", () => {
    expect(cureOptions({ collateralMicros: 200n * USD, debtMicros: 100n * USD, maintenanceBps: 12_500, markPpm: PAR_LESS_FEE, ownPledgeableMicros: 5n * USD })).toEqual({
      targetBps: 13_000,
      repayMicros: 0n,
      pledgeMicros: 0n,
      pledgeFromOwnMicros: 0n,
      buyMicros: 0n,
    });
  });

  it("a mark of 0: no pledge helps, only repaying everything", () => {
    expect(cureOptions({ collateralMicros: 100n * USD, debtMicros: 80n * USD, maintenanceBps: 12_500, markPpm: 0, ownPledgeableMicros: 5n * USD })).toEqual({
      targetBps: 13_000,
      repayMicros: 80n * USD,
      pledgeMicros: null,
      pledgeFromOwnMicros: 0n,
      buyMicros: 0n,
    });
  });
});
