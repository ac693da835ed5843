import { PageHeaderSkeleton, PageSkeleton, TableSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function AuditLogLoading() {
  return (
    <PageSkeleton label="Loading the audit log…">
      <PageHeaderSkeleton titleClassName="w-36" descriptionClassName="w-[32rem]" />
      <Skeleton className="h-36" />
      <TableSkeleton rowClassName="h-12" />
    </PageSkeleton>
  );
}
