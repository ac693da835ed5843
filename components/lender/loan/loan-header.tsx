import type { ReactNode } from "react";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { StatCard } from "@/components/dashboard/stat-card";
import { LoanActions } from "@/components/lender/loan-actions/loan-actions";
import { Bps, Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { InfoTip } from "@/components/ui/info-tip";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import type { LenderLoanPageDto } from "@/lib/server/queries/lender-loan-page";
import { CureCountdown } from "./cure-countdown";
import { markText, utcDate, utcMinute } from "./format";

/** The detail's money fields are typed nullable; these are present whenever the figure is shown. */
const m = (micros: string | null) => micros ?? "0";
const pct = (bps: number) => formatBps(bps, bps % 100 === 0 ? 0 : 2);

function Threshold({ label, bps, howComputed }: { label: string; bps: number; howComputed: string }) {
  return (
    <div className="flex items-center justify-between gap-3 py-1.5">
      <dt className="flex items-center gap-1 text-sm text-muted-foreground">
        {label}
        <InfoTip label={label}>{howComputed}</InfoTip>
      </dt>
      <dd className="num font-medium">{pct(bps)}</dd>
    </div>
  );
}

function daysToMarginCallText(days: number | null, horizonDays: number): string {
  if (days === null) return `None within ${horizonDays} days`;
  if (days === 0) return "Now (below maintenance)";
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** Where the header's back link goes, who lends (shown on the admin desk), and the actions beside the title. */
export type LoanHeaderContext = { back?: { href: string; label: string }; lenderName?: string | null; actions?: ReactNode };

/**
 * The loan's header: who borrows, its state, the figures a risk desk decides on, and the actions
 * (the lender's Freeze, Unfreeze and Liquidate unless `actions` replaces them).
 */
export function LoanHeader({ detail, page, back = { href: "/lender", label: "Back to portfolio" }, lenderName, actions }: { detail: LenderLoanDetailDto; page: LenderLoanPageDto } & LoanHeaderContext) {
  const { thresholds, valuation, debt, collateral } = detail;
  const isOpen = collateral !== null;
  const cureDeadline = detail.state === "MARGIN_CALL" ? detail.marginCall.cureDeadline : null;
  const projection = page.projection;
  const fee = formatBps(valuation.redistributionFeeBps, 0);
  const indexNow = valuation.indexNowMicros;
  const indexThen = valuation.indexAtOriginationMicros;

  return (
    <header className="space-y-5">
      <Link href={back.href} className="inline-flex items-center gap-1 rounded-sm text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <ArrowLeft className="size-4" aria-hidden="true" />
        {back.label}
      </Link>

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{detail.reference}</h1>
            <LoanStateBadge state={detail.state} />
          </div>
          <p className="text-sm text-muted-foreground">
            Borrower <span className="font-medium text-foreground">{detail.startupName}</span>
            {lenderName !== undefined ? (
              <>
                {" "}
                · lender <span className="font-medium text-foreground">{lenderName ?? "not chosen yet"}</span>
              </>
            ) : null}
            {detail.activatedAt ? <> · active since {utcDate(detail.activatedAt)}</> : null}
            {detail.closedAt ? <> · closed {utcDate(detail.closedAt)}</> : null} · figures as of {utcMinute(detail.asOf)}
          </p>
        </div>
        {actions === undefined ? <LoanActions loan={detail} /> : actions}
      </div>

      {cureDeadline ? (
        <div role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3">
          <div className="flex items-center gap-1 text-sm">
            <span className="font-medium">Margin call</span>
            <span className="text-muted-foreground">since {utcMinute(detail.marginCall.marginCallAt)}: time left to cure</span>
            <InfoTip label="the cure window">
              The cure window is {thresholds.cureWindowHours} h from the margin call. The borrower cures by repaying or pledging credits until coverage is at least maintenance + {formatBps(thresholds.hysteresisBps, 0)} ({pct(thresholds.maintenanceBps + thresholds.hysteresisBps)}). After the deadline you may freeze
              {thresholds.autoFreeze ? "; this loan also freezes itself below the liquidation level." : "."}
            </InfoTip>
          </div>
          <CureCountdown cureDeadline={cureDeadline} asOf={detail.asOf} />
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="Coverage"
          value={isOpen ? <Bps bps={detail.coverageBps} /> : "—"}
          hint={isOpen ? `Maintenance ${pct(thresholds.maintenanceBps)}, liquidation ${pct(thresholds.liquidationBps)}` : "The loan is closed: no collateral is held."}
          howComputed={<>Collateral value at mark ÷ debt, as a percentage: {collateral ? `${formatMicros(BigInt(m(collateral.valueAtMarkMicros)))} ÷ ${formatMicros(BigInt(m(debt.totalMicros)))}` : "—"}. Infinite (∞) when nothing is owed.</>}
        />
        <StatCard
          label="Debt"
          value={<Money micros={m(debt.totalMicros)} />}
          hint={
            <>
              Principal <Money micros={m(debt.principalOutstandingMicros)} /> + interest <Money micros={m(debt.interestAccruedMicros)} />
            </>
          }
          howComputed={`USD. Principal outstanding plus interest accrued daily at APR ÷ 365 (APR ${detail.terms.aprBps === null ? "—" : formatBps(detail.terms.aprBps)}) through now; payments go to interest first.`}
        />
        <StatCard
          label="Collateral"
          value={collateral ? <Money micros={m(collateral.totalMicros)} /> : "—"}
          hint={
            collateral ? (
              <>
                <Money micros={m(collateral.frozenMicros)} /> frozen · financed <Money micros={m(collateral.financedMicros)} /> · pledged <Money micros={m(collateral.pledgedMicros)} />
              </>
            ) : (
              "Released when the loan closed."
            )
          }
          howComputed="USD of credits at face value: the unspent credits of the loan's financed and pledged lots, frozen ones included."
        />
        <StatCard
          label="Value at mark"
          value={collateral ? <Money micros={m(collateral.valueAtMarkMicros)} /> : "—"}
          hint={collateral ? `At a mark of ${markText(valuation.markPpm)} per $1 of credits` : undefined}
          howComputed="USD. Collateral × mark, with the exact mark, rounded down once: what the credits would fetch on the secondary pool today."
        />
        <StatCard
          label="Mark"
          value={
            valuation.markPpm === null ? (
              "—"
            ) : (
              <>
                {markText(valuation.markPpm)}
                <span className="ml-1 text-sm font-normal text-muted-foreground">per $1 of credits</span>
              </>
            )
          }
          hint={
            valuation.markPpm === null ? (
              "The loan is closed: nothing is valued."
            ) : indexNow && indexThen ? (
              <>
                GPU index {formatMicros(BigInt(indexNow))}/GPU-hour now, {formatMicros(BigInt(indexThen))} at origination; fee {fee}
              </>
            ) : (
              `No index at origination: par less the ${fee} fee`
            )
          }
          howComputed={`min(1, GPU index now ÷ index at origination) × (1 − ${fee} redistribution fee), kept exact and rounded once in the lender's favour; shown to 4 decimals.`}
        />
        <StatCard
          label="Days to margin call"
          value={projection ? daysToMarginCallText(projection.daysToMarginCall, projection.inputs.horizonDays) : "—"}
          hint={projection?.marginCallDate ? `Projected for ${projection.marginCallDate}` : projection ? "Coverage stays above maintenance in the projection" : "Only an open loan is projected"}
          howComputed={
            projection
              ? `Days until projected coverage first falls below maintenance (${pct(thresholds.maintenanceBps)}): collateral burns at the 7-day rate (${formatMicros(BigInt(projection.inputs.burnMicrosPerDay))}/day), interest accrues (${formatMicros(BigInt(projection.inputs.interestMicrosPerDay))}/day), unpaid installments are paid on their due days, and the GPU index follows its 30-day trend (${(projection.indexTrendPpmPerDay / 10_000).toFixed(2)}%/day over ${projection.indexTrendFixCount} fixes).`
              : "Projected only while the loan is open."
          }
        />
        <StatCard
          label="7-day burn"
          value={
            page.burn.sevenDayBurnMicros ? (
              <>
                <Money micros={page.burn.sevenDayBurnMicros} />
                <span className="ml-1 text-sm font-normal text-muted-foreground">per day</span>
              </>
            ) : (
              "—"
            )
          }
          hint="The borrower's spend on the routing API"
          howComputed="USD per day: the borrower's spend over the last 7 complete UTC days since the loan began (daily usage rollups), averaged and rounded up."
        />
        <StatCard
          label={detail.state === "LIQUIDATED" ? "Loss" : "Principal"}
          value={<Money micros={detail.state === "LIQUIDATED" ? (detail.lossMicros ?? "0") : (detail.principalMicros ?? "0")} />}
          hint={`${detail.terms.termMonths} months at ${detail.terms.aprBps === null ? "—" : formatBps(detail.terms.aprBps)} APR, ${(detail.terms.multiplierBps / 10_000).toFixed(2)}× in credits`}
          howComputed={detail.state === "LIQUIDATED" ? "USD: the debt the liquidation's proceeds did not cover, booked only when no collateral was left." : "USD lent at origination; the borrower received principal × multiplier in credits."}
        />
      </div>

      <Card>
        <CardHeader className="pb-2">
          <CardDescription className="flex items-center gap-1">
            Thresholds (coverage, %)
            <InfoTip label="the thresholds">Set per loan at approval. Coverage is collateral × mark ÷ debt; each threshold is compared with it after every settled request, index fix, payment, pledge and freeze.</InfoTip>
          </CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-8 sm:grid-cols-2 xl:grid-cols-4">
            <Threshold label="Initial" bps={thresholds.initialBps} howComputed="The least coverage at origination: the loan was approved only at or above it." />
            {thresholds.earlyWarningBps.map((bps, i) => (
              <Threshold key={`${bps}-${i}`} label={`Early warning ${i + 1}`} bps={bps} howComputed="Below it an early-warning alert opens (and goes to your webhooks); it resolves at this level + 5 points." />
            ))}
            <Threshold label="Maintenance" bps={thresholds.maintenanceBps} howComputed={`Below it the loan is in margin call, with a ${thresholds.cureWindowHours} h cure window; it leaves at maintenance + ${formatBps(thresholds.hysteresisBps, 0)}.`} />
            <Threshold
              label="Liquidation"
              bps={thresholds.liquidationBps}
              howComputed={`Below it you may freeze at once${thresholds.autoFreeze ? ", and this loan freezes itself (auto-freeze is on)" : " (auto-freeze is off for this loan)"}.`}
            />
          </dl>
        </CardContent>
      </Card>
    </header>
  );
}
