import "@/lib/server/server-only";
import { z } from "zod";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { enqueueJob, type JobContext, type JobHandlers } from "@/lib/server/jobs/queue";
import { indexFixOn } from "@/lib/server/loans/figures";
import { recordAudit } from "@/lib/server/services/audit";
import { addToBatch, emptyBatch, openLoanIds, recomputeOpenLoans, type BatchRecompute } from "./batch";
import { recomputeCoverage } from "./coverage";
import { invalidateCoverageHook } from "./hot-path";
import { describeIssues, indexBatchIssues, parseIndexCsv, type IndexFixInput, type IndexFixIssue, type LabelledFix } from "./index-csv";

// The GPU price index (DESIGN.md, "Valuation and coverage"): daily fixes of the H100 price in µUSD
// per GPU-hour, one per UTC day. Admins enter one or import a CSV (after a preview that writes
// nothing); a feed posts them to POST /api/v1/index/fixes. Every batch is validated whole and
// written in one transaction (all or nothing). After an admin's change, the same transaction
// enqueues an "index.recompute" BackgroundJob: the request answers at once and a runner
// (lib/server/jobs/queue.ts) recomputes every open loan, reporting the loans whose coverage moved
// and the alerts it opened. The feed's API still recomputes inline (its answer counts the loans).

export type IndexFixSource = "admin" | "csv" | "api";

/** Refused input: the message names every bad row (up to ten), `issues` has them all. */
export class IndexFixValidationError extends ApiError {
  constructor(readonly issues: IndexFixIssue[]) {
    super(422, "invalid_index_fixes", describeIssues(issues), issues[0]?.label.startsWith("fixes[") ? issues[0].label : null);
  }
}

export type IndexWriteResult = {
  inserted: number;
  updated: number;
  /** Days already fixed at the same price. */
  unchanged: number;
  fromDay: string;
  toDay: string;
  /** The inline coverage recompute that followed (the feed's API; null when nothing changed or a job does it). */
  recompute: BatchRecompute | null;
  /** The "index.recompute" job enqueued with the fixes (null when nothing changed or it recomputed inline). */
  jobId: string | null;
};

export const INDEX_RECOMPUTE_JOB = "index.recompute";

/** After writing: enqueue the recompute job (admins), recompute inline (the feed's API), or neither (tests, seeds). */
export type IndexRecomputeMode = "job" | "inline" | "none";

export type IndexWriter = { source: IndexFixSource; actorUserId?: string | null; actorOrgId?: string | null; actorKind: "user" | "api" | "system" };

/**
 * Validates the whole batch (every row's problem reported at once, nothing written if any), then
 * upserts it in one transaction: new days inserted, changed prices updated, the same price left
 * alone. Anything written → the hot-path caches dropped and every open loan recomputed (reason
 * "index"): by a job enqueued in the same transaction, or inline.
 */
export async function writeIndexFixes(db: Db, input: { fixes: LabelledFix[]; writer: IndexWriter; now: Date; recompute: IndexRecomputeMode }): Promise<IndexWriteResult> {
  const issues = indexBatchIssues(input.fixes, input.now);
  if (issues.length > 0) throw new IndexFixValidationError(issues);
  const days = input.fixes.map((fix) => fix.day).sort();
  const fromDay = days[0];
  const toDay = days[days.length - 1];
  const { writer } = input;
  const counts = await db.$transaction(async (tx) => {
    const existing = new Map((await tx.gpuIndexFix.findMany({ where: { day: { in: days } }, select: { day: true, priceMicrosPerGpuHour: true } })).map((row) => [row.day, row.priceMicrosPerGpuHour]));
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    const changes: { day: string; beforeMicros: bigint | null; afterMicros: bigint }[] = [];
    for (const fix of input.fixes) {
      const before = existing.get(fix.day);
      if (before === undefined) {
        await tx.gpuIndexFix.create({ data: { day: fix.day, priceMicrosPerGpuHour: fix.priceMicrosPerGpuHour, source: writer.source, createdById: writer.actorUserId ?? null } });
        inserted++;
        changes.push({ day: fix.day, beforeMicros: null, afterMicros: fix.priceMicrosPerGpuHour });
      } else if (before !== fix.priceMicrosPerGpuHour) {
        await tx.gpuIndexFix.update({ where: { day: fix.day }, data: { priceMicrosPerGpuHour: fix.priceMicrosPerGpuHour, source: writer.source, createdById: writer.actorUserId ?? null } });
        updated++;
        changes.push({ day: fix.day, beforeMicros: before, afterMicros: fix.priceMicrosPerGpuHour });
      } else {
        unchanged++;
      }
    }
    const isChanged = inserted + updated > 0;
    const job = isChanged && input.recompute === "job" ? await enqueueJob(tx, { kind: INDEX_RECOMPUTE_JOB, input: { fromDay, toDay, source: writer.source }, requestedById: writer.actorUserId ?? null }) : null;
    // before/after per changed day (the first 50: an import of a year stays a readable audit row).
    const shown = changes.slice(0, 50).map((change) => ({ day: change.day, before: change.beforeMicros, after: change.afterMicros }));
    await recordAudit(tx, {
      orgId: writer.actorOrgId ?? null,
      actorUserId: writer.actorUserId ?? null,
      actorKind: writer.actorKind,
      action: `gpuIndex.${writer.source}`,
      targetType: "GpuIndexFix",
      targetId: days.length === 1 ? days[0] : null,
      detail: {
        inserted,
        updated,
        unchanged,
        fromDay,
        toDay,
        ...(input.fixes.length === 1 ? { priceMicrosPerGpuHour: input.fixes[0].priceMicrosPerGpuHour } : {}),
        before: Object.fromEntries(shown.map((c) => [c.day, c.before])),
        after: Object.fromEntries(shown.map((c) => [c.day, c.after])),
        ...(changes.length > shown.length ? { changesNotListed: changes.length - shown.length } : {}),
        jobId: job?.id ?? null,
      },
    });
    return { inserted, updated, unchanged, jobId: job?.id ?? null };
  });
  let recompute: BatchRecompute | null = null;
  if (counts.inserted + counts.updated > 0) {
    invalidateCoverageHook(db);
    if (input.recompute === "inline") recompute = await recomputeOpenLoans(db, { reason: "index", now: input.now });
  }
  return { inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged, fromDay, toDay, recompute, jobId: counts.jobId };
}

/** An admin enters (or corrects) one day's fix; a change enqueues the recompute job. */
export function saveIndexFix(db: Db, input: { fix: IndexFixInput; actorUserId: string; actorOrgId: string; now: Date }): Promise<IndexWriteResult> {
  return writeIndexFixes(db, { fixes: [{ ...input.fix, label: input.fix.day }], writer: { source: "admin", actorUserId: input.actorUserId, actorOrgId: input.actorOrgId, actorKind: "user" }, now: input.now, recompute: "job" });
}

/** An admin imports a CSV: every line checked, all written or none (errors named by line), then the recompute job. */
export function importIndexCsv(db: Db, input: { csv: string; actorUserId: string; actorOrgId: string; now: Date }): Promise<IndexWriteResult> {
  const parsed = parseIndexCsv(input.csv, input.now);
  if (parsed.issues.length > 0) return Promise.reject(new IndexFixValidationError(parsed.issues));
  return writeIndexFixes(db, { fixes: parsed.fixes, writer: { source: "csv", actorUserId: input.actorUserId, actorOrgId: input.actorOrgId, actorKind: "user" }, now: input.now, recompute: "job" });
}

/** A feed posts fixes (POST /api/v1/index/fixes): labelled fixes[i] in errors; recomputed inline (the answer counts the loans). */
export function ingestIndexFixes(db: Db, input: { fixes: IndexFixInput[]; now: Date }): Promise<IndexWriteResult> {
  return writeIndexFixes(db, { fixes: input.fixes.map((fix, i) => ({ ...fix, label: `fixes[${i}]` })), writer: { source: "api", actorKind: "api" }, now: input.now, recompute: "inline" });
}

// ───────────────────────────── CSV preview ─────────────────────────────

export type IndexCsvChange = "insert" | "update" | "unchanged";
export type IndexCsvPreviewRow = { line: number | null; day: string; priceMicros: bigint; beforeMicros: bigint | null; change: IndexCsvChange };
export type IndexCsvPreview = {
  rows: IndexCsvPreviewRow[];
  counts: Record<IndexCsvChange, number>;
  /** Every problem, by line; any → the import is refused whole. */
  issues: IndexFixIssue[];
  fromDay: string | null;
  toDay: string | null;
};

/**
 * What importing `csv` would do, read only: each valid row as an insert, an update (with the price
 * it replaces) or unchanged, and every problem by line. Import commits exactly this when `issues` is empty.
 */
export async function previewIndexCsv(db: Db, input: { csv: string; now: Date }): Promise<IndexCsvPreview> {
  const parsed = parseIndexCsv(input.csv, input.now);
  const days = [...new Set(parsed.fixes.map((fix) => fix.day))];
  const existing = new Map<string, bigint>();
  // A batch over 10,000 rows is refused anyway; the lookup is chunked so no database meets a huge IN list.
  for (let i = 0; i < days.length; i += 1_000) {
    const rows = await db.gpuIndexFix.findMany({ where: { day: { in: days.slice(i, i + 1_000) } }, select: { day: true, priceMicrosPerGpuHour: true } });
    for (const row of rows) existing.set(row.day, row.priceMicrosPerGpuHour);
  }
  const counts: Record<IndexCsvChange, number> = { insert: 0, update: 0, unchanged: 0 };
  const rows = parsed.fixes.map((fix): IndexCsvPreviewRow => {
    const before = existing.get(fix.day) ?? null;
    const change: IndexCsvChange = before === null ? "insert" : before === fix.priceMicrosPerGpuHour ? "unchanged" : "update";
    counts[change]++;
    return { line: fix.line ?? null, day: fix.day, priceMicros: fix.priceMicrosPerGpuHour, beforeMicros: before, change };
  });
  const sortedDays = [...days].sort();
  return { rows, counts, issues: parsed.issues, fromDay: sortedDays[0] ?? null, toDay: sortedDays.at(-1) ?? null };
}

// ───────────────────────────── the recompute job ─────────────────────────────

export type CoverageMove = { loanId: string; reference: string; fromState: string; state: string; beforeBps: number | null; afterBps: number | null };
export type OpenedAlert = { loanId: string; reference: string; kind: string; coverageBps: number | null };

/** The job's resultJson: what the screen shows after a fix ("Loans whose coverage moved", "Alerts opened"). */
export type IndexRecomputeResult = {
  fromDay: string | null;
  toDay: string | null;
  /** The fix the loans were valued at (µUSD per GPU-hour, as a string), null when there is none. */
  indexMicros: string | null;
  loans: number;
  recorded: number;
  moved: CoverageMove[];
  alertsOpened: OpenedAlert[];
  resolved: number;
  autoFrozen: string[];
  failed: { loanId: string; reference: string | null; error: string }[];
};

const recomputeInput = z.object({ fromDay: z.string().nullable().catch(null), toDay: z.string().nullable().catch(null) }).partial();

/** How often the job writes its progress: every this many loans (and at the end). */
const PROGRESS_EVERY = 10;

/**
 * "index.recompute": every open loan recomputed at the current fix (reason "index"), one short
 * transaction each, progress written as it goes; the loans whose coverage moved (before → after)
 * and the alerts each recompute opened are the result.
 */
export async function runIndexRecomputeJob(context: JobContext): Promise<IndexRecomputeResult> {
  const { db } = context;
  const input = recomputeInput.parse(context.job.input ?? {});
  const now = context.now();
  invalidateCoverageHook(db);
  const total = await db.loan.count({ where: { state: { in: [...OPEN_LOAN_STATES] } } });
  await context.progress(0, total);
  const batch = emptyBatch();
  const moved: CoverageMove[] = [];
  const alertsOpened: OpenedAlert[] = [];
  const failed: IndexRecomputeResult["failed"] = [];
  let done = 0;
  let indexNowMicros: bigint | null = null;
  for await (const ids of openLoanIds(db)) {
    indexNowMicros = await indexFixOn(db, now);
    const before = new Map((await db.loan.findMany({ where: { id: { in: ids } }, select: { id: true, reference: true, lastCoverageBps: true } })).map((row) => [row.id, row]));
    for (const loanId of ids) {
      try {
        const result = await recomputeCoverage(db, { loanId, reason: "index", now, indexNowMicros });
        addToBatch(batch, result);
        const beforeBps = before.get(loanId)?.lastCoverageBps ?? null;
        if (result.isRecorded && beforeBps !== result.coverageBps) {
          moved.push({ loanId, reference: result.reference, fromState: result.fromState, state: result.autoFreeze?.state ?? result.state, beforeBps, afterBps: result.coverageBps });
        }
        for (const kind of result.alerts.opened) alertsOpened.push({ loanId, reference: result.reference, kind, coverageBps: result.coverageBps });
      } catch (error) {
        console.error(`coverage recompute of loan ${loanId} failed`, error);
        failed.push({ loanId, reference: before.get(loanId)?.reference ?? null, error: error instanceof Error ? error.message : String(error) });
      }
      done++;
      if (done % PROGRESS_EVERY === 0) await context.progress(done, Math.max(total, done));
    }
  }
  await context.progress(done, done);
  invalidateCoverageHook(db);
  const references = new Map(moved.map((move) => [move.loanId, move.reference]));
  return {
    fromDay: input.fromDay ?? null,
    toDay: input.toDay ?? null,
    indexMicros: indexNowMicros === null ? null : indexNowMicros.toString(),
    loans: batch.loans + failed.length,
    recorded: batch.recorded,
    moved,
    alertsOpened,
    resolved: batch.resolved,
    autoFrozen: batch.autoFrozen.map((loanId) => references.get(loanId) ?? loanId),
    failed,
  };
}

/** The GPU index's background jobs, registered by kind where the app is assembled (lib/server/jobs/background.ts). */
export const indexJobHandlers: JobHandlers = { [INDEX_RECOMPUTE_JOB]: runIndexRecomputeJob };

/** The latest fixes, newest first (admin page, charts). */
export function listIndexFixes(db: Db, input: { limit?: number; toDay?: string } = {}) {
  const take = Math.min(Math.max(input.limit ?? 60, 1), 2_000);
  return db.gpuIndexFix.findMany({ where: input.toDay ? { day: { lte: input.toDay } } : {}, orderBy: { day: "desc" }, take });
}

export type IndexFixRow = { day: string; priceMicros: bigint; source: string; createdByName: string | null; createdByEmail: string | null; createdAt: Date };

/** The latest fixes, newest first, each with who entered it (the admin screen's table). */
export async function listIndexFixesWithAuthors(db: Db, input: { limit?: number } = {}): Promise<IndexFixRow[]> {
  const fixes = await listIndexFixes(db, { limit: input.limit ?? 1_000 });
  const userIds = [...new Set(fixes.map((fix) => fix.createdById).filter((id): id is string => id !== null))];
  const users = new Map((userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : []).map((user) => [user.id, user]));
  return fixes.map((fix) => {
    const user = fix.createdById ? users.get(fix.createdById) : undefined;
    return { day: fix.day, priceMicros: fix.priceMicrosPerGpuHour, source: fix.source, createdByName: user?.name ?? null, createdByEmail: user?.email ?? null, createdAt: fix.createdAt };
  });
}
