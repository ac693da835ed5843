import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db/client";
import { sweepExpiredHolds } from "@/lib/server/ledger/ledger";
import { tryAcquireLease } from "./lease";

const SWEEP_INTERVAL_MS = 30_000;
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
}
