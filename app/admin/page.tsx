import type { Metadata } from "next";
import Link from "next/link";
import { StatCard } from "@/components/dashboard/stat-card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getAdminOverview } from "@/lib/server/queries/admin";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminOverviewPage() {
  await requirePageViewer("org.manage");
  const overview = await getAdminOverview(db);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Platform</h1>
        <p className="text-sm text-muted-foreground">
          Approvals waiting: {overview.pendingApplications}. <Link className="text-primary underline underline-offset-4" href="/admin/ledger-health">Check ledger health</Link>
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-5">
        <StatCard label="Organisations" value={overview.organizations} />
        <StatCard label="Users" value={overview.users} />
        <StatCard label="Applications waiting" value={overview.pendingApplications} testId="pending-applications" />
        <StatCard label="Active loans" value={overview.activeLoans} />
        <StatCard label="Usage events" value={overview.usageEvents.toLocaleString("en-US")} />
      </div>
    </div>
  );
}
