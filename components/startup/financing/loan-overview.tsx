import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { CoverageHistoryChart, type CoverageThresholdLine } from "@/components/charts/coverage-history-chart";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { StatCard } from "@/components/dashboard/stat-card";
import { CureCountdown } from "@/components/lender/loan/cure-countdown";
import { utcDate } from "@/components/lender/loan/format";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Bps, Money } from "@/components/money";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { StartupLoanPageDto } from "@/lib/server/queries/startup-financing";
import { multiplierText } from "./format";
import { WithdrawApplicationButton } from "./withdraw-application-button";

/** The loan's header: back link, reference, state, lender and terms; a pending application can be withdrawn. */
export function LoanHeader({ page }: { page: StartupLoanPageDto }) {
  const terms = [
    `${formatMicros(BigInt(page.principalMicros))} at ${multiplierText(page.multiplierBps)}`,
    `${page.termMonths} months`,
    page.aprBps === null ? null : `${formatBps(page.aprBps)} APR`,
    page.lenderName ? `from ${page.lenderName}` : null,
  ].filter(Boolean);
  return (
    <div className="space-y-2">
      <Link href="/startup/financing" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Financing
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{page.reference}</h1>
          <LoanStateBadge state={page.state} />
        </div>
        {page.state === "SUBMITTED" ? <WithdrawApplicationButton loanId={page.loanId} reference={page.reference} principalMicros={page.principalMicros} /> : null}
      </div>
      <p className="text-sm text-muted-foreground">
        {terms.join(" · ")}. {page.purpose}
      </p>
    </div>
  );
}

/** A margin call (time left, the least repayment or pledge that cures it) or a freeze, at the top. */
export function LoanAlertBanner({ page }: { page: StartupLoanPageDto }) {
  if (page.state === "MARGIN_CALL") {
    const repay = page.cure ? BigInt(page.cure.repayMicros) : null;
    const pledge = page.cure?.pledgeMicros ? BigInt(page.cure.pledgeMicros) : null;
    return (
      <section aria-labelledby="margin-call-title" className="space-y-2 rounded-lg border border-badge-warning-foreground/30 bg-badge-warning p-4 text-badge-warning-foreground">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id="margin-call-title" className="font-semibold">
            Margin call: coverage {formatBps(page.figures.coverageBps)} is below the {formatBps(page.thresholds.maintenanceBps)} maintenance level
          </h2>
          {page.cureDeadline ? <CureCountdown cureDeadline={page.cureDeadline} asOf={page.asOf} /> : null}
        </div>
        <p className="text-sm">
          Cure it before the window ends by bringing coverage to {page.cure ? formatBps(page.cure.targetBps) : "maintenance + 5 points"}: repay at least{" "}
          <strong className="num">{repay === null ? "—" : formatMicros(repay, { decimals: 2 })}</strong> (counts once an admin confirms it arrived), or pledge at least{" "}
          <strong className="num">{pledge === null ? "—" : formatMicros(pledge, { decimals: 2 })}</strong> of your own credits (at once). Otherwise the lender may freeze your credits.
        </p>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm font-medium">
          <a className="underline underline-offset-4" href="#repay">
            Declare a repayment
          </a>
          <a className="underline underline-offset-4" href="#pledge">
            Pledge credits
          </a>
          <a className="underline underline-offset-4" href="#buy">
            Buy credits
          </a>
        </p>
      </section>
    );
  }
  if (page.state === "FROZEN") {
    return (
      <section aria-labelledby="frozen-title" className="rounded-lg border border-destructive/40 bg-destructive/5 p-4">
        <h2 id="frozen-title" className="font-semibold">
          {page.lenderName ?? "The lender"} froze this loan&apos;s collateral
        </h2>
        {page.freeze ? (
          <p className="mt-1 text-sm">
            {formatMicros(BigInt(page.freeze.amountMicros))} frozen on {utcDate(page.freeze.at)}. Reason: {page.freeze.reason}
          </p>
        ) : null}
        <p className="mt-1 text-sm">Frozen credits cannot be spent. Repay (declare a payment below) or talk to your lender; the lender decides when to unfreeze.</p>
      </section>
    );
  }
  if (page.state === "REJECTED") {
    return (
      <section aria-labelledby="rejection-title" className="rounded-lg border border-destructive/40 bg-destructive/5 p-4">
        <h2 id="rejection-title" className="font-semibold">
          The platform rejected this application{page.decidedAt ? ` on ${utcDate(page.decidedAt)}` : ""}
        </h2>
        <p className="mt-1 text-sm">Reason: {page.rejectionReason ?? "none given"}</p>
      </section>
    );
  }
  if (page.state === "SUBMITTED") {
    return (
      <section aria-labelledby="pending-title" className="rounded-lg border p-4">
        <h2 id="pending-title" className="font-semibold">
          Waiting for an admin&apos;s decision
        </h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Submitted {utcDate(page.submittedAt)}. On approval you receive the financed credits and your pledge of {formatMicros(BigInt(page.pledgedMicros))} moves into the loan. You can withdraw it until then.
        </p>
      </section>
    );
  }
  return null;
}

/** Debt, coverage, collateral and days to margin call, each with its unit and how it is computed. */
export function LoanFigures({ page }: { page: StartupLoanPageDto }) {
  const f = page.figures;
  const days = page.outlook?.daysToMarginCall;
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard label="Debt (USD)" value={<Money micros={f.debtMicros} />} hint={<>Principal <Money micros={f.principalOutstandingMicros} /> + interest <Money micros={f.interestAccruedMicros} /></>} howComputed="Principal outstanding + interest accrued daily at APR ÷ 365 on the principal outstanding. Payments pay interest first." />
      <StatCard
        label="Coverage"
        value={<Bps bps={f.coverageBps} />}
        hint={`Maintenance ${formatBps(page.thresholds.maintenanceBps)} · liquidation ${formatBps(page.thresholds.liquidationBps)}`}
        howComputed="Collateral × mark ÷ debt. The mark is min(1, GPU index now ÷ at origination) × (1 − the 15% redistribution fee)."
      />
      <StatCard
        label="Collateral (USD)"
        value={f.collateralMicros === null ? "—" : <Money micros={f.collateralMicros} />}
        hint={f.frozenMicros !== null && BigInt(f.frozenMicros) > 0n ? <>of which frozen <Money micros={f.frozenMicros} /></> : `Pledged ${formatMicros(BigInt(page.pledgedMicros))}`}
        howComputed="The unspent credits of the loan's financed and pledged lots, frozen ones included."
      />
      <StatCard
        label="Days to margin call"
        value={page.outlook === null ? "—" : days === null || days === undefined ? `> ${page.outlook.horizonDays} days` : days === 0 ? "Now" : `${days} days`}
        hint={page.outlook?.marginCallDate ? `Projected ${page.outlook.marginCallDate}` : page.outlook ? `Burn ${formatMicros(BigInt(page.outlook.burnMicrosPerDay))}/day (7-day average)` : "Only an open loan has a projection."}
        howComputed="Coverage projected day by day from your 7-day burn, the installments on their due dates and the GPU index's 30-day trend, until it falls below maintenance."
      />
    </div>
  );
}

/** Coverage over the loan's life with its thresholds (initial, early warnings, maintenance, liquidation) and margin calls shaded. */
export function LoanCoverage({ page }: { page: StartupLoanPageDto }) {
  const t = page.thresholds;
  const lines: CoverageThresholdLine[] = [
    { label: "Initial", bps: t.initialBps, tone: "initial" },
    ...t.earlyWarningBps.map((bps, i) => ({ label: `Early warning ${i + 1}`, bps, tone: "warning" as const })),
    { label: "Maintenance", bps: t.maintenanceBps, tone: "maintenance" },
    { label: "Liquidation", bps: t.liquidationBps, tone: "liquidation" },
  ];
  const points = page.coverage.points.map((point) => ({ atMs: Date.parse(point.at), coverageBps: point.coverageBps }));
  const fromMs = page.activatedAt ? Date.parse(page.activatedAt) : (points[0]?.atMs ?? Date.parse(page.asOf));
  const toMs = Date.parse(page.coverage.endAt);
  const periods = page.coverage.marginCallPeriods.map((period) => ({ fromMs: Date.parse(period.from), toMs: Date.parse(period.to), isOpen: period.isOpen }));
  return (
    <LoanSection
      id="coverage"
      title="Coverage"
      description={`Collateral × mark ÷ debt since the loan started, with its thresholds; margin calls shaded.${page.coverage.downsampledToDays ? ` One point per ${page.coverage.downsampledToDays === 1 ? "day" : `${page.coverage.downsampledToDays} days`}.` : ""}`}
    >
      <CoverageHistoryChart points={points} thresholds={lines} marginCalls={periods} fromMs={Math.min(fromMs, toMs)} toMs={toMs} />
    </LoanSection>
  );
}
