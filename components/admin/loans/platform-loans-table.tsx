"use client";

import { useMemo, type ReactNode } from "react";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { CollateralCell, LoanLinkCell } from "@/components/lender/portfolio/portfolio-loans-table";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { FilterSelect, ServerPagedTable, type ServerColumn } from "@/components/ui/server-table";
import { PAGE_SIZES } from "@/lib/domain/valuation/portfolio-view";
import type { PlatformLoanDto, PlatformLoansDto } from "@/lib/server/queries/admin-loans";
import { cn } from "@/lib/utils";
import { PLATFORM_STATE_FILTERS, platformLoansViewQuery, type PlatformLoansView, type PlatformSortKey } from "./loans-view";

export const adminLoanHref = (loan: Pick<PlatformLoanDto, "id">) => `/admin/loans/${encodeURIComponent(loan.id)}`;

const none = <span className="text-muted-foreground">—</span>;

function daysToMarginCall(loan: PlatformLoanDto, horizonDays: number): ReactNode {
  if (!loan.isOpen) return none;
  if (loan.daysToMarginCall === null) return <span className="text-muted-foreground">&gt; {horizonDays} days</span>;
  if (loan.daysToMarginCall === 0) return <span className="font-medium text-destructive">Already below</span>;
  return <span className={cn(loan.daysToMarginCall <= 7 && "font-medium text-destructive")}>{loan.daysToMarginCall === 1 ? "1 day" : `${loan.daysToMarginCall} days`}</span>;
}

const columnsFor = (horizonDays: number): ServerColumn<PlatformLoanDto, PlatformSortKey>[] => [
  {
    key: "loan",
    header: "Loan",
    firstDir: "asc",
    cell: (loan) => <LoanLinkCell loan={loan} href={adminLoanHref(loan)} />,
  },
  { key: "lender", header: "Lender", firstDir: "asc", cell: (loan) => loan.lenderName ?? <span className="text-muted-foreground">Not chosen yet</span> },
  {
    key: "state",
    header: "State",
    firstDir: "asc",
    info: "Sorted by what needs attention first: frozen, margin call, delinquent, early warning, active, then closed loans and applications.",
    cell: (loan) => (
      <span className="flex flex-wrap gap-1">
        <LoanStateBadge state={loan.state} />
        {loan.watchStatus === "EARLY_WARNING" ? <Badge variant="warning">early warning</Badge> : null}
      </span>
    ),
  },
  {
    key: "coverage",
    header: "Coverage",
    isRight: true,
    firstDir: "asc",
    info: "Collateral × today's mark ÷ debt, live, in %: the lender's own figure. ∞ when nothing is owed; — for a loan without collateral (closed, or not disbursed).",
    cell: (loan) => (loan.isOpen ? <Bps bps={loan.coverageBps} className={cn("font-medium", loan.coverageBps !== null && loan.coverageBps < loan.maintenanceBps && "text-destructive")} /> : none),
  },
  { key: "debt", header: "Debt", isRight: true, firstDir: "desc", info: "USD: principal outstanding plus interest accrued to now.", cell: (loan) => (loan.debtMicros === null ? none : <Money micros={loan.debtMicros} />) },
  {
    key: "collateral",
    header: "Collateral",
    isRight: true,
    firstDir: "desc",
    info: "USD of unspent credits of the loan's financed and pledged lots (frozen ones included); below, their value at today's mark.",
    cell: (loan) => <CollateralCell loan={loan} />,
  },
  {
    key: "daysToMarginCall",
    header: "Days to margin call",
    isRight: true,
    firstDir: "asc",
    info: "Coverage projected from the 7-day burn, the unpaid installments and the GPU index's 30-day trend: the first day below maintenance.",
    cell: (loan) => daysToMarginCall(loan, horizonDays),
  },
];

/**
 * One page of every lender's loans, as the server selected it from the view in the URL (state,
 * lender, search, sort, page): each change asks the server for the new page (`onNavigate`).
 */
export function PlatformLoansTable({
  loans,
  view,
  isPending,
  onNavigate,
}: {
  loans: PlatformLoansDto;
  view: PlatformLoansView;
  isPending: boolean;
  onNavigate: (patch: Partial<PlatformLoansView>, options?: { replace?: boolean }) => void;
}) {
  const columns = useMemo(() => columnsFor(loans.horizonDays), [loans.horizonDays]);
  const exportQuery = platformLoansViewQuery(view, ["state", "lender", "q", "sort", "dir"]);
  return (
    <ServerPagedTable
      caption="Loans across the platform"
      noun={{ one: "loan", many: "loans" }}
      columns={columns}
      rows={loans.page.loans}
      rowKey={(loan) => loan.id}
      view={view}
      total={loans.page.total}
      pageCount={loans.page.pageCount}
      pageSizes={PAGE_SIZES}
      isPending={isPending}
      onNavigate={onNavigate}
      filters={
        <>
          <FilterSelect label="State" value={view.state} options={PLATFORM_STATE_FILTERS} onChange={(state) => onNavigate({ state, page: 1 })} />
          <FilterSelect label="Lender" value={view.lender} options={[{ value: "all", label: "All lenders" }, ...loans.lenders.map((lender) => ({ value: lender.id, label: lender.name }))]} onChange={(lender) => onNavigate({ lender, page: 1 })} />
        </>
      }
      search={{ label: "Search loans", placeholder: "Borrower, reference or lender" }}
      csv={{ url: `/admin/loans/export${exportQuery ? `?${exportQuery}` : ""}`, fallbackFilename: "blockable-loans.csv" }}
    />
  );
}
