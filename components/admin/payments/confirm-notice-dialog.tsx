"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { confirmNoticeAction } from "@/app/admin/payments/confirm-notice-action";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatMicros } from "@/lib/domain/money";
import { FigureList } from "./figure-list";
import type { AdminNoticeRow } from "./format";

/**
 * "Confirm" on a pending repayment notice: the dialog shows what recording it will do — the split
 * the engine applies (interest accrued to now first, then principal) and the debt after, computed
 * on the server by the same rules as the payment — before anything is written.
 */
export function ConfirmNoticeDialog({ notice }: { notice: AdminNoticeRow }) {
  const router = useRouter();
  const preview = notice.preview;
  const canConfirm = !!preview && preview.isLoanOpen && !preview.isOverDebt;
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm">
          Confirm
        </Button>
      }
      title={`Confirm ${notice.startupName}'s payment?`}
      description={
        <>
          The money arrived: {formatMicros(BigInt(notice.amountMicros))} is recorded on loan {notice.loanReference} (sent {notice.sentOn}, reference {notice.reference}) and
          applied as every payment is: interest accrued to now first, then principal.
        </>
      }
      confirmLabel="Confirm payment"
      pendingLabel="Recording…"
      confirmVariant="default"
      onConfirm={async () => {
        const result = await confirmNoticeAction({ noticeId: notice.id });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        const d = result.data;
        toast.success(
          d.isReplay
            ? `This payment was already recorded on ${notice.loanReference}.`
            : `Recorded ${formatMicros(BigInt(d.amountMicros))} on ${notice.loanReference}: ${formatMicros(BigInt(d.interestMicros))} interest, ${formatMicros(BigInt(d.principalMicros))} principal.${d.debtAfterMicros ? ` Debt now ${formatMicros(BigInt(d.debtAfterMicros))}.` : ""}`,
        );
        router.refresh();
        return true;
      }}
    >
      {preview ? (
        <FigureList
          rows={[
            { label: "Debt now (principal + interest to today)", value: <Money micros={preview.debtMicros} /> },
            { label: "Amount received", value: <Money micros={notice.amountMicros} /> },
            { label: "→ pays accrued interest", value: preview.interestPaidMicros === null ? "—" : <Money micros={preview.interestPaidMicros} /> },
            { label: "→ pays principal", value: preview.principalPaidMicros === null ? "—" : <Money micros={preview.principalPaidMicros} /> },
            { label: "Debt after", value: preview.debtAfterMicros === null ? "—" : <Money micros={preview.debtAfterMicros} />, isTotal: true },
          ]}
        />
      ) : null}
      {!canConfirm ? (
        <p role="alert" className="text-sm text-destructive">
          {preview && !preview.isLoanOpen
            ? `Loan ${notice.loanReference} is ${notice.loanState.replace(/_/g, " ").toLowerCase()}: there is nothing to repay. Refuse the notice instead.`
            : "This notice is more than the loan owes now, so it cannot be recorded. Refuse it with the reason, and record the amount actually received with “Record payment”."}
        </p>
      ) : (
        <p className="text-xs text-muted-foreground">Figures as of {preview!.asOf.slice(0, 16).replace("T", " ")} UTC. Interest accrues daily: confirmed on another day, the split moves by that day&apos;s interest.</p>
      )}
    </ConfirmDialog>
  );
}
