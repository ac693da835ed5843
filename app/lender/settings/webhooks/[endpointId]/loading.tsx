import { Skeleton } from "@/components/ui/skeleton";

export default function WebhookDeliveriesLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading deliveries…
      </p>
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-20 w-full" />
      <div className="space-y-2 rounded-lg border bg-card p-4">
        {Array.from({ length: 8 }, (_, row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    </div>
  );
}
