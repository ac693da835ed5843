import { Skeleton } from "@/components/ui/skeleton";

/** While the loan loads: the page's shape, so nothing jumps when it arrives. */
export default function LoanLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="sr-only">Loan</h1>
      <p className="sr-only" role="status">
        Loading the loan…
      </p>
      <Skeleton className="h-4 w-36" />
      <div className="space-y-2">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-4 w-80" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-28" />
        ))}
      </div>
      <Skeleton className="h-24" />
      <Skeleton className="h-80" />
      <div className="grid gap-4 xl:grid-cols-2">
        <Skeleton className="h-80" />
        <Skeleton className="h-80" />
      </div>
      <Skeleton className="h-80" />
      <Skeleton className="h-96" />
      <Skeleton className="h-64" />
    </div>
  );
}
