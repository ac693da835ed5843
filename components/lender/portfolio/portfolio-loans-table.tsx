"use client";

import { useId, useMemo, useState, type MouseEvent, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type FilterFn,
  type PaginationState,
  type SortingFn,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { Sparkline } from "@/components/charts/sparkline";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatBps } from "@/lib/domain/money";
import type { PortfolioLoanDto } from "@/lib/server/queries/lender-portfolio";
import { cn } from "@/lib/utils";
import { portfolioCsv } from "./portfolio-csv";
import { STATE_FILTERS, matchesStateFilter, type StateFilter } from "./state-filter";

const PAGE_SIZES = [10, 25, 50, 100] as const;

const utcDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const utcMinute = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

export const loanHref = (loan: Pick<PortfolioLoanDto, "id">) => `/lender/loans/${encodeURIComponent(loan.id)}`;

// ───────────────────────────── Sorting ─────────────────────────────

/** Open loans by coverage (∞ after every finite one), closed loans after every open one. */
const coverageRank = (loan: PortfolioLoanDto) => (!loan.isOpen ? Number.POSITIVE_INFINITY : loan.coverageBps === null ? Number.MAX_VALUE : loan.coverageBps);
const daysRank = (loan: PortfolioLoanDto) => (!loan.isOpen ? Number.POSITIVE_INFINITY : loan.daysToMarginCall === null ? Number.MAX_VALUE : loan.daysToMarginCall);
const compareNumbers = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
const compareMicros = (a: string | null, b: string | null) => {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const by =
  (rank: (loan: PortfolioLoanDto) => number): SortingFn<PortfolioLoanDto> =>
  (a, b) =>
    compareNumbers(rank(a.original), rank(b.original));
const byMicros =
  (pick: (loan: PortfolioLoanDto) => string | null): SortingFn<PortfolioLoanDto> =>
  (a, b) =>
    compareMicros(pick(a.original), pick(b.original));

/** "Search loans" looks in the borrower's name, the loan's reference and the facility's name. */
function matchesSearch(loan: PortfolioLoanDto, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [loan.startupName, loan.reference, loan.facilityName ?? ""].some((text) => text.toLowerCase().includes(needle));
}

const searchFilter: FilterFn<PortfolioLoanDto> = (row, _columnId, query: string) => matchesSearch(row.original, query);

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
  if (loan.daysToMarginCall === 0) return <span className="font-medium text-destructive">Below now</span>;
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

type ColumnInfo = { align?: "right"; info?: ReactNode };

function columnsFor(horizonDays: number): (ColumnDef<PortfolioLoanDto> & { meta?: ColumnInfo })[] {
  return [
    {
      id: "loan",
      header: "Loan",
      accessorFn: (loan) => loan.startupName,
      cell: ({ row }) => (
        <Link href={loanHref(row.original)} className="group block rounded-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
          <span className="font-medium group-hover:underline">{row.original.startupName}</span>
          <span className="block text-xs text-muted-foreground">{row.original.reference}</span>
        </Link>
      ),
    },
    { id: "state", header: "State", accessorFn: (loan) => loan.watchStatus, cell: ({ row }) => <StateCell loan={row.original} /> },
    {
      id: "coverage",
      header: "Coverage",
      accessorFn: coverageRank,
      sortingFn: by(coverageRank),
      cell: ({ row }) => <CoverageCell loan={row.original} />,
      meta: {
        align: "right",
        info: "Collateral × today's mark ÷ debt, live. The line: coverage at the end of each of the last 30 UTC days, from the stored snapshots; the dashed line is the loan's maintenance level when it is near.",
      },
    },
    {
      id: "debt",
      header: "Debt",
      accessorFn: (loan) => loan.debtMicros,
      sortingFn: byMicros((loan) => loan.debtMicros),
      cell: ({ row }) => (row.original.debtMicros === null ? <span className="text-muted-foreground">—</span> : <Money micros={row.original.debtMicros} />),
      meta: { align: "right", info: "Principal outstanding plus interest accrued to now." },
    },
    {
      id: "collateral",
      header: "Collateral",
      accessorFn: (loan) => loan.collateralMicros,
      sortingFn: byMicros((loan) => loan.collateralMicros),
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
      meta: { align: "right", info: "Unspent credits of the loan's financed and pledged lots (frozen ones included), in USD at face value; below, their value at today's mark, rounded down." },
    },
    {
      id: "daysToMarginCall",
      header: "Days to margin call",
      accessorFn: daysRank,
      sortingFn: by(daysRank),
      cell: ({ row }) => <DaysToMarginCallCell loan={row.original} horizonDays={horizonDays} />,
      meta: {
        align: "right",
        info: `Coverage projected day by day from the 7-day burn, the unpaid installments (assumed paid on their due day) and the GPU index's 30-day trend; the first day below maintenance. Looked at ${horizonDays} days ahead.`,
      },
    },
    {
      id: "burn",
      header: "7-day burn",
      accessorFn: (loan) => loan.burnMicrosPerDay,
      sortingFn: byMicros((loan) => loan.burnMicrosPerDay),
      cell: ({ row }) =>
        row.original.burnMicrosPerDay === null ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          <span>
            <Money micros={row.original.burnMicrosPerDay} />
            <span className="text-xs text-muted-foreground">/day</span>
          </span>
        ),
      meta: { align: "right", info: "The borrower's average spend per day over the last 7 complete UTC days (since the loan began, if later), from the daily usage rollups, rounded up." },
    },
    {
      id: "nextInstallment",
      header: "Next installment",
      accessorFn: (loan) => loan.nextInstallment?.dueAt ?? null,
      sortingFn: (a, b) => {
        const x = a.original.nextInstallment?.dueAt ?? "9999";
        const y = b.original.nextInstallment?.dueAt ?? "9999";
        return x < y ? -1 : x > y ? 1 : 0;
      },
      cell: ({ row }) => <NextInstallmentCell loan={row.original} />,
      meta: { align: "right", info: "The earliest installment not yet paid in full: what is left of it, and its due date (UTC)." },
    },
    {
      id: "alerts",
      header: "Alerts",
      accessorFn: (loan) => loan.openAlerts,
      cell: ({ row }) => (row.original.openAlerts > 0 ? <span className="font-medium">{row.original.openAlerts}</span> : <span className="text-muted-foreground">0</span>),
      meta: { align: "right", info: "Open alerts on this loan, not yet acknowledged." },
    },
  ];
}

function downloadCsv(loans: PortfolioLoanDto[], filename: string) {
  // The BOM makes Excel read the file as UTF-8.
  const blob = new Blob(["\uFEFF", portfolioCsv(loans)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// ───────────────────────────── Table ─────────────────────────────

export function PortfolioLoansTable({
  loans,
  horizonDays,
  stateFilter,
  onStateFilterChange,
  asOf,
}: {
  loans: PortfolioLoanDto[];
  horizonDays: number;
  stateFilter: StateFilter;
  onStateFilterChange: (filter: StateFilter) => void;
  asOf: string;
}) {
  const router = useRouter();
  const ids = { state: useId(), search: useId(), pageSize: useId() };
  const [sorting, setSorting] = useState<SortingState>([{ id: "coverage", desc: false }]);
  const [search, setSearch] = useState("");
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: 25 });
  const columns = useMemo(() => columnsFor(horizonDays), [horizonDays]);
  const data = useMemo(() => loans.filter((loan) => matchesStateFilter(loan, stateFilter)), [loans, stateFilter]);
  const matching = useMemo(() => data.filter((loan) => matchesSearch(loan, search)).length, [data, search]);
  // A filter (or new figures every 30 s) that shrinks the list below the current page shows its last page, not an empty one.
  const pageIndex = Math.min(pagination.pageIndex, Math.max(0, Math.ceil(matching / pagination.pageSize) - 1));

  const table = useReactTable({
    data,
    columns,
    getRowId: (loan) => loan.id,
    state: { sorting, globalFilter: search, pagination: { pageIndex, pageSize: pagination.pageSize } },
    onSortingChange: setSorting,
    onPaginationChange: setPagination,
    onGlobalFilterChange: setSearch,
    globalFilterFn: searchFilter,
    getColumnCanGlobalFilter: (column) => column.id === "loan",
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    // New figures every 30 s must not throw the analyst back to page 1.
    autoResetPageIndex: false,
  });

  const { pageSize } = pagination;
  const total = table.getFilteredRowModel().rows.length;
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);

  const openRow = (event: MouseEvent<HTMLTableRowElement>, loan: PortfolioLoanDto) => {
    // The first cell's link handles keyboard, middle and modified clicks; a click elsewhere on the row opens the loan too.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if ((event.target as HTMLElement).closest("a, button, input, select, label")) return;
    if (window.getSelection()?.toString()) return;
    router.push(loanHref(loan));
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
              value={stateFilter}
              onChange={(event) => {
                onStateFilterChange(event.target.value as StateFilter);
                table.setPageIndex(0);
              }}
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
                id={ids.search}
                type="search"
                placeholder="Borrower, reference or facility"
                value={search}
                onChange={(event) => {
                  setSearch(event.target.value);
                  table.setPageIndex(0);
                }}
                className="pl-8"
              />
            </div>
          </div>
        </div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={total === 0}
          onClick={() => downloadCsv(
            table.getPrePaginationRowModel().rows.map((row) => row.original),
            `blockable-portfolio-${asOf.slice(0, 10)}.csv`,
          )}
        >
          <Download aria-hidden="true" />
          Export CSV
        </Button>
      </div>

      <div className="rounded-lg border bg-card">
        <Table>
          <caption className="sr-only">Loans</caption>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const { column } = header;
                  const meta = column.columnDef.meta as ColumnInfo | undefined;
                  const isRight = meta?.align === "right";
                  const sorted = column.getIsSorted();
                  const label = flexRender(column.columnDef.header, header.getContext());
                  const labelText = typeof column.columnDef.header === "string" ? column.columnDef.header : column.id;
                  return (
                    <TableHead
                      key={header.id}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                      className={cn(isRight && "text-right")}
                    >
                      <span className={cn("inline-flex items-center gap-1", isRight && "flex-row-reverse")}>
                        <button
                          type="button"
                          onClick={column.getToggleSortingHandler()}
                          className={cn(
                            "-mx-1 inline-flex items-center gap-1 rounded-sm px-1 uppercase outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                            isRight && "flex-row-reverse",
                            sorted && "text-foreground",
                          )}
                        >
                          {label}
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden="true" className="size-3.5" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden="true" className="size-3.5" />
                          ) : (
                            <ArrowUpDown aria-hidden="true" className="size-3.5 opacity-40" />
                          )}
                        </button>
                        {meta?.info ? <InfoTip label={labelText.toLowerCase()}>{meta.info}</InfoTip> : null}
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
                    <TableCell key={cell.id} className={cn((cell.column.columnDef.meta as ColumnInfo | undefined)?.align === "right" && "num text-right")}>
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
            value={pageSize}
            onChange={(event) => table.setPageSize(Number(event.target.value))}
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
            {total === 0 ? "No loans" : `Loans ${first}–${last} of ${total}`}
          </p>
          <div className="flex items-center gap-1">
            <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Previous page" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
              <ChevronLeft aria-hidden="true" />
            </Button>
            <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Next page" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
              <ChevronRight aria-hidden="true" />
            </Button>
          </div>
        </div>
      </div>
    </div>
  );
}
