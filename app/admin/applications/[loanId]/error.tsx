"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

/** The application failed to load: say so and offer Retry. */
export default function ApplicationError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="space-y-6">
      <Link href="/admin/applications" className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
        Back to applications
      </Link>
      <h1 className="text-2xl font-semibold tracking-tight">This application could not be loaded</h1>
      <ErrorState
        title="Something went wrong while loading the application"
        message={isRetrying ? "Trying again…" : error.digest ? `Try again in a moment. (Reference ${error.digest})` : "Try again in a moment."}
        onRetry={isRetrying ? undefined : retry}
      />
    </div>
  );
}
