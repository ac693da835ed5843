import { Skeleton } from "@/components/ui/skeleton";

// In the (list) route group so this boundary wraps the loans table alone: at app/admin/loans/ it
// would wrap the loan pages too, and their layout's notFound() would stream after a 200 status.

/** The loans page's shape while it loads: heading, figures, table. */
export default function AdminLoansLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Loans</h1>
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <p className="sr-only" role="status">
        Loading the loans…
      </p>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-28" />
        ))}
      </div>
      <div className="space-y-2 rounded-lg border p-5">
        <Skeleton className="h-9 w-[32rem] max-w-full" />
        {Array.from({ length: 8 }, (_, index) => (
          <Skeleton key={index} className="h-11" />
        ))}
      </div>
    </div>
  );
}
