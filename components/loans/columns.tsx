"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { compareMicros, utcMinute } from "@/components/lender/loan/format";
import { Money } from "@/components/money";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { InstallmentDisplay } from "@/lib/domain/loans/installment-display";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";

// Columns the loan pages' tables (the lender's, the startup's) share. CSV: money as exact decimal
// dollars (never through a float), instants as ISO 8601 UTC.

/** µUSD as dollars, right-aligned; sorts exactly; "—" (and an empty CSV field) when absent. */
export function moneyColumn<T>(id: string, header: string, get: (row: T) => string | null): ColumnDef<T> {
  return {
    id,
    header,
    accessorFn: get,
    cell: ({ row }) => {
      const micros = get(row.original);
      return micros === null ? "—" : <Money micros={micros} />;
    },
    sortingFn: (a, b) => compareMicros(get(a.original), get(b.original)),
    meta: { align: "right", csv: (row: T) => usdCsv(get(row)) },
  };
}

const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

/** An instant, shown by `format` (to the minute, UTC, unless told), exported as ISO 8601. */
export function timeColumn<T>(id: string, header: string, get: (row: T) => string | null, format: (iso: string | null) => string = utcMinute): ColumnDef<T> {
  return {
    id,
    header,
    accessorFn: get,
    cell: ({ row }) => <span className="num whitespace-nowrap">{format(get(row.original))}</span>,
    meta: { csv: (row: T) => get(row) ?? "" },
  };
}

const INSTALLMENT_STATUS_VARIANT: Record<InstallmentDisplay["kind"], BadgeProps["variant"]> = {
  paid: "success",
  due: "secondary",
  past_due: "warning",
  overdue: "destructive",
  closed: "outline",
};

/** An installment's status as it reads to a person (installmentDisplay), as a badge. */
export function installmentStatusColumn<T extends { statusKind: InstallmentDisplay["kind"]; statusLabel: string }>(): ColumnDef<T> {
  return {
    id: "status",
    header: "Status",
    accessorFn: (row) => row.statusLabel,
    cell: ({ row }) => <Badge variant={INSTALLMENT_STATUS_VARIANT[row.original.statusKind]}>{row.original.statusLabel}</Badge>,
  };
}
