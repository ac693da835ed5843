// The lender desk benchmark's world (seed-desk.ts), seeded small into real SQLite and PostgreSQL:
// what the bench relies on and what makes its figures honest — a healthy ledger whose usage is
// exactly the events', rollups that sum the events, loans whose state fits their coverage, the
// stored coverage agreeing with the lots, freeze targets whose every credit is collateral, and a
// lender who can sign in. Fails when a schema or rule change leaves the seed behind.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { verifyPassword } from "@/lib/server/auth/passwords";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { hashApiKey } from "@/lib/server/services/api-keys";
import { seedDeskDatabase, type SeedReport } from "./seed-desk";

const NOW = new Date("2026-12-04T15:30:00.000Z");
const SIZE = { loans: 60, events: 20_000, snapshotsPerDay: 6, freezeTargets: 2 };

await describeEachProvider("lender desk bench world", (provider) => {
  let test: TestDatabase;
  let report: SeedReport;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    report = await seedDeskDatabase(test.url, SIZE, { now: NOW, log: () => undefined });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("has the book's states, exactly the events asked for, and a healthy ledger", async () => {
    expect(report.ledger.violations).toEqual([]);
    expect(report.manifest.stateMismatches).toEqual([]);
    expect(await test.db.usageEvent.count()).toBe(SIZE.events);
    const states = await test.db.loan.groupBy({ by: ["state"], _count: { _all: true } });
    expect(states.map((s) => s.state).sort()).toEqual(["ACTIVE", "DELINQUENT", "FROZEN", "LIQUIDATED", "MARGIN_CALL", "REPAID"]);
    expect(states.reduce((sum, s) => sum + s._count._all, 0)).toBe(SIZE.loans);
  });

  it("books each borrower's usage on the ledger as exactly what its events cost, and rolls them up per day", async () => {
    const events = await test.db.usageEvent.groupBy({ by: ["orgId"], _sum: { costMicros: true }, _count: { _all: true } });
    const daily = await test.db.usageDaily.groupBy({ by: ["orgId"], _sum: { costMicros: true, requests: true } });
    const usageAccounts = await test.db.ledgerAccount.findMany({ where: { type: "PLATFORM_USAGE" } });
    const dailyByOrg = new Map(daily.map((d) => [d.orgId, d._sum]));
    const usageByOrg = new Map(usageAccounts.map((a) => [a.orgId, a.balanceMicros]));
    expect(events.length).toBeGreaterThan(SIZE.loans - 5);
    for (const row of events) {
      expect(dailyByOrg.get(row.orgId)?.costMicros).toBe(row._sum.costMicros);
      expect(dailyByOrg.get(row.orgId)?.requests).toBe(row._count._all);
      expect(usageByOrg.get(row.orgId)).toBe(row._sum.costMicros);
    }
  });

  it("stores each open loan's coverage as its lots say, and every open borrower's credits are collateral", async () => {
    const loans = await test.db.loan.findMany({ where: { state: { in: [...OPEN_LOAN_STATES] } }, include: { coverage: { orderBy: { at: "desc" }, take: 1 }, lots: true } });
    expect(loans.length).toBeGreaterThan(0);
    for (const loan of loans) {
      const collateral = loan.lots.reduce((sum, lot) => sum + lot.remainingMicros, 0n);
      expect(loan.coverage[0].collateralMicros).toBe(collateral);
      expect(loan.lastCoverageBps).toBe(loan.coverage[0].coverageBps);
      const ownCredits = await test.db.creditLot.aggregate({ where: { orgId: loan.startupOrgId, loanId: null }, _sum: { remainingMicros: true } });
      expect(ownCredits._sum.remainingMicros ?? 0n).toBe(0n);
      if (loan.state === "FROZEN") expect(loan.lots.some((lot) => lot.frozenMicros > 0n)).toBe(true);
      if (loan.state === "MARGIN_CALL") expect(loan.lastCoverageBps!).toBeLessThan(loan.maintenanceCoverageBps);
    }
  });

  it("hands the bench a lender who can sign in, its API token, and freeze targets whose keys belong to their borrowers", async () => {
    const { manifest } = report;
    const lender = await test.db.user.findUniqueOrThrow({ where: { email: manifest.lender.email } });
    expect(lender.role).toBe("lender");
    expect(await verifyPassword(lender.passwordHash, manifest.lender.password)).toBe(true);
    expect(await test.db.lenderApiToken.count({ where: { orgId: lender.orgId } })).toBe(1);
    expect(manifest.freezeTargets).toHaveLength(SIZE.freezeTargets);
    for (const target of manifest.freezeTargets) {
      const key = await test.db.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(target.apiKey) } });
      const loan = await test.db.loan.findUniqueOrThrow({ where: { id: target.loanId } });
      expect(key.orgId).toBe(loan.startupOrgId);
      expect(loan).toMatchObject({ state: "ACTIVE", lenderOrgId: lender.orgId });
    }
    const worst = await test.db.loan.findUniqueOrThrow({ where: { id: manifest.worstLoan.loanId } });
    const lowest = await test.db.loan.findFirstOrThrow({ where: { state: { in: [...OPEN_LOAN_STATES] }, lastCoverageBps: { not: null } }, orderBy: { lastCoverageBps: "asc" } });
    expect(worst.lastCoverageBps).toBe(lowest.lastCoverageBps);
  });
});
