// The BackgroundJob queue against real SQLite and PostgreSQL: a job exists only when the transaction
// that enqueued it commits; two instances (two database clients) draining one queue at once run
// every job exactly once; progress is visible while a job runs; a failure is recorded; a runner whose
// stale job was taken over can write nothing more.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/server/db/client";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { claimNextJob, enqueueJob, getJob, JobLostError, runClaimedJob, runQueuedJobs, STALE_JOB_MS, type JobHandlers } from "./queue";

const NOW = new Date("2026-04-01T12:00:00.000Z");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await describeEachProvider("background job queue", (provider) => {
  let test: TestDatabase;
  let other: Db;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    other = createDb(test.url).db; // a second app instance on the same database
  });
  afterAll(async () => {
    await other?.$disconnect();
    await test?.drop();
  });
  beforeEach(async () => {
    await test.db.backgroundJob.deleteMany({});
  });

  it("a job enqueued in a transaction that rolls back does not exist; one that commits is QUEUED with its input", async () => {
    await expect(
      test.db.$transaction(async (tx) => {
        await enqueueJob(tx, { kind: "test.echo", input: { n: 1 } });
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(await test.db.backgroundJob.count()).toBe(0);

    const { id } = await test.db.$transaction((tx) => enqueueJob(tx, { kind: "test.echo", input: { n: 2, big: 5n }, requestedById: "user-1" }));
    expect(await getJob(test.db, id)).toMatchObject({ id, kind: "test.echo", status: "QUEUED", progressDone: 0, progressTotal: 0, result: null, error: null, requestedById: "user-1", startedAt: null });
    expect(await getJob(test.db, "no-such-job")).toBeNull();
  });

  it("runs a job with its handler: progress visible while it runs, the result stored, SUCCEEDED", async () => {
    const { id } = await enqueueJob(test.db, { kind: "test.count", input: { to: 3 } });
    const seen: unknown[] = [];
    const handlers: JobHandlers = {
      "test.count": async ({ job, progress, db }) => {
        const { to } = job.input as { to: number };
        for (let i = 1; i <= to; i++) {
          await progress(i, to);
          const row = await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } });
          seen.push([row.status, row.progressDone, row.progressTotal]);
        }
        return { counted: to, asBigint: 12n };
      },
    };
    expect(await runQueuedJobs(test.db, handlers, { now: () => NOW })).toEqual([{ id, kind: "test.count", status: "SUCCEEDED", error: null }]);
    expect(seen).toEqual([
      ["RUNNING", 1, 3],
      ["RUNNING", 2, 3],
      ["RUNNING", 3, 3],
    ]);
    expect(await getJob(test.db, id)).toMatchObject({ status: "SUCCEEDED", progressDone: 3, progressTotal: 3, result: { counted: 3, asBigint: "12" }, startedAt: NOW.toISOString(), finishedAt: NOW.toISOString() });
    // Nothing left: a second pass runs nothing.
    expect(await runQueuedJobs(test.db, handlers)).toEqual([]);
  });

  it("a handler that throws leaves the job FAILED with its message; jobs of kinds without a handler stay QUEUED", async () => {
    const failing = await enqueueJob(test.db, { kind: "test.fail", input: {} });
    const foreign = await enqueueJob(test.db, { kind: "ledger.health", input: {} });
    const handlers: JobHandlers = {
      "test.fail": async () => {
        throw new Error("upstream unreachable");
      },
    };
    expect(await runQueuedJobs(test.db, handlers)).toEqual([{ id: failing.id, kind: "test.fail", status: "FAILED", error: "upstream unreachable" }]);
    expect(await getJob(test.db, failing.id)).toMatchObject({ status: "FAILED", error: "upstream unreachable", result: null, finishedAt: expect.any(String) });
    expect(await getJob(test.db, foreign.id)).toMatchObject({ status: "QUEUED" });
  });

  it("CONCURRENCY: two instances draining the queue at once run each of 8 jobs exactly once", async () => {
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push((await enqueueJob(test.db, { kind: "test.slow", input: { i } })).id);
    const runsByJob = new Map<string, string[]>();
    const handlerFor =
      (instance: string): JobHandlers["test.slow"] =>
      async ({ job, progress }) => {
        runsByJob.set(job.id, [...(runsByJob.get(job.id) ?? []), instance]);
        await progress(0, 1);
        await sleep(15);
        await progress(1, 1);
        return { instance };
      };
    const [a, b] = await Promise.all([runQueuedJobs(test.db, { "test.slow": handlerFor("a") }), runQueuedJobs(other, { "test.slow": handlerFor("b") })]);
    expect([...a, ...b].map((run) => run.id).sort()).toEqual([...ids].sort());
    expect([...a, ...b].every((run) => run.status === "SUCCEEDED")).toBe(true);
    expect([...runsByJob.values()].every((instances) => instances.length === 1)).toBe(true);
    expect(runsByJob.size).toBe(8);
    expect(await test.db.backgroundJob.count({ where: { status: "SUCCEEDED" } })).toBe(8);
  });

  it("CONCURRENCY: the same job claimed by two instances at the same instant is won by one", async () => {
    const { id } = await enqueueJob(test.db, { kind: "test.once", input: {} });
    const claims = await Promise.all([claimNextJob(test.db, { kinds: ["test.once"], now: NOW }), claimNextJob(other, { kinds: ["test.once"], now: NOW })]);
    expect(claims.filter((claim) => claim !== null).map((claim) => claim!.id)).toEqual([id]);
  });

  it("a RUNNING job older than the stale limit is taken over; the old runner's progress and finish are refused", async () => {
    const { id } = await enqueueJob(test.db, { kind: "test.stale", input: {} });
    const first = await claimNextJob(test.db, { kinds: ["test.stale"], now: NOW });
    expect(first?.id).toBe(id);
    // Not stale yet: nobody else may claim it.
    expect(await claimNextJob(other, { kinds: ["test.stale"], now: new Date(NOW.getTime() + STALE_JOB_MS - 1_000) })).toBeNull();
    const later = new Date(NOW.getTime() + STALE_JOB_MS + 1_000);
    const second = await claimNextJob(other, { kinds: ["test.stale"], now: later });
    expect(second).toMatchObject({ id, startedAt: later });

    // The first runner wakes up: its writes are fenced off, it reports LOST and changes nothing.
    let lostError: unknown = null;
    const lost = await runClaimedJob(test.db, first!, async ({ progress }) => {
      try {
        await progress(1, 2);
      } catch (error) {
        lostError = error;
        throw error;
      }
      return "never";
    });
    expect(lostError).toBeInstanceOf(JobLostError);
    expect(lost).toMatchObject({ id, status: "LOST" });
    expect(await getJob(test.db, id)).toMatchObject({ status: "RUNNING", progressDone: 0, startedAt: later.toISOString() });

    expect(await runClaimedJob(other, second!, async ({ progress }) => (await progress(2, 2), { ok: true }))).toMatchObject({ status: "SUCCEEDED" });
    expect(await getJob(test.db, id)).toMatchObject({ status: "SUCCEEDED", progressDone: 2, progressTotal: 2, result: { ok: true } });
  });
});
