import type { Metadata } from "next";
import { GpuIndexScreen } from "@/components/admin/gpu-index/gpu-index-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findLatestJob } from "@/lib/server/jobs/queue";
import { INDEX_RECOMPUTE_JOB, listIndexFixesWithAuthors } from "@/lib/server/valuation/index-fixes";

export const metadata: Metadata = { title: "GPU index" };
export const dynamic = "force-dynamic";

/** How many fixes the screen loads: about five years of daily fixes. */
const FIXES_SHOWN = 2_000;

export default async function AdminGpuIndexPage() {
  await requirePageViewer("gpuIndex.manage");
  const [fixes, lastJob] = await Promise.all([listIndexFixesWithAuthors(db, { limit: FIXES_SHOWN }), findLatestJob(db, INDEX_RECOMPUTE_JOB)]);
  return (
    <GpuIndexScreen
      fixes={fixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicros.toString(), source: fix.source, createdByName: fix.createdByName, createdByEmail: fix.createdByEmail, createdAt: fix.createdAt.toISOString() }))}
      lastJob={lastJob}
      todayUtc={new Date().toISOString().slice(0, 10)}
    />
  );
}
