// recomputeCoverage against real SQLite and PostgreSQL: golden figures derived by hand.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLender, createLoan, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { recomputeCoverage } from "./coverage";

const USD = 1_000_000n;

await describeEachProvider("recomputeCoverage", (provider) => {
  let test: TestDatabase;
  let lender: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await test.db.gpuIndexFix.create({ data: { day: "2026-02-28", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
    await test.db.gpuIndexFix.create({ data: { day: "2026-03-01", priceMicrosPerGpuHour: 1_600_000n, source: "seed" } });
    lender = await createLender(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("GOLDEN a −20% index: mark 680,000 ppm, coverage 127.68%, both early warnings open, no margin call", async () => {
    // C = 150,000 USD financed + 38,000 USD pledged = 188,000,000,000 µUSD.
    // D = 100,000,000,000 principal + 123,456,789 interest = 100,123,456,789 µUSD (APR 0).
    // mark = 1,600,000 / 2,000,000 × (1 − 0.15) = 0.8 × 0.85 = 0.68 → 680,000 ppm exactly.
    // coverage = ⌊C × m / (D × 100)⌋ = ⌊127,840,000,000,000,000 / 10,012,345,678,900⌋ = ⌊12,768.24⌋ = 12,768 bps:
    // below 14,000 and 13,000 (EARLY_WARNING_1, _2), not below 12,500 (no margin call).
    const { loan } = await createLoan(test.db, { lender, financedMicros: 150_000n * USD, pledgedMicros: 38_000n * USD, principalMicros: 100_000n * USD, interestAccruedMicros: 123_456_789n, indexAtOriginationMicros: 2_000_000n });
    const result = await recomputeCoverage(test.db, { loanId: loan.id, reason: "index", now: VALUATION_NOW });
    expect(result).toMatchObject({ isRecorded: true, state: "ACTIVE", markPpm: 680_000, coverageBps: 12_768, collateralMicros: 188_000_000_000n, debtMicros: 100_123_456_789n });
    expect(result.alerts).toEqual({ opened: ["EARLY_WARNING_1", "EARLY_WARNING_2"], resolved: [] });
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(stored).toMatchObject({ lastCoverageBps: 12_768, state: "ACTIVE" });
    const again = await recomputeCoverage(test.db, { loanId: loan.id, reason: "index", now: VALUATION_NOW });
    expect(again.alerts).toEqual({ opened: [], resolved: [] });
    expect(await test.db.coverageSnapshot.count({ where: { loanId: loan.id } })).toBe(2);
  });
});
