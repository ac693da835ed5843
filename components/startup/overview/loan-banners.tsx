"use client";

import Link from "next/link";
import { AlertTriangle, Snowflake } from "lucide-react";
import { CureCountdown } from "@/components/lender/loan/cure-countdown";
import { utcMinute } from "@/components/lender/loan/format";
import { Bps, Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import type { LiveLoanDto } from "@/lib/server/queries/startup-overview";

/**
 * An open margin call: the time left to cure it and the least repayment or pledge that does, each
 * with the button that starts it on the loan page. Amounts come from the domain's cure rule.
 */
export function MarginCallBanner({ loan, asOf }: { loan: LiveLoanDto; asOf: string }) {
  const call = loan.marginCall;
  if (!call) return null;
  const { cure } = call;
  const loanHref = `/startup/financing/${loan.id}`;
  const buy = BigInt(cure.buyMicros);
  return (
    <section aria-labelledby="margin-call-heading" className="rounded-lg border border-badge-warning-foreground/40 bg-badge-warning p-4 text-badge-warning-foreground sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 items-start gap-3">
          <AlertTriangle className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
          <div className="space-y-1">
            <h2 id="margin-call-heading" className="text-lg font-semibold">
              Margin call on {loan.reference}
            </h2>
            <p className="text-sm">
              Coverage is <Bps bps={loan.coverageBps} />, below the <Bps bps={loan.maintenanceBps} /> maintenance level. Bring it to <Bps bps={cure.targetBps} /> before the cure window ends, or your lender may freeze
              and sell your credits.
            </p>
          </div>
        </div>
        <div className="rounded-md bg-card px-3 py-2 text-card-foreground">
          <CureCountdown cureDeadline={call.deadline} asOf={asOf} />
        </div>
      </div>
      <div className="mt-4 grid gap-3 md:grid-cols-2">
        <div className="space-y-2 rounded-md bg-card p-3 text-card-foreground">
          <p className="flex items-center gap-1 text-sm text-muted-foreground">
            Least repayment that cures it
            <InfoTip label="the least repayment">
              The smallest cash payment to your lender after which coverage (collateral × mark ÷ debt) reaches maintenance + 5 points, at today&apos;s index and debt. The debt falls once an admin confirms the payment arrived.
            </InfoTip>
          </p>
          <p className="text-xl font-semibold">
            <Money micros={cure.repayMicros} data-testid="cure-repay" data-micros={cure.repayMicros} />
          </p>
          <Button asChild size="sm">
            <Link href={`${loanHref}#repay`}>Declare repayment</Link>
          </Button>
        </div>
        <div className="space-y-2 rounded-md bg-card p-3 text-card-foreground">
          <p className="flex items-center gap-1 text-sm text-muted-foreground">
            Or the least pledge that cures it
            <InfoTip label="the least pledge">
              The fewest extra credits to pledge to the loan so that coverage reaches maintenance + 5 points, at today&apos;s mark. Pledge from your own credits; what you lack, buy first (credited once an admin confirms your payment).
            </InfoTip>
          </p>
          {cure.pledgeMicros === null ? (
            <p className="text-sm">No pledge can cure it: the credits&apos; mark is 0. Repay instead.</p>
          ) : (
            <>
              <p className="text-xl font-semibold">
                <Money micros={cure.pledgeMicros} data-testid="cure-pledge" data-micros={cure.pledgeMicros} />
              </p>
              <p className="text-xs text-muted-foreground">
                <Money micros={cure.pledgeFromOwnMicros} /> from your own credits{buy > 0n ? <>, <Money micros={cure.buyMicros} data-testid="cure-buy" data-micros={cure.buyMicros} /> to buy first</> : null}.
              </p>
              <div className="flex flex-wrap gap-2">
                {BigInt(cure.pledgeFromOwnMicros) > 0n ? (
                  <Button asChild size="sm" variant={buy > 0n ? "outline" : "default"}>
                    <Link href={`${loanHref}#pledge`}>Pledge credits</Link>
                  </Button>
                ) : null}
                {buy > 0n ? (
                  <Button asChild size="sm">
                    <Link href={`${loanHref}#buy`}>Buy credits</Link>
                  </Button>
                ) : null}
              </div>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/** A frozen loan, at once: how much is frozen, when, and the lender's reason. */
export function FreezeBanner({ loan }: { loan: LiveLoanDto }) {
  if (loan.state !== "FROZEN") return null;
  return (
    <section aria-labelledby="freeze-heading" className="rounded-lg border border-badge-destructive-foreground/40 bg-badge-destructive p-4 text-badge-destructive-foreground sm:p-5">
      <div className="flex items-start gap-3">
        <Snowflake className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
        <div className="space-y-1">
          <h2 id="freeze-heading" className="text-lg font-semibold">
            Credits frozen on {loan.reference}
          </h2>
          <p className="text-sm">
            <Money micros={loan.frozenCollateralMicros} /> of your collateral is frozen{loan.freeze ? <> since {utcMinute(loan.freeze.at)}{loan.freeze.byLender ? ` by ${loan.lenderName ?? "your lender"}` : " automatically (coverage fell below the liquidation level)"}</> : null}. No request can spend it;
            credits outside the loan stay spendable.
          </p>
          {loan.freeze ? (
            <p className="text-sm">
              <span className="font-medium">Reason:</span> {loan.freeze.reason}
            </p>
          ) : null}
          <p className="text-sm">
            <Link href={`/startup/financing/${loan.id}`} className="font-medium underline underline-offset-4">
              Open the loan
            </Link>{" "}
            to repay or pledge; only your lender can unfreeze.
          </p>
        </div>
      </div>
    </section>
  );
}
