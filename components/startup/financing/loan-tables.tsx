"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { utcDate } from "@/components/lender/loan/format";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { installmentStatusColumn, moneyColumn, timeColumn } from "@/components/loans/columns";
import { DataTable } from "@/components/ui/data-table";
import type { StartupInstallmentDto, StartupPaymentDto } from "@/lib/server/queries/startup-financing";

// The loan's schedule and the payments recorded on it: each table sorts, pages, filters and
// exports CSV (money as exact decimal dollars, instants as ISO 8601 UTC).

const installmentColumns: ColumnDef<StartupInstallmentDto>[] = [
  { accessorKey: "seq", header: "#", meta: { align: "right" } },
  timeColumn("dueDate", "Due", (row) => row.dueDate, utcDate),
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("interest", "Interest", (row) => row.interestMicros),
  moneyColumn("principal", "Principal", (row) => row.principalMicros),
  moneyColumn("paid", "Paid", (row) => row.paidMicros),
  installmentStatusColumn(),
];

const paymentColumns: ColumnDef<StartupPaymentDto>[] = [
  timeColumn("paidAt", "Recorded", (row) => row.paidAt),
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
