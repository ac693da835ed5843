import { ChartSkeleton, PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton, TableSkeleton } from "@/components/ui/route-states";

// In the (portfolio) route group so this boundary wraps the portfolio page alone: at app/lender/
// it would wrap every lender page, and a loan page's notFound() (another lender's loan) would
// stream after a 200 status instead of answering 404.

/** The Portfolio page's shape while the book loads: heading, KPIs, chart, table. */
export default function LenderPortfolioLoading() {
  return (
    <PageSkeleton label="Loading the portfolio…">
      <PageHeaderSkeleton title="Portfolio" descriptionClassName="w-80" />
      <StatCardsSkeleton cardClassName="h-28" />
      <StatCardsSkeleton count={5} columns="sm:grid-cols-2 lg:grid-cols-5" />
      <ChartSkeleton />
      <TableSkeleton toolbar="w-96" />
    </PageSkeleton>
  );
}
