"use client";

import { useState } from "react";
import { toast } from "sonner";
import { freezeLoanAction } from "@/app/lender/loans/[loanId]/freeze-action";
import { Money } from "@/components/money";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import { AmountField } from "./amount-field";
import { CollateralDialog, type ConfirmOutcome } from "./collateral-dialog";
import { ModeOptions, type ModeOption } from "./mode-options";
import { PreviewList, type PreviewRow } from "./preview-list";
import { collateralFigures, defaultFreezeMode, parseTypedUsd, previewFreeze, type FreezeMode } from "./previews";
import { ReasonField } from "./reason-field";

export type CommittedAction = { verb: "Freeze" | "Unfreeze"; amountMicros: string; latencyMs: number; committedAt: string };

const usd = (micros: bigint) => formatMicros(micros);

/**
 * "Freeze": protective (the default below maintenance), everything, or a typed amount; a required
 * reason; and, before confirming, what moves now, what the borrower can still spend and whether its
 * routing API will refuse it — computed by the server's own freeze rule (planFreeze).
 */
export function FreezeDialog({ loan, disabledReason, disabledReasonId, onCommitted }: { loan: LenderLoanDetailDto; disabledReason: string | null; disabledReasonId: string; onCommitted: (action: CommittedAction) => void }) {
  const [mode, setMode] = useState<FreezeMode>(() => defaultFreezeMode(loan));
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState("");
  const figures = collateralFigures(loan);
  const typed = parseTypedUsd(amountText);
  const preview = previewFreeze(loan, mode, typed.micros);
  const protective = previewFreeze(loan, "PROTECTIVE", null);
  const full = previewFreeze(loan, "FULL", null);
  const isBelowMaintenance = loan.coverageBps !== null && loan.coverageBps < loan.thresholds.maintenanceBps;

  const options: ModeOption<FreezeMode>[] = figures
    ? [
        {
          value: "PROTECTIVE",
          label: `Protective amount${isBelowMaintenance ? " (recommended below maintenance)" : ""}`,
          detail: (
            <>
              Frozen credits brought to {usd(figures.protectiveMicros)}: the credits whose value at the mark covers {formatBps(loan.thresholds.maintenanceBps)} of the debt projected to the end of the cure window ({usd(BigInt(loan.collateral?.protectiveDebtMicros ?? "0"))}). {protective ? `${usd(protective.plan.amountMicros)} more now.` : null}
            </>
          ),
          disabledReason:
            protective?.plan.refusal !== "protective_already_frozen"
              ? null
              : figures.protectiveMicros === 0n
                ? "Nothing is owed: the protective amount is $0.00."
                : `Already covered: ${usd(figures.frozenMicros)} frozen ≥ the protective amount of ${usd(figures.protectiveMicros)}.`,
        },
        {
          value: "FULL",
          label: "Everything",
          detail: (
            <>
              All {usd(figures.unfrozenMicros)} of unfrozen collateral{full && full.plan.inFlightMicros > 0n ? `; ${usd(full.plan.inFlightMicros)} of it held by requests in flight freezes as they finish` : ""}.
            </>
          ),
        },
        { value: "AMOUNT", label: "A typed amount", detail: <>Up to {usd(figures.freezableNowMicros)} can be frozen now.</> },
      ]
    : [];

  let blockedReason: string | null = null;
  if (mode === "AMOUNT" && typed.micros === null) blockedReason = typed.error ? "Correct the amount to confirm." : "Type the amount to freeze.";
  else if (preview?.refusal) blockedReason = preview.refusal;
  else if (reason.trim() === "") blockedReason = "Give a reason to confirm.";

  const rows: PreviewRow[] = preview
    ? [
        { label: "Frozen now", value: <Money micros={preview.plan.amountMicros} />, isEmphasised: true, howComputed: "USD of credits moved from the borrower's spendable balance to frozen in this one transaction: what the mode asks for, at most the unfrozen collateral that is spendable now." },
        { label: "Frozen collateral after", value: <Money micros={preview.plan.frozenAfterMicros} />, howComputed: "USD. Frozen credits still count as collateral: coverage does not change." },
        {
          label: "Borrower can still spend",
          value: <Money micros={preview.plan.spendableAfterMicros} />,
          howComputed: "USD. The borrower's spendable credits after the freeze: its own credits outside the loan and any collateral left unfrozen. Credits held by requests in flight are not in it.",
        },
        {
          label: "Its routing API",
          value: preview.admissionAfter.isAdmitted ? "Still admits requests" : `Refuses: 402 ${preview.admissionAfter.code}`,
          isWarning: !preview.admissionAfter.isAdmitted,
          howComputed: "The gateway admits a request only if its hold — spendable credits ≥ the request's worst-case cost — succeeds; with nothing spendable and credits frozen it answers 402 credits_frozen.",
        },
      ]
    : [];

  async function confirm(): Promise<ConfirmOutcome> {
    const result = mode === "AMOUNT" ? await freezeLoanAction({ loanId: loan.id, mode, amountUsd: amountText, reason }) : await freezeLoanAction({ loanId: loan.id, mode, reason });
    if (!result.ok) return { ok: false, message: result.error.message };
    toast.success(`Froze ${usd(BigInt(result.data.amountMicros))} of ${loan.reference}'s collateral: committed ${result.data.latencyMs} ms after the request.`);
    onCommitted({ verb: "Freeze", amountMicros: result.data.amountMicros, latencyMs: result.data.latencyMs, committedAt: result.data.freezeEvent.committedAt });
    return { ok: true };
  }

  return (
    <CollateralDialog
      triggerLabel="Freeze"
      triggerVariant="destructive"
      isDisabled={disabledReason !== null}
      disabledReasonId={disabledReasonId}
      title={`Freeze ${loan.reference}'s collateral`}
      description={<>Moves collateral from {loan.startupName}&apos;s spendable credits to frozen, in one transaction. From the commit on, the routing API admits no request that would spend it.</>}
      confirmLabel="Confirm freeze"
      pendingLabel="Freezing…"
      blockedReason={blockedReason}
      onConfirm={confirm}
      onOpen={() => {
        setMode(defaultFreezeMode(loan));
        setAmountText("");
        setReason("");
      }}
    >
      <ModeOptions legend="What to freeze" name="freeze-mode" value={mode} options={options} onChange={setMode} />
      {mode === "AMOUNT" ? <AmountField label="Amount to freeze (USD)" value={amountText} error={typed.error} hint="Dollars, to the cent or to the micro-dollar (6 decimals); read exactly, never rounded." onChange={setAmountText} /> : null}
      <ReasonField value={reason} onChange={setReason} placeholder="e.g. Margin call unanswered after 72 h" />
      {preview ? <PreviewList title="What will happen" rows={rows} /> : <p className="text-sm text-muted-foreground">Type an amount to see what the freeze would do.</p>}
    </CollateralDialog>
  );
}
