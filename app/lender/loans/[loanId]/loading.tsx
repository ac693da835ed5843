import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

/** While the loan loads: the page's shape, so nothing jumps when it arrives. */
export default function LoanLoading() {
  return (
    <PageSkeleton label="Loading the loan…" heading="Loan">
      <PageHeaderSkeleton back titleClassName="w-56" descriptionClassName="w-80" />
      <StatCardsSkeleton count={8} cardClassName="h-28" />
      <Skeleton className="h-24" />
      <ChartSkeleton />
      <ChartSkeleton count={2} />
      <ChartSkeleton />
      <Skeleton className="h-96" />
      <Skeleton className="h-64" />
    </PageSkeleton>
  );
}
