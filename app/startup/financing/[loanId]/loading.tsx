import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, SectionSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";

/** While the loan loads: the page's shape, so nothing jumps when it arrives. */
export default function StartupLoanLoading() {
  return (
    <PageSkeleton label="Loading the loan…" heading="Loan">
      <PageHeaderSkeleton back titleClassName="w-40" descriptionClassName="w-96" />
      <StatCardsSkeleton count={4} cardClassName="h-28" />
      <ChartSkeleton />
      <div className="grid gap-4 xl:grid-cols-2">
        <SectionSkeleton action />
        <SectionSkeleton action />
      </div>
      <SectionSkeleton bodyClassName="h-72" />
    </PageSkeleton>
  );
}
