"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { adminLiquidateLoanAction } from "@/app/admin/loans/[loanId]/liquidate-action";
import { CollateralDialog, type ConfirmOutcome } from "@/components/lender/loan-actions/collateral-dialog";
import { useLiquidationForm, WaterfallPreview } from "@/components/lender/loan-actions/liquidate-dialog";
import { ModeOptions } from "@/components/lender/loan-actions/mode-options";
import { disabledReasons } from "@/components/lender/loan-actions/previews";
import { ReasonField } from "@/components/lender/loan-actions/reason-field";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";

const usd = (micros: string | null) => formatMicros(BigInt(micros ?? "0"));
const markTextOf = (markPpm: number | null) => (markPpm === null ? "—" : `$${(markPpm / 1_000_000).toFixed(4)}`);

/**
 * The admin desk's only action on a loan: Liquidate a FROZEN loan of any lender, partial or full,
 * with the waterfall the service will book (the lender's preview, from planLoanLiquidation) shown
 * before confirming. Admins do not freeze or unfreeze: that is the lender's decision.
 */
export function AdminLiquidateDialog({ loan, lenderName }: { loan: LenderLoanDetailDto; lenderName: string | null }) {
  const router = useRouter();
  const { scope, setScope, reason, setReason, plan, partialTarget, blockedReason, reset } = useLiquidationForm(loan);
  // Only a frozen loan can be liquidated, and only its lender freezes.
  const disabledReason = loan.collateral && loan.state !== "FROZEN" ? "Liquidate needs a frozen loan: only its lender freezes it." : disabledReasons(loan).liquidate;
  const lender = lenderName ?? "the lender";

  async function confirm(): Promise<ConfirmOutcome> {
    const result = await adminLiquidateLoanAction({ loanId: loan.id, scope, reason });
    if (!result.ok) return { ok: false, message: result.error.message };
    const done = result.data;
    toast.success(`Liquidated ${loan.reference} for ${lender}: sold ${usd(done.soldMicros)} of credits, ${usd(done.proceedsMicros)} of proceeds${done.lossMicros !== "0" ? `, loss ${usd(done.lossMicros)}` : ""}. The loan is ${done.state.toLowerCase()}.`);
    router.refresh();
    return { ok: true };
  }

  return (
    <div className="flex w-full flex-col gap-2 sm:w-auto sm:max-w-sm sm:items-end">
      <CollateralDialog
        triggerLabel="Liquidate"
        isDisabled={disabledReason !== null}
        disabledReasonId={disabledReason ? `liquidate-why-${loan.id}` : undefined}
        title={`Liquidate ${loan.reference}`}
        description={
          <>
            As the platform, on behalf of {lender}: the loan&apos;s collateral is sold to the secondary pool at the mark, in one transaction; the proceeds pay interest, then principal. {lender} is notified by webhook. It cannot be undone.
          </>
        }
        confirmLabel="Confirm liquidation"
        pendingLabel="Liquidating…"
        blockedReason={blockedReason}
        onConfirm={confirm}
        onOpen={reset}
      >
        <ModeOptions
          legend="How much to sell"
          name="admin-liquidation-scope"
          value={scope}
          onChange={setScope}
          options={[
            { value: "PARTIAL", label: "Partial", detail: <>The least sale that brings coverage back to {formatBps(partialTarget)}; the loan stays frozen.</> },
            { value: "FULL", label: "Full", detail: <>What pays the whole debt; the loan closes and unsold frozen credits return to the borrower.</> },
          ]}
        />
        <ReasonField value={reason} onChange={setReason} placeholder="e.g. The lender asked the platform to liquidate" />
        <WaterfallPreview plan={plan} scope={scope} markText={markTextOf(loan.valuation.markPpm)} />
      </CollateralDialog>
      {disabledReason ? (
        <p id={`liquidate-why-${loan.id}`} className="text-xs text-muted-foreground sm:text-right">
          {disabledReason}
        </p>
      ) : null}
    </div>
  );
}
