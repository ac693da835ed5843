"use client";

import { useMemo, type MouseEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Sparkline } from "@/components/charts/sparkline";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { FilterSelect, ServerPagedTable, type ServerColumn } from "@/components/ui/server-table";
import { formatBps } from "@/lib/domain/money";
import { PAGE_SIZES, portfolioViewQuery, STATE_FILTERS, type PortfolioView, type SortKey } from "@/lib/domain/valuation/portfolio-view";
import type { PortfolioLoanDto } from "@/lib/server/queries/lender-portfolio";
import { cn } from "@/lib/utils";

const utcDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const utcMinute = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

export const loanHref = (loan: Pick<PortfolioLoanDto, "id">) => `/lender/loans/${encodeURIComponent(loan.id)}`;

// ───────────────────────────── Cells ─────────────────────────────

function CoverageCell({ loan }: { loan: PortfolioLoanDto }) {
  if (!loan.isOpen) return <span className="text-muted-foreground">—</span>;
  const shown = loan.coverageDailyBps.filter((bps): bps is number => bps !== null);
  const isBelowMaintenance = loan.coverageBps !== null && loan.coverageBps < loan.maintenanceBps;
  const trend = shown.length === 0 ? "no stored snapshots in the last 30 days" : `over 30 days from ${formatBps(shown[0])} to ${formatBps(shown[shown.length - 1])}, lowest ${formatBps(Math.min(...shown))}`;
  return (
    <div className="flex items-center justify-end gap-3">
      <Sparkline values={loan.coverageDailyBps} referenceValue={loan.maintenanceBps} isAlarming={isBelowMaintenance} label={`${loan.startupName} coverage: ${trend}`} />
      <Bps bps={loan.coverageBps} className={cn("w-16 text-right font-medium", isBelowMaintenance && "text-destructive")} />
    </div>
  );
}

function DaysToMarginCallCell({ loan, horizonDays }: { loan: PortfolioLoanDto; horizonDays: number }) {
  if (!loan.isOpen) return <span className="text-muted-foreground">—</span>;
  if (loan.daysToMarginCall === null) return <span className="text-muted-foreground">&gt; {horizonDays} days</span>;
  if (loan.daysToMarginCall === 0) return <span className="font-medium text-destructive">Already below</span>;
  return (
    <span className={cn(loan.daysToMarginCall <= 7 && "font-medium text-destructive", loan.daysToMarginCall > 7 && loan.daysToMarginCall <= 30 && "text-warning")}>
      {loan.daysToMarginCall} {loan.daysToMarginCall === 1 ? "day" : "days"}
      {loan.marginCallDate ? <span className="block text-xs text-muted-foreground">{utcDate.format(new Date(`${loan.marginCallDate}T00:00:00Z`))}</span> : null}
    </span>
  );
}

function NextInstallmentCell({ loan }: { loan: PortfolioLoanDto }) {
  const next = loan.nextInstallment;
  if (!next) return <span className="text-muted-foreground">—</span>;
  return (
    <span>
      <Money micros={next.amountMicros} />
      <span className={cn("block text-xs", next.isOverdue ? "font-medium text-destructive" : "text-muted-foreground")}>
        {next.isOverdue ? "overdue since " : "due "}
        {utcDate.format(new Date(next.dueAt))}
      </span>
    </span>
  );
}

type LoanLabels = Pick<PortfolioLoanDto, "startupName" | "reference">;

/** The first cell: the borrower and the reference, one link to the loan's page. */
export function LoanLinkCell({ loan, href }: { loan: LoanLabels; href: string }) {
  return (
    <Link href={href} className="group block rounded-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
      <span className="font-medium group-hover:underline">{loan.startupName}</span>
      <span className="block text-xs text-muted-foreground">{loan.reference}</span>
    </Link>
  );
}

/** The collateral at face value and, below, at today's mark; — for a loan without collateral. */
export function CollateralCell({ loan }: { loan: Pick<PortfolioLoanDto, "collateralMicros" | "collateralValueMicros"> }) {
  if (loan.collateralMicros === null) return <span className="text-muted-foreground">—</span>;
  return (
    <span>
      <Money micros={loan.collateralMicros} />
      <span className="block text-xs text-muted-foreground">
        <Money micros={loan.collateralValueMicros ?? "0"} /> at mark
      </span>
    </span>
  );
}

function StateCell({ loan }: { loan: PortfolioLoanDto }) {
  return (
    <div className="flex flex-col items-start gap-1">
      <div className="flex flex-wrap gap-1">
        <LoanStateBadge state={loan.state} />
        {loan.watchStatus === "EARLY_WARNING" ? <Badge variant="warning">early warning</Badge> : null}
      </div>
      {loan.state === "MARGIN_CALL" && loan.cureDeadline ? <span className="text-xs text-muted-foreground">cure ends {utcMinute.format(new Date(loan.cureDeadline))} UTC</span> : null}
    </div>
  );
}

// ───────────────────────────── Columns ─────────────────────────────

function columnsFor(horizonDays: number): ServerColumn<PortfolioLoanDto, SortKey>[] {
  return [
    {
      key: "loan",
      header: "Loan",
      firstDir: "asc",
      cell: (loan) => <LoanLinkCell loan={loan} href={loanHref(loan)} />,
    },
    { key: "state", header: "State", firstDir: "asc", info: "Sorted by what needs you first: frozen, margin call, delinquent, early warning, active, then closed loans.", cell: (loan) => <StateCell loan={loan} /> },
    {
      key: "coverage",
      header: "Coverage",
      isRight: true,
      firstDir: "asc",
      info: "Collateral × today's mark ÷ debt, live. The line: coverage at the end of each of the last 30 UTC days, from the stored snapshots; the dashed line is the loan's maintenance level when it is near.",
      cell: (loan) => <CoverageCell loan={loan} />,
    },
    {
      key: "debt",
      header: "Debt",
      isRight: true,
      firstDir: "desc",
      info: "Principal outstanding plus interest accrued to now, USD.",
      cell: (loan) => (loan.debtMicros === null ? <span className="text-muted-foreground">—</span> : <Money micros={loan.debtMicros} />),
    },
    {
      key: "collateral",
      header: "Collateral",
      isRight: true,
      firstDir: "desc",
      info: "Unspent credits of the loan's financed and pledged lots (frozen ones included), USD at face value; below, their value at today's mark, rounded down.",
      cell: (loan) => <CollateralCell loan={loan} />,
    },
    {
      key: "daysToMarginCall",
      header: "Days to margin call",
      isRight: true,
      firstDir: "asc",
      info: `Coverage projected day by day from the 7-day burn, the unpaid installments (assumed paid on their due day) and the GPU index's 30-day trend; the first day below maintenance. Looked at ${horizonDays} days ahead.`,
      cell: (loan) => <DaysToMarginCallCell loan={loan} horizonDays={horizonDays} />,
    },
    {
      key: "burn",
      header: "7-day burn",
      isRight: true,
      firstDir: "desc",
      info: "The borrower's average spend per day over the last 7 complete UTC days (since the loan began, if later), from the daily usage rollups, rounded up. USD a day.",
      cell: (loan) =>
        loan.burnMicrosPerDay === null ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          <span>
            <Money micros={loan.burnMicrosPerDay} />
            <span className="text-xs text-muted-foreground">/day</span>
          </span>
        ),
    },
    {
      key: "nextInstallment",
      header: "Next installment",
      isRight: true,
      firstDir: "asc",
      info: "The earliest installment not yet paid in full: what is left of it (USD) and its due date (UTC).",
      cell: (loan) => <NextInstallmentCell loan={loan} />,
    },
    {
      key: "alerts",
      header: "Alerts",
      isRight: true,
      firstDir: "desc",
      infoLabel: "open alerts",
      info: "Open alerts on this loan, not yet acknowledged.",
      cell: (loan) => (loan.openAlerts > 0 ? <span className="font-medium">{loan.openAlerts}</span> : <span className="text-muted-foreground">0</span>),
    },
  ];
}

// ───────────────────────────── Table ─────────────────────────────

/**
 * One page of the loans table, as the server selected it from the view in the URL (state, search,
 * sort, page): every change asks the server for the new page (`onNavigate`), so a book of
 * thousands ships one page, and a link or a reload shows the same table.
 */
export function PortfolioLoansTable({
  loans,
  total,
  pageCount,
  view,
  horizonDays,
  isPending,
  onNavigate,
}: {
  loans: PortfolioLoanDto[];
  total: number;
  pageCount: number;
  view: PortfolioView;
  horizonDays: number;
  isPending: boolean;
  onNavigate: (patch: Partial<PortfolioView>, options?: { replace?: boolean }) => void;
}) {
  const router = useRouter();
  const columns = useMemo(() => columnsFor(horizonDays), [horizonDays]);
  const exportQuery = portfolioViewQuery(view, ["state", "q", "sort", "dir"]);

  const openRow = (event: MouseEvent<HTMLTableRowElement>, loan: PortfolioLoanDto) => {
    // The first cell's link handles keyboard, middle and modified clicks; a click elsewhere on the row opens the loan too.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if ((event.target as HTMLElement).closest("a, button, input, select, label")) return;
    if (window.getSelection()?.toString()) return;
    router.push(loanHref(loan));
  };

  return (
    <ServerPagedTable
      caption="Loans"
      noun={{ one: "loan", many: "loans" }}
      columns={columns}
      rows={loans}
      rowKey={(loan) => loan.id}
      onRowClick={openRow}
      view={view}
      total={total}
      pageCount={pageCount}
      pageSizes={PAGE_SIZES}
      isPending={isPending}
      onNavigate={onNavigate}
      filters={<FilterSelect label="State" value={view.state} options={STATE_FILTERS} onChange={(state) => onNavigate({ state, page: 1 })} />}
      search={{ label: "Search loans", placeholder: "Borrower, reference or facility" }}
      csv={{ url: `/api/lender/portfolio/export${exportQuery ? `?${exportQuery}` : ""}`, fallbackFilename: "blockable-portfolio.csv" }}
    />
  );
}
