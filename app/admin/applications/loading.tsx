import { PageHeaderSkeleton, PageSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

/** While the queue loads: its shape, so nothing jumps when it arrives. */
export default function ApplicationsLoading() {
  return (
    <PageSkeleton label="Loading the applications…" heading="Applications">
      <PageHeaderSkeleton />
      <Skeleton className="h-10 w-72" />
      <Skeleton className="h-80" />
    </PageSkeleton>
  );
}
