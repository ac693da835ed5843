// Another app instance, for monitor.db.test.ts: runs coverage monitor passes against DATABASE_URL in
// its own process (own connections, own event loop — on SQLite a second instance can only be another
// process: a waiting writer blocks its whole thread) and prints one JSON line per pass.
//   DATABASE_URL=… MONITOR_NOW=2026-03-01T12:00:00Z MONITOR_PASSES=3 node --conditions=react-server --import tsx monitor-instance.fixture.ts
import { createDb } from "@/lib/server/db/client";
import { runCoverageMonitor } from "./monitor";

const url = process.env.DATABASE_URL;
const now = new Date(process.env.MONITOR_NOW ?? "");
const passes = Number(process.env.MONITOR_PASSES ?? "1");
if (!url || Number.isNaN(now.getTime())) throw new Error("DATABASE_URL and MONITOR_NOW are required");

const { db } = createDb(url);
try {
  for (let pass = 0; pass < passes; pass++) {
    const report = await runCoverageMonitor(db, now);
    process.stdout.write(`${JSON.stringify({ loans: report.loans, opened: report.opened, failed: report.failed })}\n`);
  }
} finally {
  await db.$disconnect();
}
