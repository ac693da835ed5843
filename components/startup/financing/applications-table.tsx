"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { compareMicros, utcDate } from "@/components/lender/loan/format";
import { Money } from "@/components/money";
import { DataTable } from "@/components/ui/data-table";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { StartupLoanRowDto } from "@/lib/server/queries/startup-financing";
import { multiplierText } from "./format";
import { WithdrawApplicationButton } from "./withdraw-application-button";

const columns: ColumnDef<StartupLoanRowDto>[] = [
  {
    accessorKey: "reference",
    header: "Reference",
    cell: ({ row }) => (
      <Link className="font-medium text-primary underline underline-offset-4" href={`/startup/financing/${row.original.id}`}>
        {row.original.reference}
      </Link>
    ),
  },
  {
    id: "state",
    header: "State",
    accessorFn: (row) => row.state.replace(/_/g, " ").toLowerCase(),
    cell: ({ row }) => (
      <div className="min-w-32">
        <LoanStateBadge state={row.original.state} />
        {row.original.state === "REJECTED" && row.original.rejectionReason ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">Reason: {row.original.rejectionReason}</p> : null}
      </div>
    ),
    meta: { csv: (row: StartupLoanRowDto) => (row.rejectionReason ? `${row.state} (${row.rejectionReason})` : row.state) },
  },
  { id: "lender", header: "Lender", accessorFn: (row) => row.lenderName ?? "—" },
  {
    id: "principal",
    header: "Principal",
    accessorFn: (row) => row.principalMicros,
    cell: ({ row }) => <Money micros={row.original.principalMicros} />,
    sortingFn: (a, b) => compareMicros(a.original.principalMicros, b.original.principalMicros),
    meta: { align: "right", csv: (row: StartupLoanRowDto) => microsToUsdDecimal(BigInt(row.principalMicros)) },
  },
  { id: "multiplier", header: "Multiplier", accessorFn: (row) => row.multiplierBps, cell: ({ row }) => <span className="num">{multiplierText(row.original.multiplierBps)}</span>, meta: { align: "right", csv: (row: StartupLoanRowDto) => (row.multiplierBps / 10_000).toFixed(4) } },
  { id: "term", header: "Term", accessorFn: (row) => row.termMonths, cell: ({ row }) => `${row.original.termMonths} months`, meta: { align: "right" } },
  { id: "submitted", header: "Submitted", accessorFn: (row) => row.submittedAt, cell: ({ row }) => <span className="num whitespace-nowrap">{utcDate(row.original.submittedAt)}</span>, meta: { csv: (row: StartupLoanRowDto) => row.submittedAt ?? "" } },
  {
    id: "actions",
    header: "Actions",
    enableSorting: false,
    cell: ({ row }) => (row.original.state === "SUBMITTED" ? <WithdrawApplicationButton loanId={row.original.id} reference={row.original.reference} principalMicros={row.original.principalMicros} /> : null),
  },
];

/** The startup's applications and loans, newest first; a pending application can be withdrawn here. */
export function ApplicationsTable({ loans }: { loans: StartupLoanRowDto[] }) {
  return <DataTable columns={columns} data={loans} filename="blockable-financing.csv" initialSorting={[{ id: "submitted", desc: true }]} emptyMessage="No application yet." />;
}
