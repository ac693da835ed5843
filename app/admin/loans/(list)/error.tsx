"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

/** The loans could not be loaded (the database away, a bug): say so and offer Retry. */
export default function AdminLoansError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Loans</h1>
      <ErrorState
        title="The loans could not be loaded"
        message={isRetrying ? "Trying again…" : error.digest ? `Try again in a moment. (Reference ${error.digest})` : "Try again in a moment."}
        onRetry={isRetrying ? undefined : () => startTransition(() => (router.refresh(), reset()))}
      />
    </div>
  );
}
