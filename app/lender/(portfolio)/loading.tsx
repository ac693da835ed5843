import { Skeleton } from "@/components/ui/skeleton";

// In the (portfolio) route group so this boundary wraps the portfolio page alone: at app/lender/
// it would wrap every lender page, and a loan page's notFound() (another lender's loan) would
// stream after a 200 status instead of answering 404.

/** The Portfolio page's shape while the book loads: heading, KPIs, chart, table. */
export default function LenderPortfolioLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Portfolio</h1>
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <p className="sr-only" role="status">
        Loading the portfolio…
      </p>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-28" />
        ))}
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-80" />
      <div className="space-y-2 rounded-lg border p-5">
        <Skeleton className="h-9 w-96 max-w-full" />
        {Array.from({ length: 8 }, (_, index) => (
          <Skeleton key={index} className="h-11" />
        ))}
      </div>
    </div>
  );
}
