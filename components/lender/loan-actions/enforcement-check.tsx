"use client";

import { queryOptions, useQuery } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { checkEnforcementAction } from "@/app/lender/loans/[loanId]/check-enforcement-action";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Skeleton } from "@/components/ui/skeleton";
import { formatMicros } from "@/lib/domain/money";
import type { LoanEnforcementDto } from "@/lib/server/queries/lender-loans";
import { cn } from "@/lib/utils";
import { admissionText } from "./previews";

/** While polling after an action: this often, until the deadline the caller sets. */
export const ENFORCEMENT_POLL_MS = 1_000;

export const enforcementKey = (loanId: string) => ["lender", "loans", loanId, "enforcement"] as const;

class EnforcementCheckError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const enforcementQuery = (loanId: string, pollUntilMs: number) =>
  queryOptions({
    queryKey: enforcementKey(loanId),
    queryFn: async (): Promise<LoanEnforcementDto> => {
      const result = await checkEnforcementAction({ loanId });
      if (!result.ok) throw new EnforcementCheckError(result.error.code === "loan_not_found" ? 404 : result.error.code === "forbidden" ? 403 : 500, result.error.message);
      return result.data;
    },
    // A few checks right after a freeze or unfreeze: the verdict the lender waits for.
    refetchInterval: () => (Date.now() < pollUntilMs ? ENFORCEMENT_POLL_MS : false),
    staleTime: 0,
  });

/**
 * The live enforcement check: asks the routing layer whether it would admit a request from the
 * borrower right now — the gateway's own hold condition, without calling a model or reserving
 * anything — and says "Refusing: 402 credits_frozen" or "Still admitting: $X …".
 */
export function EnforcementCheck({ loanId, pollUntilMs, unfrozenCollateralMicros }: { loanId: string; pollUntilMs: number; unfrozenCollateralMicros: bigint }) {
  const query = useQuery(enforcementQuery(loanId, pollUntilMs));
  const isPolling = Date.now() < pollUntilMs;
  const check = query.data;
  return (
    <div className="rounded-lg border bg-card px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="flex items-center gap-1 font-medium">
          Routing API now
          <InfoTip label="the enforcement check">
            Asks the routing layer whether it would admit a request from this borrower right now: the same condition as the hold the gateway takes before calling a model — spendable credits ≥ the request&apos;s worst-case cost (1 µUSD here) — else 402
            credits_frozen when credits are frozen. No model is called and nothing is reserved.{isPolling ? " Checking every second after your action." : ""}
          </InfoTip>
        </span>
        <span aria-live="polite" className="min-w-0">
          {query.isPending ? (
            <Skeleton className="inline-block h-4 w-48 align-middle" />
          ) : query.isError ? (
            <span className="text-destructive">Could not check: {query.error.message}</span>
          ) : check ? (
            <span className={cn("font-semibold", check.isAdmitted ? "text-foreground" : "text-destructive")}>{admissionText(check, (micros) => formatMicros(micros), unfrozenCollateralMicros)}</span>
          ) : null}
        </span>
        <Button type="button" variant="ghost" size="sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
          <RefreshCw className={cn(query.isFetching && "animate-spin motion-reduce:animate-none")} aria-hidden="true" />
          {query.isError ? "Retry" : "Check again"}
        </Button>
      </div>
      {check ? <p className="text-xs text-muted-foreground">Checked {check.checkedAt.slice(11, 19)} UTC</p> : null}
    </div>
  );
}
