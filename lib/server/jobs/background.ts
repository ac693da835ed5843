import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db/client";
import { sweepExpiredHolds } from "@/lib/server/ledger/ledger";
import { deleteExpiredLimits } from "@/lib/server/limits/database-store";
import { deleteExpiredStoredResponses } from "@/lib/server/routing/stored-responses";
import { LEDGER_HEALTH_TICK_MS, runLeasedLedgerHealthIfDue } from "@/lib/server/ledger/health-schedule";
import { COVERAGE_MONITOR_INTERVAL_MS, describeMonitorReport, runLeasedCoverageMonitor } from "@/lib/server/valuation/monitor";
import { indexJobHandlers } from "@/lib/server/valuation/index-fixes";
import { deliverDueWebhooks } from "@/lib/server/webhooks/deliver";
import { tryAcquireLease } from "./lease";
import { runQueuedJobs, setQueuedJobsKick, type JobHandlers } from "./queue";

/** BackgroundJob handlers by kind (lib/server/jobs/queue.ts): what the queued-job runner can run. */
const JOB_HANDLERS: JobHandlers = { ...indexJobHandlers };
const QUEUED_JOBS_INTERVAL_MS = 2_000;

const SWEEP_INTERVAL_MS = 30_000;
const LIMITS_CLEANUP_INTERVAL_MS = 60_000;
const STORED_RESPONSES_PURGE_INTERVAL_MS = 10 * 60_000;
const WEBHOOK_INTERVAL_MS = 5_000;
const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
let isStarted = false;

/**
 * Started once per server process (instrumentation.ts). Each tick, only the instance holding the
 * job's lease does the work.
 */
export function startBackgroundJobs() {
  if (isStarted || process.env.BLOCKABLE_BACKGROUND_JOBS === "off") return;
  isStarted = true;
  const timer = setInterval(async () => {
    try {
      if (!(await tryAcquireLease(db, "hold-sweeper", instanceId, SWEEP_INTERVAL_MS * 2))) return;
      const voided = await sweepExpiredHolds(db, new Date());
      if (voided > 0) console.log(`hold sweeper: voided ${voided} expired hold(s)`);
    } catch (error) {
      console.error("hold sweeper failed", error);
    }
  }, SWEEP_INTERVAL_MS);
  timer.unref();

  // Rate windows that can no longer count and expired in-flight leases: every minute on the lease
  // holder, so the tables stay the size of the last two minutes' traffic.
  const limitsTimer = setInterval(async () => {
    try {
      if (!(await tryAcquireLease(db, "limits-cleanup", instanceId, LIMITS_CLEANUP_INTERVAL_MS * 2))) return;
      await deleteExpiredLimits(db, new Date());
    } catch (error) {
      console.error("limits clean-up failed", error);
    }
  }, LIMITS_CLEANUP_INTERVAL_MS);
  limitsTimer.unref();

  // Stored Responses past their retention (BLOCKABLE_RESPONSE_RETENTION_DAYS, 30): reads already
  // ignore them, so every ten minutes on the lease holder is enough to keep the table bounded.
  const storedResponsesTimer = setInterval(async () => {
    try {
      if (!(await tryAcquireLease(db, "stored-responses-purge", instanceId, STORED_RESPONSES_PURGE_INTERVAL_MS * 2))) return;
      const purged = await deleteExpiredStoredResponses(db, new Date());
      if (purged > 0) console.log(`stored responses: purged ${purged} expired response(s)`);
    } catch (error) {
      console.error("stored responses purge failed", error);
    }
  }, STORED_RESPONSES_PURGE_INTERVAL_MS);
  storedResponsesTimer.unref();

  // Webhook delivery: every few seconds on the lease holder; a tick still sending skips the next.
  // Each delivery is also claimed with a conditional update (webhooks/deliver.ts), so a lease
  // changing hands mid-tick never sends one twice.
  let isDeliveringWebhooks = false;
  const webhookTimer = setInterval(async () => {
    if (isDeliveringWebhooks) return;
    isDeliveringWebhooks = true;
    try {
      if (!(await tryAcquireLease(db, "webhook-delivery", instanceId, WEBHOOK_INTERVAL_MS * 6))) return;
      const { attempts } = await deliverDueWebhooks(db, { now: new Date() });
      const failed = attempts.filter((a) => a.status !== "DELIVERED").length;
      if (failed > 0) console.log(`webhook delivery: ${attempts.length - failed} delivered, ${failed} failed attempt(s)`);
    } catch (error) {
      console.error("webhook delivery failed", error);
    } finally {
      isDeliveringWebhooks = false;
    }
  }, WEBHOOK_INTERVAL_MS);
  webhookTimer.unref();

  // Coverage monitor: every minute on the lease holder, every open loan accrued, revalued and its
  // alerts, margin call and cure window brought up to date (lib/server/valuation/monitor.ts). A pass
  // still running skips the next tick; each loan's evaluation holds the loan's row lock, so even
  // two instances passing at once open every alert once.
  let isMonitoringCoverage = false;
  const coverageTimer = setInterval(async () => {
    if (isMonitoringCoverage) return;
    isMonitoringCoverage = true;
    try {
      const report = await runLeasedCoverageMonitor(db, { holder: instanceId, now: new Date(), intervalMs: COVERAGE_MONITOR_INTERVAL_MS });
      const line = report ? describeMonitorReport(report) : null;
      if (line) console.log(line);
    } catch (error) {
      console.error("coverage monitor failed", error);
    } finally {
      isMonitoringCoverage = false;
    }
  }, COVERAGE_MONITOR_INTERVAL_MS);
  coverageTimer.unref();

  // Ledger health: every hour on the lease holder, the invariant checks run and their result is kept
  // as a BackgroundJob row for the admin's "Last scheduled run" (lib/server/ledger/health-schedule.ts).
  let isCheckingLedger = false;
  const ledgerHealthTimer = setInterval(async () => {
    if (isCheckingLedger) return;
    isCheckingLedger = true;
    try {
      const run = await runLeasedLedgerHealthIfDue(db, { holder: instanceId });
      if (run && run.status !== "SUCCEEDED") console.error(`ledger health: ${run.error ?? run.status}`);
    } catch (error) {
      console.error("ledger health schedule failed", error);
    } finally {
      isCheckingLedger = false;
    }
  }, LEDGER_HEALTH_TICK_MS);
  ledgerHealthTimer.unref();

  // Queued jobs (an admin's index recompute, …): every ~2 s on every instance, and at once after a
  // request enqueues one here (kickQueuedJobs). No lease: each job is claimed with a conditional
  // update, so instances share the queue and none runs a job twice.
  let isRunningQueuedJobs = false;
  let isKicked = false;
  const runJobs = async () => {
    if (isRunningQueuedJobs) {
      isKicked = true; // a job enqueued mid-pass: look again when this pass ends
      return;
    }
    isRunningQueuedJobs = true;
    try {
      do {
        isKicked = false;
        const runs = await runQueuedJobs(db, JOB_HANDLERS);
        for (const run of runs) if (run.status !== "SUCCEEDED") console.log(`background job ${run.kind} ${run.id}: ${run.status}${run.error ? ` (${run.error})` : ""}`);
      } while (isKicked);
    } catch (error) {
      console.error("queued jobs failed", error);
    } finally {
      isRunningQueuedJobs = false;
    }
  };
  const jobsTimer = setInterval(runJobs, QUEUED_JOBS_INTERVAL_MS);
  jobsTimer.unref();
  setQueuedJobsKick(() => void runJobs());
}
