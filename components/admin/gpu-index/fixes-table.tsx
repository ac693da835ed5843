"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { sourceLabel, type IndexFixDto } from "./types";

/** Index prices carry cents of a cent ($2.1534): four decimals on screen, every µUSD in the CSV. */
export const INDEX_PRICE_DECIMALS = 4;

const columns: ColumnDef<IndexFixDto>[] = [
  { accessorKey: "day", header: "Day", cell: ({ row }) => <span className="num whitespace-nowrap">{row.original.day}</span> },
  {
    id: "price",
    header: "Price (USD/GPU-hour)",
    accessorFn: (row) => row.priceMicros,
    cell: ({ row }) => <Money micros={row.original.priceMicros} decimals={INDEX_PRICE_DECIMALS} />,
    sortingFn: (a, b) => {
      const x = BigInt(a.original.priceMicros);
      const y = BigInt(b.original.priceMicros);
      return x < y ? -1 : x > y ? 1 : 0;
    },
    meta: { align: "right", csv: (row) => microsToUsdDecimal(BigInt(row.priceMicros)) },
  },
  {
    id: "source",
    header: "Source",
    accessorFn: (row) => sourceLabel(row.source),
    cell: ({ row }) => <Badge variant={row.original.source === "seed" ? "outline" : "secondary"}>{sourceLabel(row.original.source)}</Badge>,
  },
  {
    id: "who",
    header: "Who",
    accessorFn: (row) => (row.createdByName ? `${row.createdByName} <${row.createdByEmail ?? ""}>` : row.source === "api" ? "Price feed" : "System"),
    cell: ({ row }) =>
      row.original.createdByName ? (
        <span className="block min-w-40">
          {row.original.createdByName}
          {row.original.createdByEmail ? <span className="block text-xs text-muted-foreground">{row.original.createdByEmail}</span> : null}
        </span>
      ) : (
        <span className="text-muted-foreground">{row.original.source === "api" ? "Price feed" : "System"}</span>
      ),
  },
  { id: "createdAt", header: "Entered (UTC)", accessorFn: (row) => row.createdAt, cell: ({ row }) => <span className="num whitespace-nowrap">{row.original.createdAt.slice(0, 16).replace("T", " ")}</span> },
];

/** Every fix, newest first: paged, sortable, filterable, exported as CSV with exact prices. */
export function FixesTable({ fixes }: { fixes: IndexFixDto[] }) {
  return <DataTable columns={columns} data={fixes} filename="blockable-gpu-index.csv" initialSorting={[{ id: "day", desc: true }]} filterPlaceholder="Filter by day, source or who…" emptyMessage="No fixes yet." />;
}
