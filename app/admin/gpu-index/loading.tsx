import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function AdminGpuIndexLoading() {
  return (
    <PageSkeleton label="Loading the GPU index…">
      <PageHeaderSkeleton titleClassName="w-40" />
      <StatCardsSkeleton count={3} columns="sm:grid-cols-3" />
      <ChartSkeleton />
      <ChartSkeleton count={2} className="h-48" />
      <Skeleton className="h-64" />
    </PageSkeleton>
  );
}
