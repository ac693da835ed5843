import Link from "next/link";
import { StatCard } from "@/components/dashboard/stat-card";
import { Bps, Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import type { LenderPortfolioDto } from "@/lib/server/queries/lender-portfolio";
import type { StateFilter } from "@/lib/domain/valuation/portfolio-view";

type Summary = LenderPortfolioDto["summary"];

const plural = (count: number, one: string, many: string) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** Collateral at today's mark, its face value below: the lender's KPI, and the admin's across lenders. */
export function CollateralAtMarkStat({ label, summary, howComputed }: { label: string; summary: Pick<Summary, "collateralMicros" | "collateralValueMicros">; howComputed: string }) {
  return (
    <StatCard
      label={label}
      value={<Money micros={summary.collateralValueMicros} />}
      hint={
        <>
          <Money micros={summary.collateralMicros} /> of credits at face value
        </>
      }
      howComputed={howComputed}
    />
  );
}

/** The book's headline figures; each says its unit and how it is computed. */
export function PortfolioKpis({ summary, onShowLoans }: { summary: Summary; onShowLoans: (filter: StateFilter) => void }) {
  const watch = summary.loansByWatchStatus;
  const uncovered = BigInt(summary.uncoveredDebtMicros);
  const states: { filter: StateFilter; label: string; count: number; hint: string; howComputed: string }[] = [
    {
      filter: "EARLY_WARNING",
      label: "Early warning",
      count: watch.EARLY_WARNING,
      hint: "active, below an early-warning level",
      howComputed: "Active loans whose live coverage is below their highest early-warning level (140% unless the loan sets its own) and that are not yet in a margin call.",
    },
    {
      filter: "MARGIN_CALL",
      label: "Margin call",
      count: watch.MARGIN_CALL,
      hint: "below maintenance, cure window open",
      howComputed: "Loans in the MARGIN_CALL state: coverage fell below maintenance (125% by default) and the startup's cure window (72 h by default) is open. Leaving it needs maintenance + 5 points.",
    },
    {
      filter: "DELINQUENT",
      label: "Delinquent",
      count: watch.DELINQUENT,
      hint: "an installment past its grace period",
      howComputed: "Loans in the DELINQUENT state: an installment is unpaid past its grace period (5 days by default).",
    },
    {
      filter: "FROZEN",
      label: "Frozen",
      count: watch.FROZEN,
      hint: "collateral frozen by you or auto-freeze",
      howComputed: "Loans in the FROZEN state: you (or auto-freeze) froze some or all of their collateral. They stay frozen until you unfreeze, liquidate, or the loan is repaid.",
    },
  ];

  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="Total debt"
          value={<Money micros={summary.totalDebtMicros} />}
          hint={`across ${plural(summary.openLoans, "open loan", "open loans")}`}
          howComputed="Principal outstanding plus interest accrued to this moment (simple daily interest at each loan's APR), summed over your open loans: active, margin call, delinquent and frozen. USD."
        />
        <CollateralAtMarkStat
          label="Collateral value at today's mark"
          summary={summary}
          howComputed="Each open loan's collateral (the unspent credits of its financed and pledged lots, frozen ones included) × its mark today, rounded down to the µUSD, summed. Mark = min(1, GPU index today ÷ index at the loan's origination) × (1 − redistribution fee, 15% by default). USD."
        />
        <StatCard
          label="Debt-weighted coverage"
          value={<Bps bps={summary.debtWeightedCoverageBps} />}
          hint="each loan weighted by what it owes"
          howComputed="Σ(coverage × debt) ÷ Σ debt over open loans with debt, rounded down; each loan's coverage is collateral × mark ÷ debt, as in the table. A large loan near maintenance moves it more than a small one. ∞ when no loan owes anything."
        />
        <StatCard
          label="Expected recovery at mark"
          value={<Money micros={summary.expectedRecoveryMicros} />}
          hint={
            uncovered > 0n ? (
              <>
                <Money micros={summary.uncoveredDebtMicros} /> of debt not covered at mark
              </>
            ) : (
              "every loan's debt covered at mark"
            )
          }
          howComputed="What selling every open loan's collateral to the secondary pool at today's mark would recover: per loan, the sale raises ⌊collateral × mark⌋ (rounded down to the µUSD), of which at most the loan's debt comes to you (interest first, then principal) and any surplus returns to the startup; so Σ min(debt, collateral × mark). The rest of the debt would be a loss. USD."
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {states.map((state) => (
          <StatCard
            key={state.filter}
            label={state.label}
            value={plural(state.count, "loan", "loans")}
            hint={
              <div className="flex items-center justify-between gap-2">
                <span>{state.hint}</span>
                {state.count > 0 ? (
                  <Button type="button" variant="link" size="sm" className="h-auto p-0 text-xs" onClick={() => onShowLoans(state.filter)} aria-label={`Show ${state.label.toLowerCase()} loans`}>
                    Show
                  </Button>
                ) : null}
              </div>
            }
            howComputed={state.howComputed}
          />
        ))}
        <StatCard
          label="Open alerts"
          value={plural(summary.openAlerts, "alert", "alerts")}
          testId="open-alerts"
          hint={
            <Link href="/lender/alerts" className="font-medium text-primary underline-offset-4 hover:underline">
              Open the alerts inbox
            </Link>
          }
          howComputed="Alerts on your loans not yet acknowledged: early warnings, margin calls, liquidation zone, overdue payments, burn above plan, freezes and unfreezes. An alert resolves by itself when its cause goes away."
        />
      </div>
    </div>
  );
}
