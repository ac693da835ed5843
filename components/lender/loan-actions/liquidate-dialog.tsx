"use client";

import { useState } from "react";
import { toast } from "sonner";
import { liquidateLoanAction } from "@/app/lender/loans/[loanId]/liquidate-action";
import { Bps, Money } from "@/components/money";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto, LiquidationPlanDto } from "@/lib/server/queries/lender-loans";
import { CollateralDialog, type ConfirmOutcome } from "./collateral-dialog";
import { ModeOptions, type ModeOption } from "./mode-options";
import { PreviewList, type PreviewRow } from "./preview-list";
import { ReasonField } from "./reason-field";

type Scope = "PARTIAL" | "FULL";

const usd = (micros: string | null) => formatMicros(BigInt(micros ?? "0"));

/** Why a plan cannot be confirmed (the service would refuse it); null when it can. */
export function liquidationBlockedReason(plan: LiquidationPlanDto): string | null {
  if (plan.isBlockedByInFlight) return `Requests in flight hold ${usd(plan.inFlightMicros)} of the collateral: a loss is booked only when none is left. Try again in a few seconds.`;
  if (plan.scope === "PARTIAL" && plan.soldMicros === "0") return `Coverage is already at or above ${formatBps(plan.targetBps ?? 0)}: a partial liquidation sells nothing.`;
  return null;
}

/** The waterfall, line by line, as the service will book it. */
export function waterfallRows(plan: LiquidationPlanDto, markText: string): PreviewRow[] {
  const fromUnfrozen = BigInt(plan.frozenForSaleMicros ?? "0");
  const returned = BigInt(plan.returnedMicros ?? "0");
  return [
    {
      label: "Credits sold",
      value: <Money micros={plan.soldMicros ?? "0"} />,
      isEmphasised: true,
      howComputed: (
        <>
          USD of credits sold to the secondary pool: frozen ones first ({usd(plan.soldFromFrozenMicros)}){fromUnfrozen > 0n ? <>, then {usd(plan.frozenForSaleMicros)} of unfrozen collateral frozen for the sale in the same transaction</> : null}.{" "}
          {plan.scope === "PARTIAL" ? `The least sale that brings coverage back to ${formatBps(plan.targetBps ?? 0)}.` : "The least sale whose proceeds pay the whole debt, at most all the collateral."}
        </>
      ),
    },
    { label: "Proceeds at mark", value: <Money micros={plan.proceedsMicros ?? "0"} />, howComputed: `USD the pool pays: credits sold × the mark (${markText} per $1 of credits, exact), rounded down once.` },
    { label: "Interest paid", value: <Money micros={plan.interestPaidMicros ?? "0"} />, howComputed: "USD. Proceeds pay accrued interest first." },
    { label: "Principal paid", value: <Money micros={plan.principalPaidMicros ?? "0"} />, howComputed: "USD. Then principal; it counts toward the installments, oldest first." },
    {
      label: "Surplus to the startup",
      value: (
        <>
          <Money micros={plan.surplusMicros ?? "0"} /> cash{returned > 0n ? <> + {usd(plan.returnedMicros)} credits</> : null}
        </>
      ),
      howComputed: "Proceeds beyond the whole debt go to the startup in cash; a full liquidation returns the frozen credits it did not need to sell as unrestricted credits.",
    },
    { label: "Loss", value: <Money micros={plan.lossMicros ?? "0"} />, isWarning: plan.lossMicros !== "0", howComputed: "USD of debt the proceeds leave unpaid after a full liquidation, written off — only when no collateral of the loan is left. A partial liquidation books none." },
    { label: "Platform revenue", value: <Money micros={plan.platformRevenueMicros ?? "0"} />, howComputed: "USD. Credits sold less proceeds: the redistribution fee (the part of par not in the mark)." },
    { label: "Debt after", value: <Money micros={plan.debtAfterMicros ?? "0"} />, howComputed: "USD still owed: 0 after a full liquidation (the rest is the loss)." },
    { label: "Coverage after", value: <Bps bps={plan.coverageAfterBps} />, howComputed: "Collateral left × mark ÷ debt after, rounded down; ∞ when nothing is owed." },
  ];
}

/**
 * What a Liquidate dialog holds (the lender's and the admin's): the scope (partial by default) and
 * the reason, the service's plan for that scope, the partial target, and why the plan cannot be
 * confirmed yet (null when it can); `reset` when the dialog opens.
 */
export function useLiquidationForm(loan: LenderLoanDetailDto) {
  const [scope, setScope] = useState<Scope>("PARTIAL");
  const [reason, setReason] = useState("");
  const previews = loan.liquidationPreview;
  const plan = previews ? (scope === "PARTIAL" ? previews.partial : previews.full) : null;
  const partialTarget = previews?.partial.targetBps ?? loan.thresholds.maintenanceBps + loan.thresholds.hysteresisBps;
  let blockedReason: string | null = plan ? liquidationBlockedReason(plan) : "Nothing is owed: there is nothing to liquidate for.";
  if (blockedReason === null && reason.trim() === "") blockedReason = "Give a reason to confirm.";
  const reset = () => {
    setScope("PARTIAL");
    setReason("");
  };
  return { scope, setScope, reason, setReason, plan, partialTarget, blockedReason, reset };
}

/** The waterfall of the plan for the chosen scope, when there is one. */
export function WaterfallPreview({ plan, scope, markText }: { plan: LiquidationPlanDto | null; scope: Scope; markText: string }) {
  return plan ? <PreviewList title={`The waterfall (${scope === "PARTIAL" ? "partial" : "full"})`} rows={waterfallRows(plan, markText)} /> : null;
}

/**
 * "Liquidate" a FROZEN loan: partial (restores maintenance + 5 points, so the margin call closes)
 * or full (pays the debt and closes the loan), with the waterfall shown before confirming. The
 * figures are the service's own plan (planLoanLiquidation) at the page's instant.
 */
export function LiquidateDialog({ loan, disabledReason, disabledReasonId, onCommitted, markText }: { loan: LenderLoanDetailDto; disabledReason: string | null; disabledReasonId: string; onCommitted: () => void; markText: string }) {
  const { scope, setScope, reason, setReason, plan, partialTarget, blockedReason, reset } = useLiquidationForm(loan);

  const options: ModeOption<Scope>[] = [
    {
      value: "PARTIAL",
      label: "Partial",
      detail: <>Sell the least that brings coverage back to {formatBps(partialTarget)} (maintenance + {loan.thresholds.hysteresisBps / 100} points), so the margin call closes; the loan stays frozen.</>,
    },
    { value: "FULL", label: "Full", detail: <>Sell what pays the whole debt and close the loan; frozen credits not needed go back to the borrower.</> },
  ];

  async function confirm(): Promise<ConfirmOutcome> {
    const result = await liquidateLoanAction({ loanId: loan.id, scope, reason });
    if (!result.ok) return { ok: false, message: result.error.message };
    const d = result.data;
    toast.success(`Sold ${usd(d.soldMicros)} of ${loan.reference}'s credits: ${usd(d.proceedsMicros)} of proceeds paid ${usd(d.interestPaidMicros)} interest and ${usd(d.principalPaidMicros)} principal${d.lossMicros !== "0" ? `; loss ${usd(d.lossMicros)}` : ""}. The loan is ${d.state.toLowerCase()}.`);
    onCommitted();
    return { ok: true };
  }

  return (
    <CollateralDialog
      triggerLabel="Liquidate"
      isDisabled={disabledReason !== null}
      disabledReasonId={disabledReasonId}
      title={`Liquidate ${loan.reference}`}
      description={<>Sells the loan&apos;s collateral to the secondary pool at the mark, in one transaction; the proceeds pay interest, then principal. It cannot be undone.</>}
      confirmLabel="Confirm liquidation"
      pendingLabel="Liquidating…"
      blockedReason={blockedReason}
      onConfirm={confirm}
      onOpen={reset}
    >
      <ModeOptions legend="How much to sell" name="liquidation-scope" value={scope} options={options} onChange={setScope} />
      <ReasonField value={reason} onChange={setReason} placeholder="e.g. Cure window expired" />
      <WaterfallPreview plan={plan} scope={scope} markText={markText} />
    </CollateralDialog>
  );
}
