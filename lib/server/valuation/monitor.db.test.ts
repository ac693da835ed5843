// The coverage monitor against real SQLite and PostgreSQL. CONCURRENCY: two monitors at once, on two
// Prisma clients (two app instances) sharing the database, open every alert exactly once, move
// every loan once and auto-freeze once; the lease lets only one of them run a pass.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/server/db/client";
import { createLender, createLoan, seedIndex, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { runCoverageMonitor, runLeasedCoverageMonitor } from "./monitor";

const USD = 1_000_000n;
const root = path.resolve(import.meta.dirname, "../../..");
const MAX_LOCAL_ROUNDS = 200;

type ChildReport = { loans: number; opened: number; failed: { loanId: string; error: string }[] };

/** Monitor passes in another process (another app instance), resolved with their reports. */
function monitorInAnotherProcess(url: string, now: Date, passes: number): Promise<ChildReport[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "lib/server/valuation/monitor-instance.fixture.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, MONITOR_NOW: now.toISOString(), MONITOR_PASSES: String(passes) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`monitor instance exited with ${code}: ${err}`));
      resolve(out.trim().split("\n").map((line) => JSON.parse(line) as ChildReport));
    });
  });
}

await describeEachProvider("coverage monitor", (provider) => {
  let test: TestDatabase;
  let other: Db;
  let lender: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    other = createDb(test.url).db;
    await seedIndex(test.db);
    lender = await createLender(test.db);
    await test.db.webhookEndpoint.create({ data: { orgId: lender.orgId, url: "https://hooks.example.test/monitor", secretEncrypted: "x", events: "*" } });
  });
  afterAll(async () => {
    await other?.$disconnect();
    await test?.drop();
  });

  it("two monitors racing on two clients: each alert opened once, each state change and auto-freeze once", async () => {
    // mark 850,000 ppm; coverage = ⌊C × 850,000 / (D × 100)⌋.
    const specs = [
      { financed: 97_050n, principal: 60_000n, autoFreeze: false, expect: { state: "ACTIVE", kinds: ["EARLY_WARNING_1"] } }, // 13,748
      { financed: 91_150n, principal: 60_000n, autoFreeze: false, expect: { state: "ACTIVE", kinds: ["EARLY_WARNING_1", "EARLY_WARNING_2"] } }, // 12,912
      { financed: 88_200n, principal: 60_000n, autoFreeze: false, expect: { state: "MARGIN_CALL", kinds: ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL"] } }, // 12,495
      { financed: 100_000n, principal: 78_000n, autoFreeze: false, expect: { state: "MARGIN_CALL", kinds: ["EARLY_WARNING_1", "EARLY_WARNING_2", "LIQUIDATION_ZONE", "MARGIN_CALL"] } }, // 10,897
      { financed: 100_000n, principal: 78_000n, autoFreeze: true, expect: { state: "FROZEN", kinds: ["EARLY_WARNING_1", "EARLY_WARNING_2", "FROZEN", "LIQUIDATION_ZONE", "MARGIN_CALL"] } },
      { financed: 100_000n, principal: 60_000n, autoFreeze: false, overdue: true, expect: { state: "DELINQUENT", kinds: ["PAYMENT_OVERDUE"] } }, // 14,166; installment 1 is 28 days past due
    ];
    const loans = [];
    for (const spec of specs) {
      const { loan } = await createLoan(test.db, { lender, financedMicros: spec.financed * USD, principalMicros: spec.principal * USD, indexAtOriginationMicros: 2_000_000n, autoFreeze: spec.autoFreeze });
      if (spec.overdue) {
        await test.db.installment.create({ data: { loanId: loan.id, seq: 1, dueDate: new Date("2026-02-01T00:00:00Z"), amountMicros: 500n * USD, principalMicros: 500n * USD, interestMicros: 0n, status: "DUE" } });
        await test.db.installment.create({ data: { loanId: loan.id, seq: 2, dueDate: new Date("2026-04-01T00:00:00Z"), amountMicros: 59_500n * USD, principalMicros: 59_500n * USD, interestMicros: 0n, status: "DUE" } });
      }
      loans.push({ loan, spec });
    }

    // Another instance (a process of its own) runs 3 passes; meanwhile this one keeps passing, two at a time — on
    // PostgreSQL on two clients with their own connections (SQLite allows one writer per process at a time, so there
    // both local passes share one client and the other process is the competing writer).
    const child = monitorInAnotherProcess(test.url, VALUATION_NOW, 3);
    let isChildDone = false;
    void child.finally(() => (isChildDone = true)).catch(() => undefined);
    // Bounded: at most MAX_LOCAL_ROUNDS rounds. On SQLite a pause between rounds lets the other process's busy
    // handler (which sleeps between retries) find the write lock free — back to back, this process could starve it.
    const local = provider === "postgresql" ? [test.db, other] : [test.db, test.db];
    const pauseMs = provider === "sqlite" ? 150 : 5;
    let localPasses = 0;
    for (let round = 0; round < MAX_LOCAL_ROUNDS && (round < 2 || !isChildDone); round++) {
      const reports = await Promise.all(local.map((db) => runCoverageMonitor(db, VALUATION_NOW)));
      for (const report of reports) expect(report.failed).toEqual([]);
      localPasses += reports.length;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    const childReports = await child;
    expect(childReports).toHaveLength(3);
    for (const report of childReports) expect(report).toMatchObject({ loans: loans.length, failed: [] });
    const passes = localPasses + childReports.length;

    for (const { loan, spec } of loans) {
      const alerts = await test.db.alert.findMany({ where: { loanId: loan.id }, orderBy: { kind: "asc" } });
      expect(alerts.map((a) => a.kind)).toEqual(spec.expect.kinds);
      expect(alerts.every((a) => a.state === "OPEN")).toBe(true);
      expect(await test.db.webhookDelivery.count({ where: { eventType: "alert.opened", payload: { contains: loan.id } } })).toBe(spec.expect.kinds.length);
      const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
      expect(stored.state).toBe(spec.expect.state);
      const marginCalls = await test.db.auditLog.count({ where: { targetId: loan.id, action: "loan.coverageBelowMaintenance" } });
      expect(marginCalls).toBe(spec.expect.state === "MARGIN_CALL" || spec.expect.state === "FROZEN" ? 1 : 0);
      // The overdue sweep runs first in each pass: one installment marked, one move to DELINQUENT, across every pass.
      expect(await test.db.auditLog.count({ where: { targetId: loan.id, action: "loan.installmentOverdue" } })).toBe(spec.overdue ? 1 : 0);
      if (spec.overdue) expect(await test.db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" }, select: { status: true } })).toEqual([{ status: "OVERDUE" }, { status: "DUE" }]);
      expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(spec.autoFreeze ? 1 : 0);
      // Every pass of every instance valued every loan (FROZEN included).
      expect(await test.db.coverageSnapshot.count({ where: { loanId: loan.id, reason: "monitor" } })).toBe(passes);
    }
  });

  it("the lease: of two instances asking at once, one runs the pass; the other takes over once the lease has expired", async () => {
    const attempt = () => Promise.all([runLeasedCoverageMonitor(test.db, { holder: "instance-a", now: VALUATION_NOW }), runLeasedCoverageMonitor(other, { holder: "instance-b", now: VALUATION_NOW })]);
    const [a, b] = await attempt();
    expect([a, b].filter((report) => report !== null)).toHaveLength(1);
    const holder = a ? "instance-a" : "instance-b";
    // The holder renews it on its next tick; the other is refused while it lasts (2 intervals = 120 s).
    const later = new Date(VALUATION_NOW.getTime() + 60_000);
    expect(await runLeasedCoverageMonitor(a ? other : test.db, { holder: a ? "instance-b" : "instance-a", now: later })).toBeNull();
    expect(await runLeasedCoverageMonitor(a ? test.db : other, { holder, now: later })).not.toBeNull();
    // The holder dies: 121 s after its last renewal the other instance takes the lease.
    const afterExpiry = new Date(later.getTime() + 121_000);
    expect(await runLeasedCoverageMonitor(a ? other : test.db, { holder: a ? "instance-b" : "instance-a", now: afterExpiry })).not.toBeNull();
  });
});
