import { AlertsTableSkeleton } from "@/components/lender/alerts/alerts-inbox";
import { PageHeaderSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

// No PageSkeleton: AlertsTableSkeleton is the page's one loading status.
export default function LenderAlertsLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <PageHeaderSkeleton titleClassName="w-32" />
      <StatCardsSkeleton columns="grid-cols-2 lg:grid-cols-4" />
      <Skeleton className="h-9 w-64" />
      <AlertsTableSkeleton />
    </div>
  );
}
