import { PageHeaderSkeleton, PageSkeleton, TableSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function StartupUsageLoading() {
  return (
    <PageSkeleton label="Loading usage…">
      <PageHeaderSkeleton title="Usage" descriptionClassName="w-[32rem]" />
      <Skeleton className="h-44" />
      <TableSkeleton rowClassName="h-12" toolbar="w-64" />
    </PageSkeleton>
  );
}
