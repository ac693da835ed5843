import { Skeleton } from "@/components/ui/skeleton";

export default function ChangePasswordLoading() {
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12" aria-busy="true">
      <p className="sr-only" role="status">
        Loading…
      </p>
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-2">
          <Skeleton className="mx-auto h-8 w-56" />
          <Skeleton className="h-4 w-full" />
        </div>
        <Skeleton className="h-80 w-full" />
      </div>
    </main>
  );
}
