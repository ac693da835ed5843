"use client";

import { startTransition } from "react";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

export default function AuditLogError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <ErrorState
        title="The audit log could not be loaded"
        message={error.digest ? `Nothing was changed. Reference: ${error.digest}` : "Nothing was changed."}
        onRetry={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      />
    </div>
  );
}
