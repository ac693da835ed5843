// The GPU index screen's server actions and the job route against real SQLite and PostgreSQL, with
// the real guard (only the session and Next's cache are stubbed): only an admin saves, previews or
// imports fixes; a preview writes nothing; a bad CSV line is refused with its line number (nothing
// written, no job); a good file writes its fixes and one "index.recompute" job, which the runner
// then runs, reporting the loans whose coverage moved and the alerts it opened.
import { expect, it, vi } from "vitest";
import { enqueueJob, runQueuedJobs, type JobDto } from "@/lib/server/jobs/queue";
import { indexJobHandlers, type IndexRecomputeResult } from "@/lib/server/valuation/index-fixes";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { createLender, createLoan, createUser, seedIndex, type Lender } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { saveGpuIndexFixAction: saveFix } = await import("./save-fix-action");
const { previewGpuIndexCsvAction: previewCsv } = await import("./preview-import-action");
const { importGpuIndexCsvAction: importCsv } = await import("./import-action");
const { GET: jobRoute } = await import("@/app/api/admin/jobs/[jobId]/route");

const USD = 1_000_000n;
const CSV_HEADER = "day,price_usd_per_gpu_hour";
const getJobRoute = (jobId: string) => jobRoute(new Request(`http://localhost/api/admin/jobs/${jobId}`), { params: Promise.resolve({ jobId }) });

await describeEachProvider("GPU index actions", (provider) => {
  let lenderA: Lender;
  let admin: { orgId: string; userId: string };
  let startup: { orgId: string; userId: string };

  const test = useActionDatabase(provider, {
    async setUp(db) {
      await seedIndex(db);
      lenderA = await createLender(db);
      admin = await createUser(db, "PLATFORM");
      startup = await createUser(db, "STARTUP");
    },
  });

  const as = signInAs;

  it("an admin saves a day's fix: 1.60 USD is 1,600,000 µUSD per GPU-hour, inserted once, audited", async () => {
    as(admin.userId);
    const result = await saveFix({ day: "2026-04-01", priceUsd: "1.60" });
    expect(result).toMatchObject({ ok: true, data: { day: "2026-04-01", priceMicros: "1600000", inserted: 1, updated: 0, unchanged: 0, jobId: expect.any(String) } });
    expect(await test.db.gpuIndexFix.findUniqueOrThrow({ where: { day: "2026-04-01" } })).toMatchObject({ priceMicrosPerGpuHour: 1_600_000n, source: "admin", createdById: admin.userId });
    expect(await test.db.auditLog.findFirstOrThrow({ where: { action: "gpuIndex.admin", targetId: "2026-04-01" } })).toMatchObject({ orgId: admin.orgId, actorUserId: admin.userId });
    expect(await saveFix({ day: "2026-04-01", priceUsd: "1.60" })).toMatchObject({ ok: true, data: { inserted: 0, updated: 0, unchanged: 1, jobId: null } });
  });

  it("a lender and a startup may not save, preview or import fixes (403), nor read a job (403); anonymous is a 401; nothing is written", async () => {
    const fixes = await test.db.gpuIndexFix.count();
    const { id: jobId } = await enqueueJob(test.db, { kind: "index.recompute", input: {} });
    for (const userId of [lenderA.userId, startup.userId]) {
      as(userId);
      expect(await previewCsv({ csv: `${CSV_HEADER}\n2026-04-11,1.70\n` })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect((await getJobRoute(jobId)).status).toBe(403);
      expect(await saveFix({ day: "2026-04-10", priceUsd: "1.60" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await importCsv({ csv: `${CSV_HEADER}\n2026-04-11,1.70\n` })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await saveFix({ day: "2026-04-10", priceUsd: "1.60" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect((await getJobRoute(jobId)).status).toBe(401);
    await test.db.backgroundJob.delete({ where: { id: jobId } });
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
    expect(await test.db.gpuIndexFix.findMany({ where: { day: { in: ["2026-04-10", "2026-04-11"] } } })).toEqual([]);
  });

  it.each([
    ["a day with slashes", { day: "2026/04/01", priceUsd: "1.60" }, "day"],
    ["a day that is not a date", { day: "April 1", priceUsd: "1.60" }, "day"],
    ["a price that is not a number", { day: "2026-04-12", priceUsd: "abc" }, "priceUsd"],
    ["a blank price", { day: "2026-04-12", priceUsd: "  " }, "priceUsd"],
  ])("refuses %s as a field error and writes nothing", async (_label, input, field) => {
    as(admin.userId);
    const fixes = await test.db.gpuIndexFix.count();
    expect(await saveFix(input)).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
  });

  it.each([
    ["a day in the future", "2999-01-01", "is in the future"],
    ["a day that does not exist", "2026-02-30", "is not a calendar day"],
  ])("refuses %s (well-formed, so past the input schema) with the service's invalid_index_fixes; nothing written", async (_label, day, reason) => {
    as(admin.userId);
    const fixes = await test.db.gpuIndexFix.count();
    const result = await saveFix({ day, priceUsd: "1.60" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_index_fixes" } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.message).toContain(reason);
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
  });

  it("an admin imports a CSV of 2 valid rows: both inserted, audited as one csv import", async () => {
    as(admin.userId);
    const result = await importCsv({ csv: `${CSV_HEADER}\n2026-04-02,1.70\n2026-04-03,1.80\n` });
    expect(result).toMatchObject({ ok: true, data: { inserted: 2, updated: 0, unchanged: 0, fromDay: "2026-04-02", toDay: "2026-04-03", jobId: expect.any(String) } });
    const rows = await test.db.gpuIndexFix.findMany({ where: { day: { in: ["2026-04-02", "2026-04-03"] } }, orderBy: { day: "asc" } });
    expect(rows.map((row) => [row.day, row.priceMicrosPerGpuHour, row.source, row.createdById])).toEqual([
      ["2026-04-02", 1_700_000n, "csv", admin.userId],
      ["2026-04-03", 1_800_000n, "csv", admin.userId],
    ]);
    expect(await test.db.auditLog.count({ where: { action: "gpuIndex.csv", actorUserId: admin.userId } })).toBe(1);
  });

  it.each([
    ["a price that is not a number on line 3", `${CSV_HEADER}\n2026-04-04,1.70\n2026-04-05,abc\n`, "Line 3"],
    ["a day with slashes on line 2", `${CSV_HEADER}\n2026/04/04,1.70\n2026-04-05,1.75\n`, "Line 2"],
    ["a day given twice", `${CSV_HEADER}\n2026-04-04,1.70\n2026-04-04,1.75\n`, "Line 3"],
    ["a day in the future", `${CSV_HEADER}\n2026-04-04,1.70\n2999-01-01,1.75\n`, "Line 3"],
  ])("a CSV with %s is refused whole, naming the line; nothing is written, no job", async (_label, csv, line) => {
    as(admin.userId);
    const fixes = await test.db.gpuIndexFix.count();
    const jobs = await test.db.backgroundJob.count();
    const audits = await test.db.auditLog.count({ where: { action: "gpuIndex.csv" } });
    const result = await importCsv({ csv });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_index_fixes" } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.message).toContain("nothing was written");
    expect(result.error.message).toContain(`${line}:`);
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
    expect(await test.db.gpuIndexFix.count({ where: { day: { in: ["2026-04-04", "2026-04-05"] } } })).toBe(0);
    expect(await test.db.auditLog.count({ where: { action: "gpuIndex.csv" } })).toBe(audits);
    expect(await test.db.backgroundJob.count()).toBe(jobs);
  });

  it("an empty CSV or a header without rows is refused, nothing written", async () => {
    as(admin.userId);
    const fixes = await test.db.gpuIndexFix.count();
    expect(await importCsv({ csv: "" })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "csv" } });
    expect(await importCsv({ csv: `${CSV_HEADER}\n` })).toMatchObject({ ok: false, error: { code: "invalid_index_fixes" } });
    expect(await importCsv({ csv: "day,price\n2026-04-06,1.70\n" })).toMatchObject({ ok: false, error: { code: "invalid_index_fixes" } });
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
  });

  it("the preview writes nothing: each row as insert, update or unchanged, every bad line by number", async () => {
    as(admin.userId);
    await test.db.gpuIndexFix.upsert({ where: { day: "2026-05-01" }, update: { priceMicrosPerGpuHour: 2_000_000n }, create: { day: "2026-05-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
    await test.db.gpuIndexFix.upsert({ where: { day: "2026-05-02" }, update: { priceMicrosPerGpuHour: 2_000_000n }, create: { day: "2026-05-02", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
    const fixes = await test.db.gpuIndexFix.count();
    const jobs = await test.db.backgroundJob.count();
    const good = await previewCsv({ csv: `${CSV_HEADER}\n2026-05-01,2.00\n2026-05-02,2.10\n2026-05-03,2.20\n` });
    expect(good).toEqual({
      ok: true,
      data: {
        counts: { insert: 1, update: 1, unchanged: 1 },
        rowCount: 3,
        rows: [
          { line: 2, day: "2026-05-01", priceMicros: "2000000", beforeMicros: "2000000", change: "unchanged" },
          { line: 3, day: "2026-05-02", priceMicros: "2100000", beforeMicros: "2000000", change: "update" },
          { line: 4, day: "2026-05-03", priceMicros: "2200000", beforeMicros: null, change: "insert" },
        ],
        issueCount: 0,
        issues: [],
        fromDay: "2026-05-01",
        toDay: "2026-05-03",
      },
    });
    const bad = await previewCsv({ csv: `${CSV_HEADER}\n2026-05-04,2.00\n2026-05-05,2.10\n2026-05-06,abc\n` });
    expect(bad).toMatchObject({ ok: true, data: { counts: { insert: 2 }, issueCount: 1, issues: [{ line: 4, label: "Line 4", message: expect.stringContaining("price is not a number") }] } });
    expect(await test.db.gpuIndexFix.count()).toBe(fixes);
    expect(await test.db.backgroundJob.count()).toBe(jobs);
  });

  it("a good CSV that cuts today's fix by 20%: fixes written and one job; the job reports the loan's coverage move and the alerts it opened", async () => {
    // One loan valued at today's fix: C = 188,000 USD, D = 100,000 USD, index at origination 2,000,000.
    const today = new Date().toISOString().slice(0, 10);
    await test.db.gpuIndexFix.upsert({ where: { day: today }, update: { priceMicrosPerGpuHour: 2_000_000n }, create: { day: today, priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 150_000n * USD, pledgedMicros: 38_000n * USD, principalMicros: 100_000n * USD, indexAtOriginationMicros: 2_000_000n });
    // Coverage at par: 188,000 × 0.85 / 100,000 = 159.80%.
    await test.db.loan.update({ where: { id: loan.id }, data: { lastCoverageBps: 15_980 } });
    await test.db.backgroundJob.deleteMany({});

    as(admin.userId);
    const result = await importCsv({ csv: `${CSV_HEADER}\n${today},1.60\n` });
    expect(result).toMatchObject({ ok: true, data: { inserted: 0, updated: 1, unchanged: 0, jobId: expect.any(String) } });
    if (!result.ok) throw new Error("unreachable");
    const jobId = result.data.jobId!;
    expect(await test.db.backgroundJob.count()).toBe(1);
    const queued = (await (await getJobRoute(jobId)).json()) as JobDto;
    expect(queued).toMatchObject({ id: jobId, kind: "index.recompute", status: "QUEUED", requestedById: admin.userId });

    expect(await runQueuedJobs(test.db, indexJobHandlers)).toMatchObject([{ id: jobId, status: "SUCCEEDED" }]);
    const response = await getJobRoute(jobId);
    expect(response.status).toBe(200);
    const done = (await response.json()) as JobDto;
    expect(done).toMatchObject({ status: "SUCCEEDED", finishedAt: expect.any(String) });
    expect(done.progressDone).toBe(done.progressTotal);
    expect(done.progressTotal).toBeGreaterThanOrEqual(1);
    const report = done.result as IndexRecomputeResult;
    // mark 0.85 × 0.8 = 0.68 → coverage ⌊188,000 × 0.68 / 100,000⌋ = 127.84%: below both early warnings, above maintenance.
    expect(report.moved).toContainEqual({ loanId: loan.id, reference: loan.reference, fromState: "ACTIVE", state: "ACTIVE", beforeBps: 15_980, afterBps: 12_784 });
    expect(report.alertsOpened.filter((alert) => alert.loanId === loan.id).map((alert) => alert.kind).sort()).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2"]);
    expect(report.indexMicros).toBe("1600000");

    expect((await getJobRoute("no-such-job")).status).toBe(404);
  });
});
