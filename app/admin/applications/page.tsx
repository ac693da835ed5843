import type { Metadata } from "next";
import { ApplicationsTable } from "@/components/admin/applications/applications-table";
import { ThresholdForm } from "@/components/admin/applications/threshold-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listApplicationQueue } from "@/lib/server/queries/admin-applications";

export const metadata: Metadata = { title: "Applications" };

/** The approval queue: submitted applications, oldest first, and the four-eyes threshold. */
export default async function AdminApplicationsPage() {
  await requirePageViewer("application.decide");
  const queue = await listApplicationQueue(db);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Applications</h1>
        <p className="text-sm text-muted-foreground">Financing applications waiting for a decision, oldest first. Open one to see the borrower&apos;s burn and balances, preview the terms, and approve or reject it.</p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Waiting for a decision</CardTitle>
          <CardDescription>
            {queue.rows.length === 0 ? "Nothing waiting." : `${queue.rows.length} application${queue.rows.length === 1 ? "" : "s"} submitted.`} Amounts in USD; multiplier = credits issued per dollar lent.
          </CardDescription>
          <ThresholdForm thresholdMicros={queue.thresholdMicros} isDefault={queue.thresholdIsDefault} />
        </CardHeader>
        <CardContent>
          {queue.rows.length === 0 ? (
            <EmptyState title="No applications waiting">When a startup applies for financing, its application appears here for an admin to approve or reject.</EmptyState>
          ) : (
            <ApplicationsTable rows={queue.rows} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
