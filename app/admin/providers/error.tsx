"use client";

import { ErrorState } from "@/components/ui/states";

export default function AdminProvidersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Providers</h1>
      <ErrorState title="Providers could not be loaded" message={error.digest ? `Nothing was changed. Reference: ${error.digest}` : "Nothing was changed."} onRetry={reset} />
    </div>
  );
}
