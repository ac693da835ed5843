"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import Link from "next/link";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { toast } from "sonner";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PAGE_SIZES, type PageSize } from "@/lib/domain/valuation/portfolio-view";
import type { PlatformLoanDto, PlatformLoansDto } from "@/lib/server/queries/admin-loans";
import { cn } from "@/lib/utils";
import { PLATFORM_STATE_FILTERS, platformLoansViewQuery, type PlatformLoansView, type PlatformSortKey, type PlatformStateFilter } from "./loans-view";

export const adminLoanHref = (loan: Pick<PlatformLoanDto, "id">) => `/admin/loans/${encodeURIComponent(loan.id)}`;

const none = <span className="text-muted-foreground">—</span>;
const selectClass = "block h-9 rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50";

type Column = { key: PlatformSortKey; header: string; isRight?: boolean; firstDir: "asc" | "desc"; info?: string; cell: (loan: PlatformLoanDto, horizonDays: number) => ReactNode };

function daysToMarginCall(loan: PlatformLoanDto, horizonDays: number): ReactNode {
  if (!loan.isOpen) return none;
  if (loan.daysToMarginCall === null) return <span className="text-muted-foreground">&gt; {horizonDays} days</span>;
  if (loan.daysToMarginCall === 0) return <span className="font-medium text-destructive">Already below</span>;
  return <span className={cn(loan.daysToMarginCall <= 7 && "font-medium text-destructive")}>{loan.daysToMarginCall === 1 ? "1 day" : `${loan.daysToMarginCall} days`}</span>;
}

const COLUMNS: Column[] = [
  {
    key: "loan",
    header: "Loan",
    firstDir: "asc",
    cell: (loan) => (
      <Link href={adminLoanHref(loan)} className="group block rounded-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <span className="font-medium group-hover:underline">{loan.startupName}</span>
        <span className="block text-xs text-muted-foreground">{loan.reference}</span>
      </Link>
    ),
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
    cell: (loan) =>
      loan.collateralMicros === null ? (
        none
      ) : (
        <span>
          <Money micros={loan.collateralMicros} />
          <span className="block text-xs text-muted-foreground">
            <Money micros={loan.collateralValueMicros ?? "0"} /> at mark
          </span>
        </span>
      ),
  },
  {
    key: "daysToMarginCall",
    header: "Days to margin call",
    isRight: true,
    firstDir: "asc",
    info: "Coverage projected from the 7-day burn, the unpaid installments and the GPU index's 30-day trend: the first day below maintenance.",
    cell: daysToMarginCall,
  },
];

async function downloadCsv(view: PlatformLoansView) {
  const query = platformLoansViewQuery(view, ["state", "lender", "q", "sort", "dir"]);
  const response = await fetch(`/admin/loans/export${query ? `?${query}` : ""}`, { headers: { accept: "text/csv" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "blockable-loans.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

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
  const ids = { state: useId(), lender: useId(), search: useId(), pageSize: useId() };
  const [query, setQuery] = useState(view.q);
  const [isExporting, setIsExporting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const { total, pageCount } = loans.page;

  // The URL's search wins when it changes from elsewhere (back, a link), unless the admin is typing.
  useEffect(() => {
    if (document.activeElement !== searchRef.current) setQuery(view.q);
  }, [view.q]);
  // Search as you type, once typing pauses.
  useEffect(() => {
    if (query.trim() === view.q) return;
    const timer = setTimeout(() => onNavigate({ q: query.trim(), page: 1 }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [query, view.q, onNavigate]);

  const first = total === 0 ? 0 : (view.page - 1) * view.size + 1;
  const last = Math.min(total, view.page * view.size);

  const exportCsv = async () => {
    setIsExporting(true);
    try {
      await downloadCsv(view);
      toast.success(`Exported ${total.toLocaleString("en-US")} ${total === 1 ? "loan" : "loans"} as CSV.`);
    } catch (error) {
      toast.error(`The CSV could not be exported: ${(error as Error).message}`);
    } finally {
      setIsExporting(false);
    }
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-end gap-3">
          <div className="space-y-1.5">
            <label htmlFor={ids.state} className="text-sm font-medium">
              State
            </label>
            <select id={ids.state} value={view.state} onChange={(event) => onNavigate({ state: event.target.value as PlatformStateFilter, page: 1 })} className={selectClass}>
              {PLATFORM_STATE_FILTERS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1.5">
            <label htmlFor={ids.lender} className="text-sm font-medium">
              Lender
            </label>
            <select id={ids.lender} value={view.lender} onChange={(event) => onNavigate({ lender: event.target.value, page: 1 })} className={selectClass}>
              <option value="all">All lenders</option>
              {loans.lenders.map((lender) => (
                <option key={lender.id} value={lender.id}>
                  {lender.name}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1.5">
            <label htmlFor={ids.search} className="text-sm font-medium">
              Search loans
            </label>
            <div className="relative w-64 max-w-full">
              <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
              <Input
                ref={searchRef}
                id={ids.search}
                type="search"
                placeholder="Borrower, reference or lender"
                maxLength={100}
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") onNavigate({ q: query.trim(), page: 1 }, { replace: true });
                }}
                className="pl-8"
              />
            </div>
          </div>
        </div>
        <Button type="button" variant="outline" size="sm" disabled={total === 0 || isExporting} onClick={exportCsv}>
          <Download aria-hidden="true" />
          Export CSV
        </Button>
      </div>

      <div className={cn("rounded-lg border bg-card transition-opacity", isPending && "opacity-60")} aria-busy={isPending}>
        <Table>
          <caption className="sr-only">Loans across the platform</caption>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              {COLUMNS.map((column) => {
                const sorted = view.sort === column.key ? view.dir : false;
                const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
                const nextDir = sorted ? (sorted === "asc" ? "desc" : "asc") : column.firstDir;
                return (
                  <TableHead key={column.key} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"} className={cn(column.isRight && "text-right")}>
                    <span className={cn("inline-flex items-center gap-1", column.isRight && "flex-row-reverse")}>
                      <button
                        type="button"
                        onClick={() => onNavigate({ sort: column.key, dir: nextDir, page: 1 })}
                        className={cn("-mx-1 inline-flex items-center gap-1 rounded-sm px-1 uppercase outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50", column.isRight && "flex-row-reverse", sorted && "text-foreground")}
                      >
                        {column.header}
                        <Icon aria-hidden="true" className={cn("size-3.5", !sorted && "opacity-40")} />
                      </button>
                      {column.info ? <InfoTip label={column.header.toLowerCase()}>{column.info}</InfoTip> : null}
                    </span>
                  </TableHead>
                );
              })}
            </TableRow>
          </TableHeader>
          <TableBody>
            {loans.page.loans.length === 0 ? (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={COLUMNS.length} className="h-24 text-center text-muted-foreground">
                  No loans match the filter.
                </TableCell>
              </TableRow>
            ) : (
              loans.page.loans.map((loan) => (
                <TableRow key={loan.id}>
                  {COLUMNS.map((column) => (
                    <TableCell key={column.key} className={cn(column.isRight && "num text-right")}>
                      {column.cell(loan, loans.horizonDays)}
                    </TableCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
        <div className="flex items-center gap-2">
          <label htmlFor={ids.pageSize}>Rows per page</label>
          <select id={ids.pageSize} value={view.size} onChange={(event) => onNavigate({ size: Number(event.target.value) as PageSize, page: 1 })} className={cn(selectClass, "h-8")}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-3">
          <p className="num" aria-live="polite">
            {total === 0 ? "No loans" : `Loans ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
          </p>
          <div className="flex items-center gap-1">
            <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Previous page" onClick={() => onNavigate({ page: view.page - 1 })} disabled={view.page <= 1}>
              <ChevronLeft aria-hidden="true" />
            </Button>
            <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Next page" onClick={() => onNavigate({ page: view.page + 1 })} disabled={view.page >= pageCount}>
              <ChevronRight aria-hidden="true" />
            </Button>
          </div>
        </div>
      </div>
    </div>
  );
}
