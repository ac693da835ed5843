"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

/**
 * A load that failed (the database away, a bug): say so and offer Retry. Retry asks the server
 * for the page again (router.refresh) and then clears the boundary, in one transition, so it
 * shows fresh data rather than re-rendering what failed.
 */
export default function LoanError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="space-y-6">
      <Link href="/lender" className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
        Back to portfolio
      </Link>
      <h1 className="text-2xl font-semibold tracking-tight">This loan could not be loaded</h1>
      <ErrorState
        title="Something went wrong while loading the loan"
        message={isRetrying ? "Trying again…" : error.digest ? `Try again in a moment. (Reference ${error.digest})` : "Try again in a moment."}
        onRetry={isRetrying ? undefined : retry}
      />
    </div>
  );
}
