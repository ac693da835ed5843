"use client";

import { useCallback, useEffect, useEffectEvent, useId, useRef, useState, useTransition, type MouseEvent, type ReactNode } from "react";
import { usePathname, useRouter } from "next/navigation";
import { toast } from "sonner";
import { InfoTip } from "@/components/ui/info-tip";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AlignedCell, ariaSortOf, downloadBlob, EmptyTableRow, ExportCsvButton, SearchInput, SortButton, TablePager, tableSelectClass } from "@/components/ui/table-parts";
import { cn } from "@/lib/utils";

// A table paged, sorted, filtered and searched on the server: the view lives in the URL, every
// change asks the server for the new page (`onNavigate`), so a book of thousands ships one page and
// a link or a reload shows the same table. The lender's Portfolio and the admin's loans use it.

/** What such a table reads of its view (the URL's); the screen's own view adds its filters. */
export type ServerTableView<TSortKey extends string> = { q: string; sort: TSortKey; dir: "asc" | "desc"; page: number; size: number };

export type ServerColumn<TRow, TSortKey extends string> = {
  key: TSortKey;
  header: string;
  isRight?: boolean;
  /** The direction of the first click on the header. */
  firstDir: "asc" | "desc";
  /** How the column is computed, behind an info button named "<infoLabel>" (the header, lower case, by default). */
  info?: ReactNode;
  infoLabel?: string;
  cell: (row: TRow) => ReactNode;
};

type NavigateOptions = { replace?: boolean };

/**
 * The screen's `navigate(patch)`: the view with the patch, as the current path's query
 * (`toQuery` leaves the defaults out), pushed (or replaced) without scrolling, in a transition
 * whose pending flag dims the table.
 */
export function useViewNavigation<TView>(view: TView, toQuery: (view: TView) => string, fallbackPath: string) {
  const router = useRouter();
  const pathname = usePathname() ?? fallbackPath;
  const [isNavigating, startNavigation] = useTransition();
  const navigate = useCallback(
    (patch: Partial<TView>, options: NavigateOptions = {}) => {
      const query = toQuery({ ...view, ...patch });
      const href = query ? `${pathname}?${query}` : pathname;
      startNavigation(() => (options.replace ? router.replace(href, { scroll: false }) : router.push(href, { scroll: false })));
    },
    [view, toQuery, pathname, router],
  );
  return { navigate, isNavigating };
}

/** A labelled filter above the table (State, Lender, …). */
export function FilterSelect<TValue extends string>({ label, value, options, onChange }: { label: string; value: TValue; options: readonly { value: TValue; label: string }[]; onChange: (value: TValue) => void }) {
  const id = useId();
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as TValue)} className={tableSelectClass}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The labelled search box: it searches as you type once typing pauses, or at once on Enter. */
function ServerSearch({ label, placeholder, q, onSearch }: { label: string; placeholder: string; q: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [query, setQuery] = useState(q);
  const searchRef = useRef<HTMLInputElement>(null);
  const search = useEffectEvent((text: string) => onSearch(text));

  // The URL's search wins when it changes from elsewhere (back, a link), unless the user is typing.
  useEffect(() => {
    if (document.activeElement !== searchRef.current) setQuery(q);
  }, [q]);
  // Search as you type, once typing pauses.
  useEffect(() => {
    if (query.trim() === q) return;
    const timer = setTimeout(() => search(query.trim()), 350);
    return () => clearTimeout(timer);
  }, [query, q]);

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <SearchInput
        ref={searchRef}
        id={id}
        className="w-64 max-w-full"
        placeholder={placeholder}
        maxLength={100}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onSearch(query.trim());
        }}
      />
    </div>
  );
}

/** Fetches the server's CSV export of the view and saves it under the name the server gives. */
async function downloadServerCsv(url: string, fallbackFilename: string) {
  const response = await fetch(url, { headers: { accept: "text/csv" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? fallbackFilename;
  downloadBlob(await response.blob(), filename);
}

const count = (n: number) => n.toLocaleString("en-US");
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

type ServerPagedTableProps<TRow, TSortKey extends string> = {
  /** The table's accessible name. */
  caption: string;
  /** What a row is, e.g. { one: "loan", many: "loans" }: "Loans 1–25 of 80", "No loans match the filter.", "Exported 80 loans as CSV." */
  noun: { one: string; many: string };
  columns: readonly ServerColumn<TRow, TSortKey>[];
  rows: readonly TRow[];
  rowKey: (row: TRow) => string;
  /** A click on a row (not on its links or controls); the row shows a pointer. */
  onRowClick?: (event: MouseEvent<HTMLTableRowElement>, row: TRow) => void;
  view: ServerTableView<TSortKey>;
  total: number;
  pageCount: number;
  pageSizes: readonly number[];
  isPending: boolean;
  // A method, so a screen's navigate over its own view (with its filters and page sizes) fits.
  onNavigate(patch: Partial<ServerTableView<TSortKey>>, options?: NavigateOptions): void;
  /** The filters left of the search box (FilterSelect). */
  filters?: ReactNode;
  search: { label: string; placeholder: string };
  /** The export's URL (the view's selection, no page) and the file's name when the server gives none. */
  csv: { url: string; fallbackFilename: string };
};

/** One page of a server-paged table with its toolbar (filters, search, Export CSV) and pager. */
export function ServerPagedTable<TRow, TSortKey extends string>({
  caption,
  noun,
  columns,
  rows,
  rowKey,
  onRowClick,
  view,
  total,
  pageCount,
  pageSizes,
  isPending,
  onNavigate,
  filters,
  search,
  csv,
}: ServerPagedTableProps<TRow, TSortKey>) {
  const [isExporting, setIsExporting] = useState(false);
  const first = total === 0 ? 0 : (view.page - 1) * view.size + 1;
  const last = Math.min(total, view.page * view.size);

  const exportCsv = async () => {
    setIsExporting(true);
    try {
      await downloadServerCsv(csv.url, csv.fallbackFilename);
      toast.success(`Exported ${count(total)} ${total === 1 ? noun.one : noun.many} as CSV.`);
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
          {filters}
          <ServerSearch label={search.label} placeholder={search.placeholder} q={view.q} onSearch={(q) => onNavigate({ q, page: 1 }, { replace: true })} />
        </div>
        <ExportCsvButton disabled={total === 0 || isExporting} onClick={exportCsv} />
      </div>

      <div className={cn("rounded-lg border bg-card transition-opacity", isPending && "opacity-60")} aria-busy={isPending}>
        <Table>
          <caption className="sr-only">{caption}</caption>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              {columns.map((column) => {
                const sorted = view.sort === column.key ? view.dir : false;
                const nextDir = sorted ? (sorted === "asc" ? "desc" : "asc") : column.firstDir;
                return (
                  <TableHead key={column.key} aria-sort={ariaSortOf(sorted)} className={cn(column.isRight && "text-right")}>
                    <span className={cn("inline-flex items-center gap-1", column.isRight && "flex-row-reverse")}>
                      <SortButton sorted={sorted} isRight={column.isRight} onClick={() => onNavigate({ sort: column.key, dir: nextDir, page: 1 })}>
                        {column.header}
                      </SortButton>
                      {column.info ? <InfoTip label={column.infoLabel ?? column.header.toLowerCase()}>{column.info}</InfoTip> : null}
                    </span>
                  </TableHead>
                );
              })}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 ? (
              <EmptyTableRow colSpan={columns.length}>{`No ${noun.many} match the filter.`}</EmptyTableRow>
            ) : (
              rows.map((row) => (
                <TableRow key={rowKey(row)} onClick={onRowClick ? (event) => onRowClick(event, row) : undefined} className={cn(onRowClick && "cursor-pointer")}>
                  {columns.map((column) => (
                    <AlignedCell key={column.key} isRight={column.isRight}>
                      {column.cell(row)}
                    </AlignedCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </div>

      <TablePager
        pageSize={view.size}
        pageSizes={pageSizes}
        onPageSizeChange={(size) => onNavigate({ size, page: 1 })}
        summary={total === 0 ? `No ${noun.many}` : `${capitalised(noun.many)} ${count(first)}–${count(last)} of ${count(total)}`}
        canPrevious={view.page > 1}
        canNext={view.page < pageCount}
        onPrevious={() => onNavigate({ page: view.page - 1 })}
        onNext={() => onNavigate({ page: view.page + 1 })}
      />
    </div>
  );
}
