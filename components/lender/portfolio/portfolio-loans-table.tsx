"use client";

import { useEffect, useId, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { toast } from "sonner";
import { Sparkline } from "@/components/charts/sparkline";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatBps } from "@/lib/domain/money";
import { PAGE_SIZES, portfolioViewQuery, STATE_FILTERS, type PageSize, type PortfolioView, type SortKey, type StateFilter } from "@/lib/domain/valuation/portfolio-view";
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

type ColumnInfo = { align?: "right"; info?: ReactNode; infoLabel?: string; firstDir: "asc" | "desc" };
type PortfolioColumn = ColumnDef<PortfolioLoanDto> & { id: SortKey; meta: ColumnInfo };

function columnsFor(horizonDays: number): PortfolioColumn[] {
  return [
    {
      id: "loan",
      header: "Loan",
      cell: ({ row }) => (
        <Link href={loanHref(row.original)} className="group block rounded-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
          <span className="font-medium group-hover:underline">{row.original.startupName}</span>
          <span className="block text-xs text-muted-foreground">{row.original.reference}</span>
        </Link>
      ),
      meta: { firstDir: "asc" },
    },
    { id: "state", header: "State", cell: ({ row }) => <StateCell loan={row.original} />, meta: { firstDir: "asc", info: "Sorted by what needs you first: frozen, margin call, delinquent, early warning, active, then closed loans." } },
    {
      id: "coverage",
      header: "Coverage",
      cell: ({ row }) => <CoverageCell loan={row.original} />,
      meta: {
        align: "right",
        firstDir: "asc",
        info: "Collateral × today's mark ÷ debt, live. The line: coverage at the end of each of the last 30 UTC days, from the stored snapshots; the dashed line is the loan's maintenance level when it is near.",
      },
    },
    {
      id: "debt",
      header: "Debt",
      cell: ({ row }) => (row.original.debtMicros === null ? <span className="text-muted-foreground">—</span> : <Money micros={row.original.debtMicros} />),
      meta: { align: "right", firstDir: "desc", info: "Principal outstanding plus interest accrued to now, USD." },
    },
    {
      id: "collateral",
      header: "Collateral",
      cell: ({ row }) =>
        row.original.collateralMicros === null ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          <span>
            <Money micros={row.original.collateralMicros} />
            <span className="block text-xs text-muted-foreground">
              <Money micros={row.original.collateralValueMicros!} /> at mark
            </span>
          </span>
        ),
      meta: { align: "right", firstDir: "desc", info: "Unspent credits of the loan's financed and pledged lots (frozen ones included), USD at face value; below, their value at today's mark, rounded down." },
    },
    {
      id: "daysToMarginCall",
      header: "Days to margin call",
      cell: ({ row }) => <DaysToMarginCallCell loan={row.original} horizonDays={horizonDays} />,
      meta: {
        align: "right",
        firstDir: "asc",
        info: `Coverage projected day by day from the 7-day burn, the unpaid installments (assumed paid on their due day) and the GPU index's 30-day trend; the first day below maintenance. Looked at ${horizonDays} days ahead.`,
      },
    },
    {
      id: "burn",
      header: "7-day burn",
      cell: ({ row }) =>
        row.original.burnMicrosPerDay === null ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          <span>
            <Money micros={row.original.burnMicrosPerDay} />
            <span className="text-xs text-muted-foreground">/day</span>
          </span>
        ),
      meta: { align: "right", firstDir: "desc", info: "The borrower's average spend per day over the last 7 complete UTC days (since the loan began, if later), from the daily usage rollups, rounded up. USD a day." },
    },
    {
      id: "nextInstallment",
      header: "Next installment",
      cell: ({ row }) => <NextInstallmentCell loan={row.original} />,
      meta: { align: "right", firstDir: "asc", info: "The earliest installment not yet paid in full: what is left of it (USD) and its due date (UTC)." },
    },
    {
      id: "alerts",
      header: "Alerts",
      cell: ({ row }) => (row.original.openAlerts > 0 ? <span className="font-medium">{row.original.openAlerts}</span> : <span className="text-muted-foreground">0</span>),
      meta: { align: "right", firstDir: "desc", infoLabel: "open alerts", info: "Open alerts on this loan, not yet acknowledged." },
    },
  ];
}

async function downloadCsv(view: PortfolioView) {
  const query = portfolioViewQuery(view, ["state", "q", "sort", "dir"]);
  const response = await fetch(`/api/lender/portfolio/export${query ? `?${query}` : ""}`, { headers: { accept: "text/csv" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "blockable-portfolio.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
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
  const ids = { state: useId(), search: useId(), pageSize: useId() };
  const columns = useMemo(() => columnsFor(horizonDays), [horizonDays]);
  const [query, setQuery] = useState(view.q);
  const [isExporting, setIsExporting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // The URL's search wins when it changes from elsewhere (back, a link), unless the analyst is typing.
  useEffect(() => {
    if (document.activeElement !== searchRef.current) setQuery(view.q);
  }, [view.q]);
  // Search as you type, once typing pauses.
  useEffect(() => {
    if (query.trim() === view.q) return;
    const timer = setTimeout(() => onNavigate({ q: query.trim(), page: 1 }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [query, view.q, onNavigate]);

  const table = useReactTable({
    data: loans,
    columns,
    getRowId: (loan) => loan.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount,
    state: { sorting: [{ id: view.sort, desc: view.dir === "desc" }], pagination: { pageIndex: view.page - 1, pageSize: view.size } },
  });

  const sortBy = (column: PortfolioColumn) => {
    const dir = view.sort === column.id ? (view.dir === "asc" ? "desc" : "asc") : column.meta.firstDir;
    onNavigate({ sort: column.id, dir, page: 1 });
  };

  const first = total === 0 ? 0 : (view.page - 1) * view.size + 1;
  const last = Math.min(total, view.page * view.size);

  const openRow = (event: MouseEvent<HTMLTableRowElement>, loan: PortfolioLoanDto) => {
    // The first cell's link handles keyboard, middle and modified clicks; a click elsewhere on the row opens the loan too.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if ((event.target as HTMLElement).closest("a, button, input, select, label")) return;
    if (window.getSelection()?.toString()) return;
    router.push(loanHref(loan));
  };

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
            <select
              id={ids.state}
              value={view.state}
              onChange={(event) => onNavigate({ state: event.target.value as StateFilter, page: 1 })}
              className="block h-9 rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              {STATE_FILTERS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
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
                placeholder="Borrower, reference or facility"
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
          <caption className="sr-only">Loans</caption>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const column = header.column.columnDef as PortfolioColumn;
                  const isRight = column.meta.align === "right";
                  const sorted = view.sort === column.id ? view.dir : false;
                  const labelText = String(column.header);
                  return (
                    <TableHead key={header.id} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"} className={cn(isRight && "text-right")}>
                      <span className={cn("inline-flex items-center gap-1", isRight && "flex-row-reverse")}>
                        <button
                          type="button"
                          onClick={() => sortBy(column)}
                          className={cn(
                            "-mx-1 inline-flex items-center gap-1 rounded-sm px-1 uppercase outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                            isRight && "flex-row-reverse",
                            sorted && "text-foreground",
                          )}
                        >
                          {flexRender(column.header, header.getContext())}
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden="true" className="size-3.5" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden="true" className="size-3.5" />
                          ) : (
                            <ArrowUpDown aria-hidden="true" className="size-3.5 opacity-40" />
                          )}
                        </button>
                        {column.meta.info ? <InfoTip label={column.meta.infoLabel ?? labelText.toLowerCase()}>{column.meta.info}</InfoTip> : null}
                      </span>
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.length === 0 ? (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={columns.length} className="h-24 text-center text-muted-foreground">
                  No loans match the filter.
                </TableCell>
              </TableRow>
            ) : (
              table.getRowModel().rows.map((row) => (
                <TableRow key={row.id} onClick={(event) => openRow(event, row.original)} className="cursor-pointer">
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} className={cn((cell.column.columnDef as PortfolioColumn).meta.align === "right" && "num text-right")}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
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
          <select
            id={ids.pageSize}
            value={view.size}
            onChange={(event) => onNavigate({ size: Number(event.target.value) as PageSize, page: 1 })}
            className="h-8 rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
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
