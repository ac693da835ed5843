"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

/** A load that failed (the database away, a bug): say so and offer Retry, which asks the server again. */
export default function AdminLoanError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  return (
    <div className="space-y-6">
      <Link href="/admin/loans" className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
        Back to loans
      </Link>
      <h1 className="text-2xl font-semibold tracking-tight">This loan could not be loaded</h1>
      <ErrorState
        title="Something went wrong while loading the loan"
        message={isRetrying ? "Trying again…" : error.digest ? `Try again in a moment. (Reference ${error.digest})` : "Try again in a moment."}
        onRetry={isRetrying ? undefined : () => startTransition(() => (router.refresh(), reset()))}
      />
    </div>
  );
}
