import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { tryAcquireLease } from "@/lib/server/jobs/lease";
import { checkLedgerHealth, summarizeLedgerHealth, type LedgerHealthSummary } from "./health";

// The ledger health checks, run every hour by whichever instance holds the lease, each run kept as
// a BackgroundJob row (kind "ledger.health") for the admin page's "Last scheduled run":
// SUCCEEDED when every check passed, FAILED when one did (error says which) or the run itself
// broke (error says why); resultJson holds the report whenever the checks ran.

export const LEDGER_HEALTH_JOB_KIND = "ledger.health";
export const LEDGER_HEALTH_INTERVAL_MS = 60 * 60_000;
/** How often an instance asks whether a run is due (one lease write and one read). */
export const LEDGER_HEALTH_TICK_MS = 60_000;
const LEASE_NAME = "ledger-health";
/** Marks the rows of this schedule among other ledger.health jobs. */
const SCHEDULED_INPUT_JSON = JSON.stringify({ trigger: "scheduled" });
const MAX_ERROR_CHARS = 1_000;

export type LedgerHealthRunDto = {
  id: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** The report, when the checks ran to the end. */
  summary: LedgerHealthSummary | null;
};

function failedChecksMessage(summary: LedgerHealthSummary): string {
  const failed = summary.checks.filter((check) => !check.isPassing);
  return `${failed.length} of ${summary.checks.length} checks failed: ${failed.map((check) => `${check.title} (${check.violationCount})`).join("; ")}`;
}

/** Runs the checks once and stores the run; returns it as the page shows it. */
export async function runScheduledLedgerHealth(db: Db, options: { now?: () => Date } = {}): Promise<LedgerHealthRunDto> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const job = await db.backgroundJob.create({
    data: { kind: LEDGER_HEALTH_JOB_KIND, status: "RUNNING", inputJson: SCHEDULED_INPUT_JSON, createdAt: startedAt, startedAt },
  });
  let data: { status: string; resultJson: string | null; error: string | null; progressDone: number; progressTotal: number };
  try {
    const summary = summarizeLedgerHealth(await checkLedgerHealth(db));
    data = {
      status: summary.isHealthy ? "SUCCEEDED" : "FAILED",
      resultJson: JSON.stringify(summary),
      error: summary.isHealthy ? null : failedChecksMessage(summary),
      progressDone: summary.checks.length,
      progressTotal: summary.checks.length,
    };
  } catch (error) {
    console.error("scheduled ledger health check failed", error);
    data = { status: "FAILED", resultJson: null, error: `The checks could not run: ${(error as Error)?.message ?? String(error)}`.slice(0, MAX_ERROR_CHARS), progressDone: 0, progressTotal: 0 };
  }
  const finished = await db.backgroundJob.update({ where: { id: job.id }, data: { ...data, finishedAt: now() } });
  return toRunDto(finished);
}

/**
 * One tick of the schedule: on the lease holder, runs the checks when the last scheduled run began
 * an interval ago or more (or never ran), so the hour holds across restarts and instances. Returns
 * the run, or null when it was not this instance's turn or not yet due.
 */
export async function runLeasedLedgerHealthIfDue(db: Db, input: { holder: string; now?: () => Date; intervalMs?: number }): Promise<LedgerHealthRunDto | null> {
  const now = input.now ?? (() => new Date());
  const intervalMs = input.intervalMs ?? LEDGER_HEALTH_INTERVAL_MS;
  if (!(await tryAcquireLease(db, LEASE_NAME, input.holder, LEDGER_HEALTH_TICK_MS * 5, now()))) return null;
  const last = await db.backgroundJob.findFirst({
    where: { kind: LEDGER_HEALTH_JOB_KIND, inputJson: SCHEDULED_INPUT_JSON },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { createdAt: true },
  });
  if (last && now().getTime() - last.createdAt.getTime() < intervalMs) return null;
  return runScheduledLedgerHealth(db, { now });
}

/** The latest scheduled run (finished or still running), or null before the first. */
export async function findLastScheduledLedgerHealthRun(db: Db): Promise<LedgerHealthRunDto | null> {
  const row = await db.backgroundJob.findFirst({ where: { kind: LEDGER_HEALTH_JOB_KIND, inputJson: SCHEDULED_INPUT_JSON }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return row ? toRunDto(row) : null;
}

function toRunDto(row: { id: string; status: string; startedAt: Date | null; finishedAt: Date | null; error: string | null; resultJson: string | null }): LedgerHealthRunDto {
  let summary: LedgerHealthSummary | null = null;
  if (row.resultJson) {
    try {
      summary = JSON.parse(row.resultJson) as LedgerHealthSummary;
    } catch {
      summary = null; // a result that is not JSON shows as "no report", with the row's error
    }
  }
  return { id: row.id, status: row.status, startedAt: row.startedAt?.toISOString() ?? null, finishedAt: row.finishedAt?.toISOString() ?? null, error: row.error, summary };
}
