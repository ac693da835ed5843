"use client";

import { ErrorState } from "@/components/ui/states";

/** The portfolio could not be read: say so, change nothing, and let the analyst try again (retry asks the server again). */
export default function LenderPortfolioError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Portfolio</h1>
      <ErrorState title="The portfolio could not be loaded" message={digest ? `Nothing was changed. Reference: ${digest}` : "Nothing was changed."} onRetry={() => retry()} />
    </div>
  );
}
