import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";
import { recomputeOpenLoans, type BatchRecompute } from "./batch";
import { invalidateCoverageHook } from "./hot-path";
import { describeIssues, indexBatchIssues, parseIndexCsv, type IndexFixInput, type IndexFixIssue, type LabelledFix } from "./index-csv";

// The GPU price index (DESIGN.md, "Valuation and coverage"): daily fixes of the H100 price in µUSD
// per GPU-hour, one per UTC day. Admins enter one or import a CSV; a feed posts them to
// POST /api/v1/index/fixes. Every batch is validated whole and written in one transaction (all or
// nothing), and then every open loan's coverage is recomputed at the new index.

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
  /** The coverage recompute that followed (null when nothing changed). */
  recompute: BatchRecompute | null;
};

export type IndexWriter = { source: IndexFixSource; actorUserId?: string | null; actorOrgId?: string | null; actorKind: "user" | "api" | "system" };

/**
 * Validates the whole batch (every row's problem reported at once, nothing written if any), then
 * upserts it in one transaction: new days inserted, changed prices updated, the same price left
 * alone. Anything written → every open loan recomputed (reason "index"), the hot-path caches dropped.
 */
export async function writeIndexFixes(db: Db, input: { fixes: LabelledFix[]; writer: IndexWriter; now: Date; recompute?: boolean }): Promise<IndexWriteResult> {
  const issues = indexBatchIssues(input.fixes, input.now);
  if (issues.length > 0) throw new IndexFixValidationError(issues);
  const days = input.fixes.map((fix) => fix.day).sort();
  const { writer } = input;
  const counts = await db.$transaction(async (tx) => {
    const existing = new Map((await tx.gpuIndexFix.findMany({ where: { day: { in: days } }, select: { day: true, priceMicrosPerGpuHour: true } })).map((row) => [row.day, row.priceMicrosPerGpuHour]));
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    for (const fix of input.fixes) {
      const before = existing.get(fix.day);
      if (before === undefined) {
        await tx.gpuIndexFix.create({ data: { day: fix.day, priceMicrosPerGpuHour: fix.priceMicrosPerGpuHour, source: writer.source, createdById: writer.actorUserId ?? null } });
        inserted++;
      } else if (before !== fix.priceMicrosPerGpuHour) {
        await tx.gpuIndexFix.update({ where: { day: fix.day }, data: { priceMicrosPerGpuHour: fix.priceMicrosPerGpuHour, source: writer.source, createdById: writer.actorUserId ?? null } });
        updated++;
      } else {
        unchanged++;
      }
    }
    await recordAudit(tx, {
      orgId: writer.actorOrgId ?? null,
      actorUserId: writer.actorUserId ?? null,
      actorKind: writer.actorKind,
      action: `gpuIndex.${writer.source}`,
      targetType: "GpuIndexFix",
      targetId: days.length === 1 ? days[0] : null,
      detail: { inserted, updated, unchanged, fromDay: days[0], toDay: days[days.length - 1], ...(input.fixes.length === 1 ? { priceMicrosPerGpuHour: input.fixes[0].priceMicrosPerGpuHour } : {}) },
    });
    return { inserted, updated, unchanged };
  });
  let recompute: BatchRecompute | null = null;
  if (counts.inserted + counts.updated > 0) {
    invalidateCoverageHook(db);
    if (input.recompute !== false) recompute = await recomputeOpenLoans(db, { reason: "index", now: input.now });
  }
  return { ...counts, fromDay: days[0], toDay: days[days.length - 1], recompute };
}

/** An admin enters (or corrects) one day's fix. */
export function saveIndexFix(db: Db, input: { fix: IndexFixInput; actorUserId: string; actorOrgId: string; now: Date }): Promise<IndexWriteResult> {
  return writeIndexFixes(db, { fixes: [{ ...input.fix, label: input.fix.day }], writer: { source: "admin", actorUserId: input.actorUserId, actorOrgId: input.actorOrgId, actorKind: "user" }, now: input.now });
}

/** An admin imports a CSV: every row checked, all written or none, errors named by row. */
export function importIndexCsv(db: Db, input: { csv: string; actorUserId: string; actorOrgId: string; now: Date }): Promise<IndexWriteResult> {
  const parsed = parseIndexCsv(input.csv, input.now);
  if (parsed.issues.length > 0) return Promise.reject(new IndexFixValidationError(parsed.issues));
  return writeIndexFixes(db, { fixes: parsed.fixes, writer: { source: "csv", actorUserId: input.actorUserId, actorOrgId: input.actorOrgId, actorKind: "user" }, now: input.now });
}

/** A feed posts fixes (POST /api/v1/index/fixes): labelled fixes[i] in errors. */
export function ingestIndexFixes(db: Db, input: { fixes: IndexFixInput[]; now: Date }): Promise<IndexWriteResult> {
  return writeIndexFixes(db, { fixes: input.fixes.map((fix, i) => ({ ...fix, label: `fixes[${i}]` })), writer: { source: "api", actorKind: "api" }, now: input.now });
}

/** The latest fixes, newest first (admin page, charts). */
export function listIndexFixes(db: Db, input: { limit?: number; toDay?: string } = {}) {
  const take = Math.min(Math.max(input.limit ?? 60, 1), 1_000);
  return db.gpuIndexFix.findMany({ where: input.toDay ? { day: { lte: input.toDay } } : {}, orderBy: { day: "desc" }, take });
}
