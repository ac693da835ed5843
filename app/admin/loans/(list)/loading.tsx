import { PageHeaderSkeleton, PageSkeleton, StatCardsSkeleton, TableSkeleton } from "@/components/ui/route-states";

// In the (list) route group so this boundary wraps the loans table alone: at app/admin/loans/ it
// would wrap the loan pages too, and their layout's notFound() would stream after a 200 status.

/** The loans page's shape while it loads: heading, figures, table. */
export default function AdminLoansLoading() {
  return (
    <PageSkeleton label="Loading the loans…">
      <PageHeaderSkeleton title="Loans" />
      <StatCardsSkeleton cardClassName="h-28" />
      <TableSkeleton toolbar="w-[32rem]" />
    </PageSkeleton>
  );
}
