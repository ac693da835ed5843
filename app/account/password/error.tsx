"use client";

import { ErrorState } from "@/components/ui/states";

export default function ChangePasswordError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Change your password</h1>
        <ErrorState title="This page could not be loaded" message={error.digest ? `Nothing was changed. Reference: ${error.digest}` : "Nothing was changed."} onRetry={reset} />
      </div>
    </main>
  );
}
