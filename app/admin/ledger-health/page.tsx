import type { Metadata } from "next";
import { LedgerHealthScreen } from "@/components/admin/ledger-health/ledger-health-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findLastScheduledLedgerHealthRun, LEDGER_HEALTH_INTERVAL_MS } from "@/lib/server/ledger/health-schedule";
import { runLedgerChecksAction } from "./run-checks-action";

export const metadata: Metadata = { title: "Ledger health" };
export const dynamic = "force-dynamic";

export default async function LedgerHealthPage() {
  await requirePageViewer("ledger.health");
  const lastRun = await findLastScheduledLedgerHealthRun(db);
  return <LedgerHealthScreen lastRun={lastRun} runChecks={runLedgerChecksAction} intervalMinutes={LEDGER_HEALTH_INTERVAL_MS / 60_000} />;
}
