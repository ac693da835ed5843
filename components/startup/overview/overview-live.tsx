"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { LiveBalances } from "@/components/dashboard/live-balances";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Bps, Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { startupLiveQuery } from "@/lib/client/query-keys";
import type { LiveLoanDto, LiveOverviewDto } from "@/lib/server/queries/startup-overview";
import { FreezeBanner, MarginCallBanner } from "./loan-banners";

function FinancingCard({ loan }: { loan: LiveLoanDto | null }) {
  if (!loan) {
    return (
      <LoanSection id="financing" title="Financing" description="No open financing arrangement.">
        <p className="text-sm text-muted-foreground">
          A lender can finance 1.25–1.5× your principal in credits.{" "}
          <Link href="/startup/financing" className="text-primary underline underline-offset-4">
            Apply for financing
          </Link>
        </p>
      </LoanSection>
    );
  }
  const isApplication = loan.state === "SUBMITTED";
  return (
    <LoanSection
      id="financing"
      title="Financing"
      description={isApplication ? `Application ${loan.reference} is waiting on an admin's decision.` : `${loan.reference}${loan.lenderName ? ` with ${loan.lenderName}` : ""}`}
      actions={
        <Button asChild size="sm" variant="outline">
          <Link href={`/startup/financing/${loan.id}`}>{isApplication ? "View application" : "Open loan"}</Link>
        </Button>
      }
    >
      <dl className="flex flex-wrap items-center gap-x-8 gap-y-3 text-sm">
        <div>
          <dt className="text-muted-foreground">State</dt>
          <dd data-testid="loan-state">
            <LoanStateBadge state={loan.state} />
          </dd>
        </div>
        {isApplication ? null : (
          <>
            <div>
              <dt className="flex items-center gap-1 text-muted-foreground">
                Coverage
                <InfoTip label="coverage">Collateral × mark ÷ debt, now. Below maintenance ({(loan.maintenanceBps / 100).toFixed(0)}%) a margin call opens; it closes at maintenance + 5 points.</InfoTip>
              </dt>
              <dd className="font-semibold">
                <Bps bps={loan.coverageBps} />
              </dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Debt (USD)</dt>
              <dd className="font-semibold">
                <Money micros={loan.debtMicros} />
              </dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Collateral (USD)</dt>
              <dd className="font-semibold">
                <Money micros={loan.collateralMicros} />
              </dd>
            </div>
          </>
        )}
      </dl>
    </LoanSection>
  );
}

/** Everything on the overview that moves by itself: it polls /api/startup/live every few seconds. */
export function OverviewLive({ initial }: { initial: LiveOverviewDto }) {
  const { data = initial } = useQuery({ ...startupLiveQuery(), initialData: initial });
  return (
    <div className="space-y-6">
      {data.loan ? <FreezeBanner loan={data.loan} /> : null}
      {data.loan ? <MarginCallBanner loan={data.loan} asOf={data.asOf} /> : null}
      <LiveBalances data={data} />
      <FinancingCard loan={data.loan} />
    </div>
  );
}
