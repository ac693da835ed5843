// The demo world's approval queue, seeded small into real SQLite and PostgreSQL, as the admins'
// screens use it: three applications oldest first; Quill Health's approved as offered by one admin
// with the suggested terms the page prefills; Orbital Genomics' above the four-eyes threshold, so
// the demo admin's approval waits for ops@; Tessera Legal's short of the initial threshold.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getApplicationPage, listApplicationQueue } from "@/lib/server/queries/admin-applications";
import { seedDemoWorld } from "@/lib/server/seed/demo-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { toApiError } from "@/lib/server/http/errors";
import { approveApplication } from "./approve";
import type { LoanCaller } from "./queries";

const NOW = new Date("2026-11-25T10:26:41.343Z");
const LATER = new Date(NOW.getTime() + 5 * 60_000);

await describeEachProvider("demo world approval queue", (provider) => {
  let test: TestDatabase;
  let db: Db;
  const admins: Record<string, LoanCaller> = {};
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = test.db;
    await seedDemoWorld(db, { now: NOW, scale: 0.02 });
    for (const email of ["admin@blockable.dev", "ops@blockable.dev"]) {
      const user = await db.user.findUniqueOrThrow({ where: { email } });
      admins[email] = { role: "admin", userId: user.id, orgId: user.orgId };
    }
  });
  afterAll(async () => {
    await test?.drop();
  });

  const pageOf = async (startupName: string) => {
    const queue = await listApplicationQueue(db);
    const row = queue.rows.find((r) => r.startupName === startupName)!;
    return (await getApplicationPage(db, row.id, { now: LATER }))!;
  };

  it("lists three applications, oldest first, under the default $250,000 threshold", async () => {
    const queue = await listApplicationQueue(db);
    expect(queue.thresholdMicros).toBe("250000000000");
    expect(queue.thresholdIsDefault).toBe(true);
    expect(queue.rows.map((r) => [r.startupName, r.needsSecondApproval, r.firstApprovedBy])).toEqual([
      ["Orbital Genomics", true, null],
      ["Quill Health", false, null],
      ["Tessera Legal", false, null],
    ]);
  });

  it("Quill Health's page has a 90-day burn, its past loan, and suggested terms that approve as offered", async () => {
    const page = await pageOf("Quill Health");
    expect(page.burn.points).toHaveLength(90);
    expect(BigInt(page.burn.sevenDayBurnMicros)).toBeGreaterThan(0n);
    expect(page.loans.map((loan) => loan.state)).toContain("LIQUIDATED");
    expect(BigInt(page.balances.ownPledgeableMicros)).toBeGreaterThanOrEqual(BigInt(page.application.pledgedMicros));
    const terms = page.suggestedTerms!;
    expect(terms).toMatchObject({ multiplierBps: 15_000, initialCoverageBps: 15_000 });
    const result = await approveApplication(db, { caller: admins["admin@blockable.dev"], loanId: page.application.id, terms, requestKey: "e2e-like", now: LATER });
    expect(result).toMatchObject({ awaitingSecondApproval: false, loan: { state: "ACTIVE" } });
    expect(result.disbursement!.financedMicros).toBe(300_000_000_000n);
  });

  it("Orbital Genomics' application waits for a second admin, then ops@ disburses it", async () => {
    const page = await pageOf("Orbital Genomics");
    expect(page.fourEyes.isRequired).toBe(true);
    const terms = page.suggestedTerms!;
    const first = await approveApplication(db, { caller: admins["admin@blockable.dev"], loanId: page.application.id, terms, requestKey: "one", now: LATER });
    expect(first).toMatchObject({ awaitingSecondApproval: true, loan: { state: "SUBMITTED" } });
    const waiting = await pageOf("Orbital Genomics");
    expect(waiting.fourEyes.firstApproval).toMatchObject({ byName: "Platform Admin", byEmail: "admin@blockable.dev" });
    expect(waiting.suggestedTerms).toEqual(terms);
    expect((await listApplicationQueue(db)).rows.find((r) => r.startupName === "Orbital Genomics")!.firstApprovedBy).toBe("Platform Admin");
    expect(toApiError(await approveApplication(db, { caller: admins["admin@blockable.dev"], loanId: page.application.id, terms, requestKey: "two", now: LATER }).catch((e) => e)).code).toBe("second_approval_required");
    const second = await approveApplication(db, { caller: admins["ops@blockable.dev"], loanId: page.application.id, terms: waiting.suggestedTerms!, requestKey: "three", now: LATER });
    expect(second).toMatchObject({ awaitingSecondApproval: false, loan: { state: "ACTIVE", decidedById: admins["ops@blockable.dev"].userId } });
  });

  it("Tessera Legal's application cannot be approved as asked: 127.5% initial coverage", async () => {
    const page = await pageOf("Tessera Legal");
    const error = toApiError(await approveApplication(db, { caller: admins["admin@blockable.dev"], loanId: page.application.id, terms: page.suggestedTerms!, now: LATER }).catch((e) => e));
    expect(error).toMatchObject({ status: 409, code: "initial_coverage_too_low" });
    expect(error.message).toMatch(/^Initial coverage would be 127\.50%/);
  });

  it("leaves the ledger healthy", async () => {
    expect((await checkLedgerHealth(db)).violations).toEqual([]);
  });
});
