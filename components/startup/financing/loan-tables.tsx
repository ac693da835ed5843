"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { compareMicros, utcDate, utcMinute } from "@/components/lender/loan/format";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Money } from "@/components/money";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { StartupInstallmentDto, StartupPaymentDto } from "@/lib/server/queries/startup-financing";

// The loan's schedule and the payments recorded on it: each table sorts, pages, filters and
// exports CSV (money as exact decimal dollars, instants as ISO 8601 UTC).

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
    meta: { align: "right", csv: (row: T) => (get(row) === null ? "" : microsToUsdDecimal(BigInt(get(row)!))) },
  };
}

const STATUS_VARIANT: Record<StartupInstallmentDto["statusKind"], BadgeProps["variant"]> = { paid: "success", due: "secondary", past_due: "warning", overdue: "destructive", closed: "outline" };

const installmentColumns: ColumnDef<StartupInstallmentDto>[] = [
  { accessorKey: "seq", header: "#", meta: { align: "right" } },
  { id: "dueDate", header: "Due", accessorFn: (row) => row.dueDate, cell: ({ row }) => <span className="num whitespace-nowrap">{utcDate(row.original.dueDate)}</span> },
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("interest", "Interest", (row) => row.interestMicros),
  moneyColumn("principal", "Principal", (row) => row.principalMicros),
  moneyColumn("paid", "Paid", (row) => row.paidMicros),
  { id: "status", header: "Status", accessorFn: (row) => row.statusLabel, cell: ({ row }) => <Badge variant={STATUS_VARIANT[row.original.statusKind]}>{row.original.statusLabel}</Badge> },
];

const paymentColumns: ColumnDef<StartupPaymentDto>[] = [
  { id: "paidAt", header: "Recorded", accessorFn: (row) => row.paidAt, cell: ({ row }) => <span className="whitespace-nowrap">{utcMinute(row.original.paidAt)}</span> },
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("interest", "To interest", (row) => row.interestMicros),
  moneyColumn("principal", "To principal", (row) => row.principalMicros),
  { accessorKey: "source", header: "Source" },
];

export function LoanTables({ reference, installments, payments }: { reference: string; installments: StartupInstallmentDto[]; payments: StartupPaymentDto[] }) {
  return (
    <div className="grid gap-4">
      <LoanSection id="schedule" title="Installment schedule" description="Monthly level payments (USD), due by the end of the day (UTC); a payment pays accrued interest first, then principal, oldest installment first.">
        <DataTable columns={installmentColumns} data={installments} filename={`${reference}-schedule.csv`} initialSorting={[{ id: "seq", desc: false }]} emptyMessage="The schedule starts when the loan is approved." />
      </LoanSection>
      <LoanSection id="payments" title="Payments" description="Payments recorded on the loan (USD): what an admin confirmed as received, and any liquidation proceeds.">
        <DataTable columns={paymentColumns} data={payments} filename={`${reference}-payments.csv`} initialSorting={[{ id: "paidAt", desc: true }]} emptyMessage="No payment recorded yet." />
      </LoanSection>
    </div>
  );
}
