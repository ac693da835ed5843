"use client";

import { useState } from "react";
import { toast } from "sonner";
import { unfreezeLoanAction } from "@/app/lender/loans/[loanId]/unfreeze-action";
import { Bps, Money } from "@/components/money";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import { AmountField } from "./amount-field";
import { CollateralDialog, type ConfirmOutcome } from "./collateral-dialog";
import type { CommittedAction } from "./freeze-dialog";
import { ModeOptions, type ModeOption } from "./mode-options";
import { PreviewList, type PreviewRow } from "./preview-list";
import { collateralFigures, parseTypedUsd, previewUnfreeze, type UnfreezeMode } from "./previews";
import { ReasonField } from "./reason-field";

const usd = (micros: bigint) => formatMicros(micros);

/** "Unfreeze": all that is frozen, or a typed amount of it, with what the borrower can spend afterwards. */
export function UnfreezeDialog({ loan, disabledReason, disabledReasonId, onCommitted }: { loan: LenderLoanDetailDto; disabledReason: string | null; disabledReasonId: string; onCommitted: (action: CommittedAction) => void }) {
  const [mode, setMode] = useState<UnfreezeMode>("FULL");
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState("");
  const figures = collateralFigures(loan);
  const typed = parseTypedUsd(amountText);
  const preview = previewUnfreeze(loan, mode, typed.micros);
  const { maintenanceBps, hysteresisBps } = loan.thresholds;

  const options: ModeOption<UnfreezeMode>[] = figures
    ? [
        { value: "FULL", label: "Everything frozen", detail: <>All {usd(figures.frozenMicros)} goes back to the borrower&apos;s spendable credits and the freeze ends.</> },
        { value: "AMOUNT", label: "A typed amount", detail: <>Up to {usd(figures.frozenMicros)}; the loan stays frozen for the rest.</> },
      ]
    : [];

  let blockedReason: string | null = null;
  if (mode === "AMOUNT" && typed.micros === null) blockedReason = typed.error ? "Correct the amount to confirm." : "Type the amount to release.";
  else if (preview?.refusal) blockedReason = preview.refusal;
  else if (reason.trim() === "") blockedReason = "Give a reason to confirm.";

  const rows: PreviewRow[] = preview
    ? [
        { label: "Released now", value: <Money micros={preview.releasedMicros} />, isEmphasised: true, howComputed: "USD of credits moved from frozen back to the borrower's spendable balance, in one transaction." },
        { label: "Frozen collateral after", value: <Money micros={preview.frozenAfterMicros} />, howComputed: "USD. The loan's collateral that stays frozen." },
        { label: "Borrower can spend after", value: <Money micros={preview.spendableAfterMicros} />, howComputed: "USD. The borrower's spendable credits now plus what is released." },
        {
          label: "Its routing API",
          value: preview.admissionAfter.isAdmitted ? "Admits requests" : `Refuses: 402 ${preview.admissionAfter.code}`,
          isWarning: !preview.admissionAfter.isAdmitted,
          howComputed: "The gateway admits a request when spendable credits cover its worst-case cost (the hold it takes before calling a model).",
        },
        {
          label: "Loan state after",
          value: preview.isFull ? "Leaves FROZEN" : "Stays FROZEN",
          howComputed: (
            <>
              A full release puts the loan where its figures point: margin call below maintenance ({formatBps(maintenanceBps)}; an open one closes only at {formatBps(maintenanceBps + hysteresisBps)}), delinquent with an installment past grace, else active. Coverage now: <Bps bps={loan.coverageBps} />.
            </>
          ),
        },
      ]
    : [];

  async function confirm(): Promise<ConfirmOutcome> {
    const result = mode === "AMOUNT" ? await unfreezeLoanAction({ loanId: loan.id, mode, amountUsd: amountText, reason }) : await unfreezeLoanAction({ loanId: loan.id, mode, reason });
    if (!result.ok) return { ok: false, message: result.error.message };
    toast.success(`Released ${usd(BigInt(result.data.amountMicros))} of ${loan.reference}'s collateral: the loan is ${result.data.loan.state.toLowerCase().replace("_", " ")}.`);
    onCommitted({ verb: "Unfreeze", amountMicros: result.data.amountMicros, latencyMs: result.data.latencyMs, committedAt: result.data.freezeEvent.committedAt });
    return { ok: true };
  }

  return (
    <CollateralDialog
      triggerLabel="Unfreeze"
      isDisabled={disabledReason !== null}
      disabledReasonId={disabledReasonId}
      title={`Unfreeze ${loan.reference}'s collateral`}
      description={<>Returns frozen collateral to {loan.startupName}&apos;s spendable credits, in one transaction: its routing API may spend them again at once.</>}
      confirmLabel="Confirm unfreeze"
      pendingLabel="Unfreezing…"
      confirmVariant="default"
      blockedReason={blockedReason}
      onConfirm={confirm}
      onOpen={() => {
        setMode("FULL");
        setAmountText("");
        setReason("");
      }}
    >
      <ModeOptions legend="What to release" name="unfreeze-mode" value={mode} options={options} onChange={setMode} />
      {mode === "AMOUNT" ? <AmountField label="Amount to release (USD)" value={amountText} error={typed.error} hint="Dollars, to the cent or to the micro-dollar (6 decimals); read exactly, never rounded." onChange={setAmountText} /> : null}
      <ReasonField value={reason} onChange={setReason} placeholder="e.g. Cure payment received" />
      {preview ? <PreviewList title="What will happen" rows={rows} /> : <p className="text-sm text-muted-foreground">Type an amount to see what the release would do.</p>}
    </CollateralDialog>
  );
}
