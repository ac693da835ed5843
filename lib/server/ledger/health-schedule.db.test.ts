// The hourly ledger health run against real SQLite and PostgreSQL: one instance at a time (the
// lease), once an hour whoever holds it, each run stored as a BackgroundJob row that the admin page
// reads back as "Last scheduled run" — SUCCEEDED with every check passing on a sound ledger,
// FAILED naming the check on a broken one.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLender, createLoan, seedIndex } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { findLastScheduledLedgerHealthRun, LEDGER_HEALTH_JOB_KIND, runLeasedLedgerHealthIfDue } from "./health-schedule";

const USD = 1_000_000n;
const MINUTE_MS = 60_000;

await describeEachProvider("scheduled ledger health", (provider) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db);
    const lender = await createLender(test.db);
    await createLoan(test.db, { lender, financedMicros: 1_250n * USD, pledgedMicros: 300n * USD, ownMicros: 50n * USD, principalMicros: 1_000n * USD });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("runs on the lease holder once an hour, stores each run, and the page reads the latest", async () => {
    expect(await findLastScheduledLedgerHealthRun(test.db)).toBeNull();
    const t0 = Date.now();
    const at = (minutes: number) => () => new Date(t0 + minutes * MINUTE_MS);

    const first = await runLeasedLedgerHealthIfDue(test.db, { holder: "instance-a", now: at(0) });
    expect(first).toMatchObject({ status: "SUCCEEDED", error: null });
    expect(first!.summary!.isHealthy).toBe(true);
    expect(first!.summary!.checks.map((check) => [check.code, check.isPassing])).toEqual([
      ["UNBALANCED_TRANSFER", true],
      ["BALANCE_MISMATCH", true],
      ["NEGATIVE_BALANCE", true],
      ["LOTS_MISMATCH_SPENDABLE", true],
      ["LOTS_MISMATCH_FROZEN", true],
      ["RECEIVABLE_MISMATCH", true],
    ]);
    expect(first!.summary!.counts.creditOrganizations).toBe(1);
    expect(first!.summary!.totalsMicros.spendable).toBe((1_600n * USD).toString());

    const row = await test.db.backgroundJob.findUniqueOrThrow({ where: { id: first!.id } });
    expect(row).toMatchObject({ kind: LEDGER_HEALTH_JOB_KIND, status: "SUCCEEDED", progressDone: 6, progressTotal: 6 });
    expect(row.finishedAt).not.toBeNull();
    expect(JSON.parse(row.resultJson!)).toEqual(first!.summary);

    // Another instance while the lease is held, and the holder before the hour is up: nothing runs.
    expect(await runLeasedLedgerHealthIfDue(test.db, { holder: "instance-b", now: at(1) })).toBeNull();
    expect(await runLeasedLedgerHealthIfDue(test.db, { holder: "instance-a", now: at(30) })).toBeNull();
    expect(await test.db.backgroundJob.count({ where: { kind: LEDGER_HEALTH_JOB_KIND } })).toBe(1);

    // An hour on, the first instance gone: the other takes the lease and runs.
    const second = await runLeasedLedgerHealthIfDue(test.db, { holder: "instance-b", now: at(61) });
    expect(second?.status).toBe("SUCCEEDED");
    expect((await findLastScheduledLedgerHealthRun(test.db))?.id).toBe(second!.id);
  });

  it("a broken ledger: the run is FAILED, naming the failing check, with the report kept", async () => {
    const account = await test.db.ledgerAccount.findFirstOrThrow({ where: { type: "STARTUP_SPENDABLE" } });
    await test.db.ledgerAccount.update({ where: { id: account.id }, data: { balanceMicros: account.balanceMicros + 1n } });
    try {
      const run = await runLeasedLedgerHealthIfDue(test.db, { holder: "instance-b", now: () => new Date(Date.now() + 3 * 60 * MINUTE_MS) });
      expect(run?.status).toBe("FAILED");
      expect(run?.error).toContain("Balances equal their entries (1)");
      const balances = run!.summary!.checks.find((check) => check.code === "BALANCE_MISMATCH")!;
      expect(balances).toMatchObject({ isPassing: false, violationCount: 1 });
      expect(balances.violations[0].subjectId).toBe(account.id);
      expect((await findLastScheduledLedgerHealthRun(test.db))).toEqual(run);
    } finally {
      await test.db.ledgerAccount.update({ where: { id: account.id }, data: { balanceMicros: account.balanceMicros } });
    }
  });
});
