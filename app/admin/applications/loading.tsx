import { Skeleton } from "@/components/ui/skeleton";

/** While the queue loads: its shape, so nothing jumps when it arrives. */
export default function ApplicationsLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="sr-only">Applications</h1>
      <p className="sr-only" role="status">
        Loading the applications…
      </p>
      <div className="space-y-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Skeleton className="h-10 w-72" />
      <Skeleton className="h-80" />
    </div>
  );
}
