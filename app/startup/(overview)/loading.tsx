import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton, TableSkeleton } from "@/components/ui/route-states";

export default function StartupOverviewLoading() {
  return (
    <PageSkeleton label="Loading the overview…">
      <PageHeaderSkeleton titleClassName="w-48" />
      <StatCardsSkeleton count={5} columns="sm:grid-cols-2 xl:grid-cols-5" />
      <StatCardsSkeleton count={4} />
      <ChartSkeleton className="h-96" />
      <div className="grid gap-6 xl:grid-cols-2">
        <TableSkeleton rows={5} toolbar="w-72" />
        <TableSkeleton rows={5} toolbar="w-72" />
      </div>
    </PageSkeleton>
  );
}
