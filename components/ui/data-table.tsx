"use client";

import { useState } from "react";
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type Column,
  type ColumnDef,
  type FilterFn,
  type Row,
  type RowData,
  type SortingState,
  type Table as TanStackTable,
} from "@tanstack/react-table";
import { toCsv } from "@/components/ui/csv";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AlignedCell, ariaSortOf, downloadBlob, EmptyTableRow, ExportCsvButton, SearchInput, SortButton, TablePager } from "@/components/ui/table-parts";
import { cn } from "@/lib/utils";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Text for this column in the CSV export and the global filter; defaults to the accessor value. */
    csv?: (row: TData) => string;
    /** Right-align numeric columns (money, counts, ratios). */
    align?: "left" | "right";
  }
}

const PAGE_SIZES = [10, 25, 50] as const;

function plainText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function isExportable<TData>(column: Column<TData, unknown>) {
  return column.accessorFn !== undefined || column.columnDef.meta?.csv !== undefined;
}

function columnText<TData>(column: Column<TData, unknown>, row: Row<TData>): string {
  const csv = column.columnDef.meta?.csv;
  return csv ? csv(row.original) : plainText(row.getValue(column.id));
}

function headerText<TData>(column: Column<TData, unknown>): string {
  const header = column.columnDef.header;
  return typeof header === "string" ? header : column.id;
}

/** Matches what the user sees in the export, so "what I filter is what I download". */
const textFilter: FilterFn<unknown> = (row, columnId, query: string) => {
  const column = row._getAllCellsByColumnId()[columnId]?.column;
  if (!column) return false;
  const needle = query.trim().toLowerCase();
  return columnText(column, row).toLowerCase().includes(needle) || plainText(row.getValue(columnId)).toLowerCase().includes(needle);
};

function downloadCsv<TData>(table: TanStackTable<TData>, filename: string) {
  const columns = table.getVisibleLeafColumns().filter(isExportable);
  // Pre-pagination = every row that passed the filter, in the current sort order.
  const rows = table.getPrePaginationRowModel().rows.map((row) => columns.map((column) => columnText(column, row)));
  // The BOM makes Excel read the file as UTF-8.
  downloadBlob(new Blob(["\uFEFF", toCsv(columns.map(headerText), rows)], { type: "text/csv;charset=utf-8" }), filename);
}

type DataTableProps<TData, TValue> = {
  columns: ColumnDef<TData, TValue>[];
  data: TData[];
  /** Name of the downloaded file, e.g. "blockable-loans.csv". */
  filename: string;
  initialSorting?: SortingState;
  filterPlaceholder?: string;
  emptyMessage?: string;
  className?: string;
};

export function DataTable<TData, TValue>({
  columns,
  data,
  filename,
  initialSorting = [],
  filterPlaceholder = "Filter rows…",
  emptyMessage = "No rows.",
  className,
}: DataTableProps<TData, TValue>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const [globalFilter, setGlobalFilter] = useState("");

  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    globalFilterFn: textFilter as FilterFn<TData>,
    getColumnCanGlobalFilter: (column) => isExportable(column),
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize: PAGE_SIZES[0] } },
  });

  const { pageIndex, pageSize } = table.getState().pagination;
  const total = table.getFilteredRowModel().rows.length;
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);

  return (
    <div className={cn("space-y-3", className)}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <SearchInput className="w-full sm:max-w-xs" aria-label="Filter rows" placeholder={filterPlaceholder} value={globalFilter} onChange={(event) => setGlobalFilter(event.target.value)} />
        <ExportCsvButton onClick={() => downloadCsv(table, filename)} disabled={total === 0} />
      </div>

      <div className="rounded-lg border bg-card">
        <Table>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const { column } = header;
                  const isRight = column.columnDef.meta?.align === "right";
                  const sorted = column.getIsSorted();
                  const label = header.isPlaceholder ? null : flexRender(column.columnDef.header, header.getContext());
                  return (
                    <TableHead
                      key={header.id}
                      colSpan={header.colSpan}
                      aria-sort={column.getCanSort() ? ariaSortOf(sorted) : undefined}
                      className={cn(isRight && "text-right")}
                    >
                      {column.getCanSort() && !header.isPlaceholder ? (
                        <SortButton sorted={sorted} isRight={isRight} onClick={column.getToggleSortingHandler()}>
                          {label}
                        </SortButton>
                      ) : (
                        label
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.length === 0 ? (
              <EmptyTableRow colSpan={table.getVisibleLeafColumns().length}>{globalFilter ? "No rows match the filter." : emptyMessage}</EmptyTableRow>
            ) : (
              table.getRowModel().rows.map((row) => (
                <TableRow key={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <AlignedCell key={cell.id} isRight={cell.column.columnDef.meta?.align === "right"}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </AlignedCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </div>

      <TablePager
        pageSize={pageSize}
        pageSizes={PAGE_SIZES}
        onPageSizeChange={(size) => table.setPageSize(size)}
        summary={total === 0 ? "No rows" : `Rows ${first}–${last} of ${total}`}
        canPrevious={table.getCanPreviousPage()}
        canNext={table.getCanNextPage()}
        onPrevious={() => table.previousPage()}
        onNext={() => table.nextPage()}
      />
    </div>
  );
}
