// The GPU index against real SQLite and PostgreSQL: an admin's fix, a CSV import and the ingestion API
// each write all or nothing; an admin's change enqueues one "index.recompute" job in the same
// transaction (the runner recomputes every open loan), the API recomputes inline. GOLDEN index
// shock: −20% moves the mark, the coverage and opens both early warnings, figures derived in the comments.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLender, createLoan, createUser, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { recomputeCoverage } from "./coverage";
import { getJob, runQueuedJobs } from "@/lib/server/jobs/queue";
import { importIndexCsv, indexJobHandlers, IndexFixValidationError, previewIndexCsv, saveIndexFix, type IndexRecomputeResult } from "./index-fixes";
import { createIndexIngestRoute } from "./ingest-route";
import { getLoanOutlook } from "./outlook";

const USD = 1_000_000n;
const NOW = new Date("2026-04-01T12:00:00.000Z");

await describeEachProvider("GPU index", (provider) => {
  let test: TestDatabase;
  let lender: Lender;
  let admin: { orgId: string; userId: string };
  let loanId: string;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await test.db.gpuIndexFix.create({ data: { day: "2026-03-31", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
    lender = await createLender(test.db);
    admin = await createUser(test.db, "PLATFORM");
    await test.db.webhookEndpoint.create({ data: { orgId: lender.orgId, url: "https://hooks.example.test/index", secretEncrypted: "x", events: "alert.opened,alert.resolved" } });
    // C = 150,000 USD financed + 38,000 USD pledged = 188,000,000,000; D = 100,000,000,000 + 123,456,789 = 100,123,456,789 (APR 0);
    // index at origination 2,000,000.
    const { loan } = await createLoan(test.db, { lender, financedMicros: 150_000n * USD, pledgedMicros: 38_000n * USD, principalMicros: 100_000n * USD, interestAccruedMicros: 123_456_789n, indexAtOriginationMicros: 2_000_000n });
    loanId = loan.id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const fixCount = () => test.db.gpuIndexFix.count();
  const jobCount = () => test.db.backgroundJob.count();
  /** Runs the queue as the background runner does, valuing at NOW; the one job's result. */
  async function runRecompute(jobId: string | null): Promise<IndexRecomputeResult> {
    expect(jobId).toEqual(expect.any(String));
    const runs = await runQueuedJobs(test.db, indexJobHandlers, { now: () => NOW });
    expect(runs).toEqual([{ id: jobId, kind: "index.recompute", status: "SUCCEEDED", error: null }]);
    const job = await getJob(test.db, jobId!);
    expect(job).toMatchObject({ status: "SUCCEEDED", progressDone: job!.progressTotal });
    return job!.result as IndexRecomputeResult;
  }

  it("GOLDEN index shock: a −20% fix entered by an admin recomputes the loan — mark 680,000 ppm, coverage 127.68%, both early warnings", async () => {
    // Before: index 2,000,000 = origination → mark (10,000 − 1,500) × 100 = 850,000 ppm;
    // coverage ⌊188,000,000,000 × 850,000 / (100,123,456,789 × 100)⌋ = ⌊15,960.30⌋ = 15,960 ≥ 14,000: no alert.
    expect(await recomputeCoverage(test.db, { loanId, reason: "monitor", now: NOW })).toMatchObject({ coverageBps: 15_960, markPpm: 850_000, alerts: { opened: [], resolved: [] } });
    // The fix of 2026-04-01: 1,600,000 (−20%). mark = ⌊1,600,000 × 8,500 × 100 / 2,000,000⌋ = 680,000 ppm (exact);
    // coverage ⌊188,000,000,000 × 680,000 / 10,012,345,678,900⌋ = ⌊12,768.24⌋ = 12,768: below 14,000 and 13,000, not below 12,500.
    const result = await saveIndexFix(test.db, { fix: { day: "2026-04-01", priceMicrosPerGpuHour: 1_600_000n }, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW });
    expect(result).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, fromDay: "2026-04-01", toDay: "2026-04-01", recompute: null });
    // The request only wrote and enqueued: nothing recomputed yet.
    expect(await test.db.coverageSnapshot.count({ where: { loanId, reason: "index" } })).toBe(0);
    expect(await getJob(test.db, result.jobId!)).toMatchObject({ kind: "index.recompute", status: "QUEUED", requestedById: admin.userId, progressDone: 0 });
    const recompute = await runRecompute(result.jobId);
    const reference = (await test.db.loan.findUniqueOrThrow({ where: { id: loanId } })).reference;
    expect(recompute).toMatchObject({ fromDay: "2026-04-01", toDay: "2026-04-01", indexMicros: "1600000", loans: 1, recorded: 1, resolved: 0, failed: [], autoFrozen: [] });
    expect(recompute.moved).toEqual([{ loanId, reference, fromState: "ACTIVE", state: "ACTIVE", beforeBps: 15_960, afterBps: 12_768 }]);
    expect(recompute.alertsOpened).toEqual([
      { loanId, reference, kind: "EARLY_WARNING_1", coverageBps: 12_768 },
      { loanId, reference, kind: "EARLY_WARNING_2", coverageBps: 12_768 },
    ]);
    const snapshot = await test.db.coverageSnapshot.findFirstOrThrow({ where: { loanId, reason: "index" } });
    expect(snapshot).toMatchObject({ markPpm: 680_000, coverageBps: 12_768, indexMicros: 1_600_000n, collateralMicros: 188_000_000_000n, debtMicros: 100_123_456_789n });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loanId } })).toMatchObject({ state: "ACTIVE", lastCoverageBps: 12_768 });
    const alerts = await test.db.alert.findMany({ where: { loanId }, orderBy: { kind: "asc" } });
    expect(alerts.map((a) => [a.kind, a.state, a.coverageBps, a.message])).toEqual([
      ["EARLY_WARNING_1", "OPEN", 12_768, "Coverage fell below the 140% early-warning level (now 127.68%)."],
      ["EARLY_WARNING_2", "OPEN", 12_768, "Coverage fell below the 130% early-warning level (now 127.68%)."],
    ]);
    expect(await test.db.webhookDelivery.count({ where: { eventType: "alert.opened", payload: { contains: loanId } } })).toBe(2);
    expect(await test.db.gpuIndexFix.findUniqueOrThrow({ where: { day: "2026-04-01" } })).toMatchObject({ source: "admin", createdById: admin.userId });
    expect(await test.db.auditLog.count({ where: { action: "gpuIndex.admin", actorUserId: admin.userId } })).toBe(1);
  });

  it("GOLDEN the outlook follows the index trend: −400,000 µUSD/day → margin call in 1 day", async () => {
    // Fixes in the 30-day window: 03-31 2,000,000 and 04-01 1,600,000 → least-squares slope −400,000 µUSD/day
    // (−400,000 / 1,600,000 = −250,000 ppm/day). No burn, no installments. Day 1: index 1,200,000 → mark ⌊1,200,000 × 850,000 / 2,000,000⌋
    // = 510,000 → coverage ⌊188×10⁹ × 510,000 / 10,012,345,678,900⌋ = ⌊9,576.18⌋ = 9,576 < 12,500 → 1 day (2026-04-02).
    const outlook = await getLoanOutlook(test.db, { loanId, viewerOrgId: lender.orgId, now: NOW, horizonDays: 10 });
    expect(outlook.assumptions).toMatchObject({ indexTrendMicrosPerDay: -400_000n, indexTrendPpmPerDay: -250_000, indexTrendFixCount: 2, burnMicrosPerDay: 0n });
    expect(outlook.projection).toMatchObject({ daysToMarginCall: 1, marginCallDate: "2026-04-02" });
    expect(outlook.projection.series[1]).toMatchObject({ indexMicros: 1_200_000n, markPpm: 510_000, coverageBps: 9_576 });
  });

  it("a corrected fix updates the day and recomputes (EARLY_WARNING_2 resolves at 135%); the same fix again changes nothing", async () => {
    // 1,700,000 → mark ⌊1,700,000 × 850,000 / 2,000,000⌋ = 722,500; coverage ⌊188×10⁹ × 722,500 / 10,012,345,678,900⌋ = ⌊13,566.1⌋ = 13,566
    // ≥ 13,000 + 500: EARLY_WARNING_2 resolves; < 14,000 + 500: EARLY_WARNING_1 stays.
    const corrected = await saveIndexFix(test.db, { fix: { day: "2026-04-01", priceMicrosPerGpuHour: 1_700_000n }, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW });
    expect(corrected).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await runRecompute(corrected.jobId)).toMatchObject({ resolved: 1, alertsOpened: [], moved: [{ loanId, beforeBps: 12_768, afterBps: 13_566 }] });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loanId } })).toMatchObject({ lastCoverageBps: 13_566 });
    expect((await test.db.alert.findMany({ where: { loanId, openKey: { not: null } } })).map((a) => a.kind)).toEqual(["EARLY_WARNING_1"]);
    const snapshots = await test.db.coverageSnapshot.count({ where: { loanId } });
    const jobs = await jobCount();
    const again = await saveIndexFix(test.db, { fix: { day: "2026-04-01", priceMicrosPerGpuHour: 1_700_000n }, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, recompute: null, jobId: null });
    expect(await jobCount()).toBe(jobs);
    expect(await test.db.coverageSnapshot.count({ where: { loanId } })).toBe(snapshots);
  });

  it("a fix for a day after today, or of 0, is refused", async () => {
    await expect(saveIndexFix(test.db, { fix: { day: "2026-04-02", priceMicrosPerGpuHour: 1n }, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW })).rejects.toMatchObject({
      status: 422,
      message: "1 fix is invalid; nothing was written. 2026-04-02: 2026-04-02 is in the future (today is 2026-04-01 UTC); the index is fixed after the fact.",
    });
    await expect(saveIndexFix(test.db, { fix: { day: "2026-03-01", priceMicrosPerGpuHour: 0n }, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW })).rejects.toMatchObject({ status: 422, code: "invalid_index_fixes" });
  });

  it("CSV import: one bad line writes nothing (no job) and the message names the line; a good file reports inserted and updated, one job", async () => {
    const before = await fixCount();
    const jobsBefore = await jobCount();
    const bad = ["day,price_usd_per_gpu_hour", "2026-03-01,2.10", "2026-03-02,0", "2026-03-03,2.12", "2026-02-30,2.13", "2026-03-04,abc", "2026-03-01,2.20", ""].join("\n");
    const error = await importIndexCsv(test.db, { csv: bad, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexFixValidationError);
    const refused = error as IndexFixValidationError;
    expect(refused.status).toBe(422);
    expect(refused.issues.map((issue) => [issue.label, issue.line])).toEqual([["Line 3", 3], ["Line 5", 5], ["Line 6", 6], ["Line 7", 7]]);
    expect(refused.message).toContain("4 fixes are invalid; nothing was written.");
    expect(refused.message).toContain("Line 3: the price must be greater than 0");
    expect(refused.message).toContain('Line 5: "2026-02-30" is not a calendar day');
    expect(refused.message).toContain("Line 6: price is not a number");
    expect(refused.message).toContain("Line 7: 2026-03-01 appears again (first in Line 2)");
    expect(await fixCount()).toBe(before);
    expect(await jobCount()).toBe(jobsBefore);

    const good = "\uFEFFday,price_micros_per_gpu_hour\r\n2026-03-29,2050000\r\n2026-03-30,2100000\r\n";
    const imported = await importIndexCsv(test.db, { csv: good, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW });
    expect(imported).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, fromDay: "2026-03-29", toDay: "2026-03-30", jobId: expect.any(String) });
    expect(await jobCount()).toBe(jobsBefore + 1);
    expect(await test.db.backgroundJob.findUniqueOrThrow({ where: { id: imported.jobId! } })).toMatchObject({ kind: "index.recompute", status: "QUEUED", requestedById: admin.userId });
    // Past days only: the loan is valued at today's fix, so its coverage does not move.
    expect(await runRecompute(imported.jobId)).toMatchObject({ loans: 1, moved: [], alertsOpened: [] });
    const usd = 'price_usd_per_gpu_hour,day\n"2.05",2026-03-29\n$2.15,2026-03-30\n2.2,2026-03-28\n';
    expect(await previewIndexCsv(test.db, { csv: usd, now: NOW })).toMatchObject({
      counts: { insert: 1, update: 1, unchanged: 1 },
      issues: [],
      fromDay: "2026-03-28",
      toDay: "2026-03-30",
      rows: [
        { line: 2, day: "2026-03-29", priceMicros: 2_050_000n, beforeMicros: 2_050_000n, change: "unchanged" },
        { line: 3, day: "2026-03-30", priceMicros: 2_150_000n, beforeMicros: 2_100_000n, change: "update" },
        { line: 4, day: "2026-03-28", priceMicros: 2_200_000n, beforeMicros: null, change: "insert" },
      ],
    });
    expect(await importIndexCsv(test.db, { csv: usd, actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW })).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    await runRecompute((await test.db.backgroundJob.findFirstOrThrow({ where: { status: "QUEUED" } })).id);
    expect(await test.db.gpuIndexFix.findUniqueOrThrow({ where: { day: "2026-03-30" } })).toMatchObject({ priceMicrosPerGpuHour: 2_150_000n, source: "csv" });
    await expect(importIndexCsv(test.db, { csv: "date,price\n2026-03-01,2", actorUserId: admin.userId, actorOrgId: admin.orgId, now: NOW })).rejects.toMatchObject({ message: expect.stringContaining("Line 1: the header must be day,price_usd_per_gpu_hour") });
  });

  it("POST /api/v1/index/fixes: bearer token, whole-batch validation naming fixes[i], then written and every open loan recomputed", async () => {
    const POST = createIndexIngestRoute({ db: test.db, token: () => "bl-idx-test-token-0123456789abcdef", now: () => NOW });
    const post = (body: unknown, token: string | null = "bl-idx-test-token-0123456789abcdef") =>
      POST(new Request("http://localhost/api/v1/index/fixes", { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: typeof body === "string" ? body : JSON.stringify(body) }));

    const anonymous = await post({ fixes: [] }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    expect((await post({ fixes: [] }, "wrong")).status).toBe(401);
    expect((await (await post("{not json")).json()).error.code).toBe("invalid_json");
    // Over 2 MB, streamed without a declared length: refused once the limit is passed, nothing written.
    const fixesBefore = await fixCount();
    const megabyte = new TextEncoder().encode(" ".repeat(1024 * 1024));
    let chunksPulled = 0;
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => (chunksPulled++ < 1_000 ? controller.enqueue(megabyte) : controller.close()) });
    const oversized = await POST(
      new Request("http://localhost/api/v1/index/fixes", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bl-idx-test-token-0123456789abcdef" }, body: endless, duplex: "half" } as RequestInit),
    );
    expect(oversized.status).toBe(413);
    expect((await oversized.json()).error.code).toBe("body_too_large");
    expect(chunksPulled).toBeLessThan(10);
    expect(await fixCount()).toBe(fixesBefore);

    const before = await fixCount();
    const invalid = await post({ fixes: [{ day: "2026-03-20", priceMicrosPerGpuHour: "2000000" }, { day: "2026-04-05", priceMicrosPerGpuHour: "2000000" }] });
    expect(invalid.status).toBe(422);
    const invalidBody = await invalid.json();
    expect(invalidBody.error).toMatchObject({ code: "invalid_index_fixes", param: "fixes[1]" });
    expect(invalidBody.error.message).toContain("fixes[1]: 2026-04-05 is in the future");
    expect(await fixCount()).toBe(before);
    expect((await post({ fixes: [{ day: "2026-03-20", priceMicrosPerGpuHour: "2.5" }] })).status).toBe(400);

    const snapshots = await test.db.coverageSnapshot.count({ where: { loanId } });
    const jobs = await jobCount();
    const ok = await post({ fixes: [{ day: "2026-03-20", priceMicrosPerGpuHour: "2000000" }, { day: "2026-03-21", priceMicrosPerGpuHour: 2_010_000 }] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ inserted: 2, updated: 0, unchanged: 0, fromDay: "2026-03-20", toDay: "2026-03-21", recomputedLoans: 1 });
    expect(await jobCount()).toBe(jobs);
    expect(await test.db.coverageSnapshot.count({ where: { loanId } })).toBe(snapshots + 1);
    expect(await test.db.gpuIndexFix.findUniqueOrThrow({ where: { day: "2026-03-21" } })).toMatchObject({ source: "api", priceMicrosPerGpuHour: 2_010_000n });
  });
});
