"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { TableCell, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";

// The pieces every table of the app draws the same way, whether it pages in the browser
// (components/ui/data-table.tsx) or on the server (components/ui/server-table.tsx): the sort button
// in a column header, the empty row, the search box, the Export CSV button and the pager with its
// "Rows per page", "Previous page" and "Next page" controls.

/** A native select in a table's toolbar or pager, in the theme's input look. */
export const tableSelectClass =
  "block h-9 rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50";

export type SortDirection = "asc" | "desc" | false;

/** The value of a column header's aria-sort for its direction. */
export const ariaSortOf = (sorted: SortDirection) => (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none");

/** A column header's label as a button that sorts by it, with an arrow showing the direction. */
export function SortButton({ sorted, isRight, onClick, children }: { sorted: SortDirection; isRight?: boolean; onClick: ComponentProps<"button">["onClick"]; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={cn(
        "-mx-1 inline-flex items-center gap-1 rounded-sm px-1 uppercase outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
        isRight && "flex-row-reverse",
        sorted && "text-foreground",
      )}
    >
      {children}
      {sorted === "asc" ? (
        <ArrowUp aria-hidden="true" className="size-3.5" />
      ) : sorted === "desc" ? (
        <ArrowDown aria-hidden="true" className="size-3.5" />
      ) : (
        <ArrowUpDown aria-hidden="true" className="size-3.5 opacity-40" />
      )}
    </button>
  );
}

/** The one row a table shows when it has none to show. */
export function EmptyTableRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <TableRow className="hover:bg-transparent">
      <TableCell colSpan={colSpan} className="h-24 text-center text-muted-foreground">
        {children}
      </TableCell>
    </TableRow>
  );
}

/** A body cell; a right-aligned one (money, counts, ratios) sets its digits in tabular figures. */
export function AlignedCell({ isRight, children }: { isRight?: boolean; children: ReactNode }) {
  return <TableCell className={cn(isRight && "num text-right")}>{children}</TableCell>;
}

/** A search box with its magnifier; `className` sizes the wrapper, the rest goes to the input. */
export function SearchInput({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <div className={cn("relative", className)}>
      <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input type="search" {...props} className="pl-8" />
    </div>
  );
}

export function ExportCsvButton({ disabled, onClick }: { disabled: boolean; onClick: () => void }) {
  return (
    <Button type="button" variant="outline" size="sm" disabled={disabled} onClick={onClick}>
      <Download aria-hidden="true" />
      Export CSV
    </Button>
  );
}

/** Saves a file the browser holds (a CSV made here or fetched) under `filename`. */
export function downloadBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Below a table: "Rows per page" and, on the right, what the page shows (`summary`, read out when
 * it changes) with the "Previous page" and "Next page" buttons.
 */
export function TablePager({
  pageSize,
  pageSizes,
  onPageSizeChange,
  summary,
  canPrevious,
  canNext,
  onPrevious,
  onNext,
}: {
  pageSize: number;
  pageSizes: readonly number[];
  onPageSizeChange: (size: number) => void;
  summary: string;
  canPrevious: boolean;
  canNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const pageSizeId = useId();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
      <div className="flex items-center gap-2">
        <label htmlFor={pageSizeId}>Rows per page</label>
        <select id={pageSizeId} value={pageSize} onChange={(event) => onPageSizeChange(Number(event.target.value))} className={cn(tableSelectClass, "h-8")}>
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-3">
        <p className="num" aria-live="polite">
          {summary}
        </p>
        <div className="flex items-center gap-1">
          <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Previous page" onClick={onPrevious} disabled={!canPrevious}>
            <ChevronLeft aria-hidden="true" />
          </Button>
          <Button type="button" variant="outline" size="icon" className="size-8" aria-label="Next page" onClick={onNext} disabled={!canNext}>
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      </div>
    </div>
  );
}
