"use client";

import { startTransition } from "react";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";

export default function AdminPaymentsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Payments</h1>
      <ErrorState
        title="The payments could not be loaded"
        message={error.digest ? `Nothing was changed. Reference: ${error.digest}` : "Nothing was changed."}
        // reset() alone re-renders what the server already sent; refresh asks the server again.
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
