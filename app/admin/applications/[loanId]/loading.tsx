import { Skeleton } from "@/components/ui/skeleton";

/** While the application loads: the page's shape, so nothing jumps when it arrives. */
export default function ApplicationLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="sr-only">Application</h1>
      <p className="sr-only" role="status">
        Loading the application…
      </p>
      <Skeleton className="h-4 w-36" />
      <Skeleton className="h-8 w-72" />
      <Skeleton className="h-32" />
      <Skeleton className="h-[36rem]" />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-80" />
    </div>
  );
}
