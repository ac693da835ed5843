"use client";

import { confirmNoticeAction } from "@/app/admin/payments/confirm-notice-action";
import { Money } from "@/components/money";
import { formatMicros } from "@/lib/domain/money";
import { ConfirmDecisionDialog } from "./decision-parts";
import { FigureList } from "./figure-list";
import type { AdminNoticeRow } from "./format";

/**
 * "Confirm" on a pending repayment notice: the dialog shows what recording it will do — the split
 * the engine applies (interest accrued to now first, then principal) and the debt after, computed
 * on the server by the same rules as the payment — before anything is written.
 */
export function ConfirmNoticeDialog({ notice }: { notice: AdminNoticeRow }) {
  const preview = notice.preview;
  const canConfirm = !!preview && preview.isLoanOpen && !preview.isOverDebt;
  return (
    <ConfirmDecisionDialog
      title={`Confirm ${notice.startupName}'s payment?`}
      description={
        <>
          The money arrived: {formatMicros(BigInt(notice.amountMicros))} is recorded on loan {notice.loanReference} (sent {notice.sentOn}, reference {notice.reference}) and
          applied as every payment is: interest accrued to now first, then principal.
        </>
      }
      confirmLabel="Confirm payment"
      pendingLabel="Recording…"
      confirm={() => confirmNoticeAction({ noticeId: notice.id })}
      successText={(d) =>
        d.isReplay
          ? `This payment was already recorded on ${notice.loanReference}.`
          : `Recorded ${formatMicros(BigInt(d.amountMicros))} on ${notice.loanReference}: ${formatMicros(BigInt(d.interestMicros))} interest, ${formatMicros(BigInt(d.principalMicros))} principal.${d.debtAfterMicros ? ` Debt now ${formatMicros(BigInt(d.debtAfterMicros))}.` : ""}`
      }
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
    </ConfirmDecisionDialog>
  );
}
