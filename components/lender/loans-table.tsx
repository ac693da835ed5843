"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Bps, Money } from "@/components/money";
import { DataTable } from "@/components/ui/data-table";

export type LenderLoanRow = {
  id: string;
  reference: string;
  startupName: string;
  facilityName: string;
  state: string;
  principalMicros: string;
  debtMicros: string;
  collateralMicros: string | null;
  coverageBps: number | null;
};

const usd = (micros: string | null) => (micros === null ? "" : (Number(BigInt(micros)) / 1e6).toFixed(2));
const byBigInt = (a: string | null, b: string | null) => {
  const x = a === null ? -1n : BigInt(a);
  const y = b === null ? -1n : BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const columns: ColumnDef<LenderLoanRow>[] = [
  { accessorKey: "reference", header: "Loan" },
  { accessorKey: "startupName", header: "Borrower" },
  { accessorKey: "facilityName", header: "Facility" },
  { accessorKey: "state", header: "State", cell: ({ row }) => <LoanStateBadge state={row.original.state} /> },
  {
    accessorKey: "principalMicros",
    header: "Principal",
    cell: ({ row }) => <Money micros={row.original.principalMicros} />,
    sortingFn: (a, b) => byBigInt(a.original.principalMicros, b.original.principalMicros),
    meta: { csv: (row: LenderLoanRow) => usd(row.principalMicros) },
  },
  {
    accessorKey: "debtMicros",
    header: "Debt",
    cell: ({ row }) => <Money micros={row.original.debtMicros} />,
    sortingFn: (a, b) => byBigInt(a.original.debtMicros, b.original.debtMicros),
    meta: { csv: (row: LenderLoanRow) => usd(row.debtMicros) },
  },
  {
    accessorKey: "collateralMicros",
    header: "Collateral",
    cell: ({ row }) => (row.original.collateralMicros === null ? "—" : <Money micros={row.original.collateralMicros} />),
    sortingFn: (a, b) => byBigInt(a.original.collateralMicros, b.original.collateralMicros),
    meta: { csv: (row: LenderLoanRow) => usd(row.collateralMicros) },
  },
  {
    accessorKey: "coverageBps",
    header: "Coverage",
    cell: ({ row }) => <Bps bps={row.original.coverageBps} />,
    meta: { csv: (row: LenderLoanRow) => (row.coverageBps === null ? "" : (row.coverageBps / 100).toFixed(2)) },
  },
];

export function LenderLoansTable({ rows }: { rows: LenderLoanRow[] }) {
  return <DataTable columns={columns} data={rows} filename="blockable-loans.csv" />;
}
