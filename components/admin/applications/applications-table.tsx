"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { ApplicationQueueRowDto } from "@/lib/server/queries/admin-applications";
import { dateTimeText, multiplierText } from "./format";

function ApprovalStatus({ row }: { row: ApplicationQueueRowDto }) {
  if (row.firstApprovedBy) return <Badge variant="warning">Approved by {row.firstApprovedBy}, waiting for a second admin</Badge>;
  if (row.needsSecondApproval) return <Badge variant="info">Needs two admins</Badge>;
  return <Badge variant="secondary">Waiting</Badge>;
}

const statusText = (row: ApplicationQueueRowDto) => (row.firstApprovedBy ? `Approved by ${row.firstApprovedBy}, waiting for a second admin` : row.needsSecondApproval ? "Needs two admins" : "Waiting");

const columns: ColumnDef<ApplicationQueueRowDto>[] = [
  {
    id: "startupName",
    accessorKey: "startupName",
    header: "Borrower",
    cell: ({ row }) => (
      <Link className="font-medium text-primary underline underline-offset-4" href={`/admin/applications/${row.original.id}`}>
        {row.original.startupName}
        <span className="sr-only"> — application {row.original.reference}</span>
      </Link>
    ),
  },
  { id: "reference", accessorKey: "reference", header: "Reference" },
  {
    id: "principal",
    accessorFn: (row) => Number(BigInt(row.principalMicros) / 1_000_000n),
    header: "Principal",
    meta: { align: "right", csv: (row) => microsToUsdDecimal(BigInt(row.principalMicros)) },
    cell: ({ row }) => <Money micros={row.original.principalMicros} decimals={0} />,
  },
  { id: "multiplier", accessorKey: "multiplierBps", header: "Multiplier", meta: { align: "right", csv: (row) => multiplierText(row.multiplierBps) }, cell: ({ row }) => <span className="num">{multiplierText(row.original.multiplierBps)}</span> },
  { id: "term", accessorKey: "termMonths", header: "Term", meta: { align: "right", csv: (row) => `${row.termMonths} months` }, cell: ({ row }) => <span className="num">{row.original.termMonths} mo</span> },
  {
    id: "pledge",
    accessorFn: (row) => Number(BigInt(row.pledgedMicros) / 1_000_000n),
    header: "Pledge",
    meta: { align: "right", csv: (row) => microsToUsdDecimal(BigInt(row.pledgedMicros)) },
    cell: ({ row }) => <Money micros={row.original.pledgedMicros} decimals={0} />,
  },
  { id: "purpose", accessorKey: "purpose", header: "Purpose", cell: ({ row }) => <span className="line-clamp-2 max-w-xs text-sm text-muted-foreground">{row.original.purpose}</span> },
  { id: "submitted", accessorKey: "submittedAt", header: "Submitted", meta: { csv: (row) => row.submittedAt }, cell: ({ row }) => <span className="num whitespace-nowrap">{dateTimeText(row.original.submittedAt)}</span> },
  { id: "status", accessorFn: statusText, header: "Approval", cell: ({ row }) => <ApprovalStatus row={row.original} /> },
];

/** Submitted applications, oldest first: each opens its page, where it is approved or rejected. */
export function ApplicationsTable({ rows }: { rows: ApplicationQueueRowDto[] }) {
  return <DataTable columns={columns} data={rows} filename="applications.csv" initialSorting={[{ id: "submitted", desc: false }]} filterPlaceholder="Filter applications…" emptyMessage="No applications match." />;
}
