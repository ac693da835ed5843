import { AlertsTableSkeleton } from "@/components/lender/alerts/alerts-inbox";
import { Skeleton } from "@/components/ui/skeleton";

export default function LenderAlertsLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-8 w-32" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-9 w-64" />
      <AlertsTableSkeleton />
    </div>
  );
}
