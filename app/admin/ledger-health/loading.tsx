import { PageHeaderSkeleton, PageSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function LedgerHealthLoading() {
  return (
    <PageSkeleton label="Loading ledger health…">
      <PageHeaderSkeleton action="w-28" />
      <Skeleton className="h-40" />
      <Skeleton className="h-72" />
    </PageSkeleton>
  );
}
