import "@/lib/server/server-only";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { indexFixOn } from "@/lib/server/loans/figures";
import { recomputeCoverage, type RecomputeCoverageResult } from "./coverage";

// Recomputing many loans: every open loan after an index fix, and each monitor pass. Loans are
// read in pages of ids and recomputed one transaction each (a short one: a long transaction over
// every loan would hold SQLite's single write lock, and the routing hot path shares it). One
// loan's failure is reported and does not stop the others.

export type BatchRecompute = {
  loans: number;
  recorded: number;
  transitions: { loanId: string; from: string; to: string }[];
  opened: number;
  resolved: number;
  cureExpired: number;
  autoFrozen: string[];
  failed: { loanId: string; error: string }[];
};

export const RECOMPUTE_PAGE_SIZE = 50;

export function emptyBatch(): BatchRecompute {
  return { loans: 0, recorded: 0, transitions: [], opened: 0, resolved: 0, cureExpired: 0, autoFrozen: [], failed: [] };
}

export function addToBatch(batch: BatchRecompute, result: RecomputeCoverageResult) {
  batch.loans++;
  if (result.isRecorded) batch.recorded++;
  if (result.fromState !== result.state) batch.transitions.push({ loanId: result.loanId, from: result.fromState, to: result.state });
  if (result.autoFreeze) batch.transitions.push({ loanId: result.loanId, from: result.state, to: result.autoFreeze.state });
  batch.opened += result.alerts.opened.length;
  batch.resolved += result.alerts.resolved.length;
  if (result.isCureExpired) batch.cureExpired++;
  if (result.autoFreeze) batch.autoFrozen.push(result.loanId);
}

/** Ids of open loans, in id order, a page at a time. */
export async function* openLoanIds(db: Db, pageSize = RECOMPUTE_PAGE_SIZE): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const page: { id: string }[] = await db.loan.findMany({
      where: { state: { in: [...OPEN_LOAN_STATES] }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (page.length === 0) return;
    yield page.map((row) => row.id);
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/** Recomputes every open loan at `now` (the index fix read once per page). */
export async function recomputeOpenLoans(db: Db, input: { reason: string; now: Date; accrue?: boolean; pageSize?: number }): Promise<BatchRecompute> {
  const batch = emptyBatch();
  for await (const ids of openLoanIds(db, input.pageSize)) {
    const indexNowMicros = await indexFixOn(db, input.now);
    for (const loanId of ids) {
      try {
        addToBatch(batch, await recomputeCoverage(db, { loanId, reason: input.reason, now: input.now, accrue: input.accrue, indexNowMicros }));
      } catch (error) {
        console.error(`coverage recompute of loan ${loanId} failed`, error);
        batch.failed.push({ loanId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return batch;
}
