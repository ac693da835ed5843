"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

/** The queue failed to load: say so and offer Retry (fresh data from the server, then clear the boundary). */
export default function ApplicationsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Applications</h1>
      <ErrorState
        title="The applications could not be loaded"
        message={isRetrying ? "Trying again…" : error.digest ? `Try again in a moment. (Reference ${error.digest})` : "Try again in a moment."}
        onRetry={isRetrying ? undefined : retry}
      />
    </div>
  );
}
