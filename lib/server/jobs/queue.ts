import "@/lib/server/server-only";
import type { Db, DbTx } from "@/lib/server/db/client";

// Background jobs an admin starts and watches (BackgroundJob rows): a request writes its change and
// enqueues the slow follow-up in the SAME transaction, then answers at once; a runner on some
// instance claims the job, reports progress, and stores the result for the screen that polls it.
//
// Claiming is one conditional write (QUEUED → RUNNING where it is still QUEUED), so two instances
// never run one job. The claim's startedAt is the job's fencing token: every progress and finishing
// write is conditional on it, so a runner whose stale job was taken over (RUNNING for longer than
// STALE_JOB_MS: its process died) can no longer write anything. Handlers are registered by kind
// where the app is assembled (lib/server/jobs/background.ts), so this module knows none of them.

export const JOB_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A RUNNING job whose claim is older than this is presumed dead (its instance stopped) and may be claimed again. */
export const STALE_JOB_MS = 15 * 60_000;
/** Stored messages and results stay small: a result is a report, not a data dump. */
const MAX_ERROR_CHARS = 1_000;

export type JobInput = { kind: string; input: unknown; requestedById?: string | null };

export type ClaimedJob = { id: string; kind: string; input: unknown; requestedById: string | null; startedAt: Date };

export type JobContext = {
  db: Db;
  job: ClaimedJob;
  /** Records progress (done of total); throws JobLostError when another runner took the job over. */
  progress: (done: number, total: number) => Promise<void>;
  now: () => Date;
};

/** A job's work: returns its result (JSON-serialisable; bigints become strings), or throws to fail it. */
export type JobHandler = (context: JobContext) => Promise<unknown>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** What a screen sees of a job (GET /api/admin/jobs/[jobId]). */
export type JobDto = {
  id: string;
  kind: string;
  status: JobStatus;
  progressDone: number;
  progressTotal: number;
  result: unknown;
  error: string | null;
  requestedById: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** The runner lost its claim (the job was taken over after it looked stale): stop, write nothing. */
export class JobLostError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} is no longer held by this runner`);
    this.name = "JobLostError";
  }
}

function toJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
}

/** Adds a QUEUED job inside the caller's transaction: it exists exactly when the caller's change commits. */
export async function enqueueJob(tx: DbTx | Db, job: JobInput): Promise<{ id: string }> {
  if (typeof job.kind !== "string" || job.kind.trim() === "" || job.kind.length > 64) throw new RangeError("A job needs a kind of 1 to 64 characters.");
  const row = await tx.backgroundJob.create({
    data: { kind: job.kind, status: "QUEUED", inputJson: toJson(job.input ?? {}), requestedById: job.requestedById ?? null },
    select: { id: true },
  });
  return row;
}

/**
 * Claims the oldest QUEUED job of a kind this runner can run (or a stale RUNNING one), with a
 * conditional update; null when there is none, or when another runner won every candidate.
 */
export async function claimNextJob(db: Db, input: { kinds: readonly string[]; now: Date }): Promise<ClaimedJob | null> {
  if (input.kinds.length === 0) return null;
  const staleBefore = new Date(input.now.getTime() - STALE_JOB_MS);
  const candidates = await db.backgroundJob.findMany({
    where: { kind: { in: [...input.kinds] }, OR: [{ status: "QUEUED" }, { status: "RUNNING", startedAt: { lt: staleBefore } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, status: true, startedAt: true, inputJson: true, requestedById: true },
    take: 5,
  });
  for (const candidate of candidates) {
    // The claim instant is this run's fencing token (a stale claim it replaces is older by STALE_JOB_MS).
    const startedAt = input.now;
    const claimed = await db.backgroundJob.updateMany({
      where: candidate.status === "QUEUED" ? { id: candidate.id, status: "QUEUED" } : { id: candidate.id, status: "RUNNING", startedAt: candidate.startedAt },
      data: { status: "RUNNING", startedAt, progressDone: 0 },
    });
    if (claimed.count !== 1) continue;
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(candidate.inputJson);
    } catch {
      parsed = {};
    }
    return { id: candidate.id, kind: candidate.kind, input: parsed, requestedById: candidate.requestedById, startedAt };
  }
  return null;
}

function heldBy(job: ClaimedJob) {
  return { id: job.id, status: "RUNNING", startedAt: job.startedAt };
}

async function finishJob(db: Db, job: ClaimedJob, data: { status: "SUCCEEDED" | "FAILED"; resultJson?: string; error?: string; finishedAt: Date }) {
  const finished = await db.backgroundJob.updateMany({ where: heldBy(job), data });
  if (finished.count !== 1) throw new JobLostError(job.id);
}

export type JobRun = { id: string; kind: string; status: "SUCCEEDED" | "FAILED" | "LOST"; error: string | null };

/** Runs one claimed job to its end with its handler: SUCCEEDED with its result, or FAILED with the error's message. */
export async function runClaimedJob(db: Db, job: ClaimedJob, handler: JobHandler, now: () => Date = () => new Date()): Promise<JobRun> {
  let lastTotal = -1;
  const context: JobContext = {
    db,
    job,
    now,
    async progress(done, total) {
      const data = total === lastTotal ? { progressDone: done } : { progressDone: done, progressTotal: total };
      const updated = await db.backgroundJob.updateMany({ where: heldBy(job), data });
      if (updated.count !== 1) throw new JobLostError(job.id);
      lastTotal = total;
    },
  };
  try {
    const result = await handler(context);
    await finishJob(db, job, { status: "SUCCEEDED", resultJson: toJson(result), finishedAt: now() });
    return { id: job.id, kind: job.kind, status: "SUCCEEDED", error: null };
  } catch (error) {
    if (error instanceof JobLostError) return { id: job.id, kind: job.kind, status: "LOST", error: error.message };
    console.error(`background job ${job.kind} ${job.id} failed`, error);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
    try {
      await finishJob(db, job, { status: "FAILED", error: message, finishedAt: now() });
    } catch (lost) {
      if (lost instanceof JobLostError) return { id: job.id, kind: job.kind, status: "LOST", error: lost.message };
      throw lost;
    }
    return { id: job.id, kind: job.kind, status: "FAILED", error: message };
  }
}

/**
 * Claims and runs queued jobs of the registered kinds, one after another, until none is left (or
 * `maxJobs` ran). Safe to call from every instance at once: each job runs on exactly one.
 */
export async function runQueuedJobs(db: Db, handlers: JobHandlers, options: { now?: () => Date; maxJobs?: number } = {}): Promise<JobRun[]> {
  const now = options.now ?? (() => new Date());
  const kinds = Object.keys(handlers);
  const runs: JobRun[] = [];
  const maxJobs = options.maxJobs ?? 20;
  while (runs.length < maxJobs) {
    const job = await claimNextJob(db, { kinds, now: now() });
    if (!job) break;
    runs.push(await runClaimedJob(db, job, handlers[job.kind], now));
  }
  return runs;
}

function toDto(row: {
  id: string;
  kind: string;
  status: string;
  progressDone: number;
  progressTotal: number;
  resultJson: string | null;
  error: string | null;
  requestedById: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}): JobDto {
  let result: unknown = null;
  if (row.resultJson) {
    try {
      result = JSON.parse(row.resultJson);
    } catch {
      result = null;
    }
  }
  return {
    id: row.id,
    kind: row.kind,
    status: (JOB_STATUSES as readonly string[]).includes(row.status) ? (row.status as JobStatus) : "FAILED",
    progressDone: row.progressDone,
    progressTotal: row.progressTotal,
    result,
    error: row.error,
    requestedById: row.requestedById,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** One job as a screen sees it, or null when there is no such job. */
export async function getJob(db: Db, id: string): Promise<JobDto | null> {
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return null;
  const row = await db.backgroundJob.findUnique({ where: { id } });
  return row ? toDto(row) : null;
}

/** The latest job of a kind (a screen shows the last run when it opens), or null. */
export async function findLatestJob(db: Db, kind: string): Promise<JobDto | null> {
  const row = await db.backgroundJob.findFirst({ where: { kind }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return row ? toDto(row) : null;
}

// ── In-process kick: background.ts registers how to run the queue now; a request that enqueued
// a job calls kickQueuedJobs() after its commit so the job starts within milliseconds instead of
// at the next tick. With background jobs off on this instance it does nothing (another instance runs it).
let kick: (() => void) | null = null;

export function setQueuedJobsKick(run: (() => void) | null) {
  kick = run;
}

export function kickQueuedJobs() {
  kick?.();
}
