import { PageHeaderSkeleton, PageSkeleton, TableSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function WebhookDeliveriesLoading() {
  return (
    <PageSkeleton label="Loading deliveries…">
      <PageHeaderSkeleton back description={false} titleClassName="w-64" />
      <Skeleton className="h-20" />
      <TableSkeleton rowClassName="h-8" />
    </PageSkeleton>
  );
}
