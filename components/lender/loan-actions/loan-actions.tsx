"use client";

import { useId, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import { enforcementKey, EnforcementCheck } from "./enforcement-check";
import { FreezeDialog, type CommittedAction } from "./freeze-dialog";
import { LiquidateDialog } from "./liquidate-dialog";
import { disabledReasons } from "./previews";
import { UnfreezeDialog } from "./unfreeze-dialog";

/** After a freeze or unfreeze the enforcement check polls this long (≈ 5 checks). */
const POLL_AFTER_ACTION_MS = 5_000;

const markTextOf = (markPpm: number | null) => (markPpm === null ? "—" : `$${(markPpm / 1_000_000).toFixed(4)}`);

/**
 * Freeze, Unfreeze and Liquidate for one loan, each behind a dialog that previews its effect in
 * numbers; after each action a toast, the page re-rendered with the new state, and the live
 * enforcement check polled a few times. Disabled buttons say why. The latest freeze's measured time
 * from request to commit is shown beside the check.
 */
export function LoanActions({ loan }: { loan: LenderLoanDetailDto }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pollUntilMs, setPollUntilMs] = useState(0);
  const [committed, setCommitted] = useState<CommittedAction | null>(null);
  const reasons = disabledReasons(loan);
  const baseId = useId();
  // One line per distinct reason (a closed loan gives all three the same one); each button points at its line.
  const keys = ["freeze", "unfreeze", "liquidate"] as const;
  const reasonLines = [...new Set(keys.map((key) => reasons[key]).filter((reason): reason is string => reason !== null))];
  const lineId = (reason: string | null) => (reason === null ? "" : `${baseId}-why-${reasonLines.indexOf(reason)}`);
  const ids = { freeze: lineId(reasons.freeze), unfreeze: lineId(reasons.unfreeze), liquidate: lineId(reasons.liquidate) };
  const isOpen = loan.collateral !== null;

  function afterAction() {
    router.refresh();
    setPollUntilMs(Date.now() + POLL_AFTER_ACTION_MS);
    void queryClient.invalidateQueries({ queryKey: enforcementKey(loan.id) });
  }

  const onCommitted = (action: CommittedAction) => {
    setCommitted(action);
    afterAction();
  };

  // The latest freeze or unfreeze: this session's, or the loan's last one on record.
  const latest = committed ?? (loan.recentFreezeEvents[0] ? { verb: loan.recentFreezeEvents[0].action === "FREEZE" ? "Freeze" : "Unfreeze", amountMicros: loan.recentFreezeEvents[0].amountMicros ?? "0", latencyMs: loan.recentFreezeEvents[0].latencyMs, committedAt: loan.recentFreezeEvents[0].committedAt } : null);

  return (
    <div className="flex w-full flex-col gap-2 sm:w-auto sm:max-w-md sm:items-end">
      <div role="group" aria-label="Collateral actions" className="flex flex-wrap gap-2">
        <FreezeDialog loan={loan} disabledReason={reasons.freeze} disabledReasonId={ids.freeze} onCommitted={onCommitted} />
        <UnfreezeDialog loan={loan} disabledReason={reasons.unfreeze} disabledReasonId={ids.unfreeze} onCommitted={onCommitted} />
        <LiquidateDialog loan={loan} disabledReason={reasons.liquidate} disabledReasonId={ids.liquidate} onCommitted={afterAction} markText={markTextOf(loan.valuation.markPpm)} />
      </div>
      {reasonLines.length > 0 ? (
        <ul className="space-y-0.5 text-xs text-muted-foreground sm:text-right">
          {reasonLines.map((reason) => (
            <li key={reason} id={lineId(reason)}>
              {reason}
            </li>
          ))}
        </ul>
      ) : null}
      {isOpen ? <EnforcementCheck loanId={loan.id} pollUntilMs={pollUntilMs} unfrozenCollateralMicros={BigInt(loan.collateral?.unfrozenMicros ?? "0")} /> : null}
      {latest ? (
        <p className="text-xs text-muted-foreground sm:text-right" aria-live="polite">
          {latest.verb === "Freeze" ? "Last freeze" : "Last unfreeze"} ({formatMicros(BigInt(latest.amountMicros))}): committed <span className="num font-medium text-foreground">{latest.latencyMs} ms</span> after the request, at {latest.committedAt.slice(11, 19)} UTC.
        </p>
      ) : null}
    </div>
  );
}
