import { Skeleton } from "@/components/ui/skeleton";

export default function LedgerHealthLoading() {
  return (
    <div className="space-y-6">
      <div className="flex items-start justify-between gap-3">
        <div className="space-y-2">
          <Skeleton className="h-8 w-48" />
          <Skeleton className="h-4 w-96 max-w-full" />
        </div>
        <Skeleton className="h-9 w-28" />
      </div>
      <Skeleton className="h-40" />
      <Skeleton className="h-72" />
    </div>
  );
}
