import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

/** While the application loads: the page's shape, so nothing jumps when it arrives. */
export default function ApplicationLoading() {
  return (
    <PageSkeleton label="Loading the application…" heading="Application">
      <PageHeaderSkeleton back description={false} titleClassName="w-72" />
      <Skeleton className="h-32" />
      <Skeleton className="h-[36rem]" />
      <StatCardsSkeleton count={6} columns="sm:grid-cols-2 xl:grid-cols-3" />
      <ChartSkeleton />
    </PageSkeleton>
  );
}
