"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { withdrawApplicationAction } from "@/app/startup/financing/withdraw-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatMicros } from "@/lib/domain/money";

/** "Withdraw" a submitted application, after a dialog that says what happens. */
export function WithdrawApplicationButton({ loanId, reference, principalMicros }: { loanId: string; reference: string; principalMicros: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline" size="sm">
          Withdraw
        </Button>
      }
      title={`Withdraw ${reference}?`}
      description={`The application for ${formatMicros(BigInt(principalMicros))} leaves the approval queue for good and nothing is pledged. You can apply again afterwards.`}
      confirmLabel="Withdraw application"
      pendingLabel="Withdrawing…"
      onConfirm={async () => {
        const result = await withdrawApplicationAction({ loanId });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`${reference} is withdrawn.`);
        router.refresh();
        return true;
      }}
    />
  );
}
