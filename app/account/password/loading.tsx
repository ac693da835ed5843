import { PageHeaderSkeleton, PageSkeleton } from "@/components/ui/route-states";
import { Skeleton } from "@/components/ui/skeleton";

export default function ChangePasswordLoading() {
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <PageSkeleton label="Loading…" className="w-full max-w-sm">
        <PageHeaderSkeleton titleClassName="mx-auto w-56" descriptionClassName="w-full" />
        <Skeleton className="h-80" />
      </PageSkeleton>
    </main>
  );
}
