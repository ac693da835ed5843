"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { installmentStatusColumn, moneyColumn, timeColumn } from "@/components/loans/columns";
import { Bps } from "@/components/money";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { AuditActorDto } from "@/lib/server/queries/audit";
import type { AlertRowDto, AuditEntryDto, FreezeRowDto, InstallmentRowDto, LenderLoanPageDto, PaymentRowDto } from "@/lib/server/queries/lender-loan-page";
import { utcDate, utcMinute } from "./format";
import { LoanSection } from "./loan-section";

// CSV: money as exact decimal dollars (never through a float), instants as ISO 8601 UTC.
const pctCsv = (bps: number | null) => (bps === null ? "" : (bps / 100).toFixed(2));

/** Who acted: the person (or token) over their email; sorts, filters and exports as the one-line label. */
function whoColumn<T extends { actor: AuditActorDto }>(): ColumnDef<T> {
  return {
    id: "who",
    header: "Who",
    accessorFn: (row) => row.actor.label,
    cell: ({ row }) => (
      <span className="block min-w-48">
        {row.original.actor.name}
        {row.original.actor.email ? <span className="block text-xs text-muted-foreground">{row.original.actor.kind === "token" ? `API token by ${row.original.actor.email}` : row.original.actor.email}</span> : null}
      </span>
    ),
  };
}

const installmentColumns: ColumnDef<InstallmentRowDto>[] = [
  { accessorKey: "seq", header: "Seq", meta: { align: "right" } },
  timeColumn("dueDate", "Due", (row) => row.dueDate, utcDate),
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("principal", "Principal", (row) => row.principalMicros),
  moneyColumn("interest", "Interest", (row) => row.interestMicros),
  moneyColumn("paid", "Paid", (row) => row.paidMicros),
  installmentStatusColumn(),
];

const paymentColumns: ColumnDef<PaymentRowDto>[] = [
  timeColumn("paidAt", "Paid at", (row) => row.paidAt),
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("interest", "To interest", (row) => row.interestMicros),
  moneyColumn("principal", "To principal", (row) => row.principalMicros),
  { accessorKey: "recordedBy", header: "Recorded by" },
];

const SEVERITY_VARIANT: Record<string, BadgeProps["variant"]> = { critical: "destructive", warning: "warning", info: "secondary" };

const alertColumns: ColumnDef<AlertRowDto>[] = [
  timeColumn("openedAt", "Opened", (row) => row.openedAt),
  { accessorKey: "kind", header: "Kind", cell: ({ row }) => <span className="whitespace-nowrap">{row.original.kind.replace(/_/g, " ").toLowerCase()}</span> },
  { accessorKey: "severity", header: "Severity", cell: ({ row }) => <Badge variant={SEVERITY_VARIANT[row.original.severity] ?? "secondary"}>{row.original.severity}</Badge> },
  { accessorKey: "state", header: "State", cell: ({ row }) => row.original.state.toLowerCase() },
  { accessorKey: "message", header: "Message", cell: ({ row }) => <span className="block min-w-64">{row.original.message}</span> },
  {
    accessorKey: "coverageBps",
    header: "Coverage",
    cell: ({ row }) => <Bps bps={row.original.coverageBps} />,
    sortingFn: (a, b) => (a.original.coverageBps ?? Number.MAX_SAFE_INTEGER) - (b.original.coverageBps ?? Number.MAX_SAFE_INTEGER),
    meta: { align: "right", csv: (row: AlertRowDto) => pctCsv(row.coverageBps) },
  },
  { accessorKey: "acknowledgedBy", header: "Acknowledged by", cell: ({ row }) => (row.original.acknowledgedBy ? `${row.original.acknowledgedBy}, ${utcMinute(row.original.acknowledgedAt)}` : "—") },
  timeColumn("resolvedAt", "Resolved", (row) => row.resolvedAt),
];

const freezeColumns: ColumnDef<FreezeRowDto>[] = [
  timeColumn("committedAt", "When", (row) => row.committedAt),
  { accessorKey: "action", header: "Action", cell: ({ row }) => row.original.action.toLowerCase() },
  { accessorKey: "mode", header: "Mode", cell: ({ row }) => row.original.mode.toLowerCase() },
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  moneyColumn("requested", "Requested", (row) => row.requestedMicros),
  whoColumn(),
  { accessorKey: "reason", header: "Why", cell: ({ row }) => <span className="block min-w-48">{row.original.reason}</span> },
  { accessorKey: "latencyMs", header: "Latency (ms)", cell: ({ row }) => <span className="num">{row.original.latencyMs.toLocaleString("en-US")} ms</span>, meta: { align: "right", csv: (row: FreezeRowDto) => String(row.latencyMs) } },
];

const auditColumns: ColumnDef<AuditEntryDto>[] = [
  timeColumn("at", "When", (row) => row.at),
  whoColumn(),
  { id: "what", header: "What", accessorFn: (row) => row.what, cell: ({ row }) => <span className="whitespace-nowrap" title={row.original.action}>{row.original.what}</span>, meta: { csv: (row: AuditEntryDto) => `${row.what} (${row.action})` } },
  {
    id: "details",
    header: "Details",
    accessorFn: (row) => row.details.join("; "),
    enableSorting: false,
    cell: ({ row }) =>
      row.original.details.length === 0 ? (
        "—"
      ) : (
        <ul className="min-w-56 space-y-0.5 text-xs">
          {row.original.details.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ),
    meta: { csv: (row: AuditEntryDto) => row.detailJson },
  },
];

/** The loan's tables: each sorts, pages, filters and exports CSV. */
export function LoanTables({ page }: { page: LenderLoanPageDto }) {
  const file = (what: string) => `${page.reference}-${what}.csv`;
  return (
    <div className="space-y-4">
      <LoanSection id="installments" title="Installments" description="Monthly level payments (USD). A liquidated or repaid loan has no installment due.">
        <DataTable columns={installmentColumns} data={page.installments} filename={file("installments")} initialSorting={[{ id: "seq", desc: false }]} emptyMessage="No installment schedule." />
      </LoanSection>
      <LoanSection id="payments" title="Payments" description="Cash received for the loan (USD), applied to interest first, then principal.">
        <DataTable columns={paymentColumns} data={page.payments} filename={file("payments")} initialSorting={[{ id: "paidAt", desc: true }]} emptyMessage="No payment recorded yet." />
      </LoanSection>
      <LoanSection id="alerts" title="Alerts" description="Every alert on this loan, newest first, with the coverage when it opened.">
        <DataTable columns={alertColumns} data={page.alerts} filename={file("alerts")} initialSorting={[{ id: "openedAt", desc: true }]} emptyMessage="No alert on this loan." />
      </LoanSection>
      <LoanSection id="freezes" title="Freezes" description="Freezes and unfreezes: who, why, how much (USD), and the measured time from request to commit.">
        <DataTable columns={freezeColumns} data={page.freezes} filename={file("freezes")} initialSorting={[{ id: "committedAt", desc: true }]} emptyMessage="The collateral has never been frozen." />
      </LoanSection>
      <LoanSection id="audit-trail" title="Audit trail" description="Who did what to this loan and its alerts, newest first.">
        <DataTable columns={auditColumns} data={page.audit} filename={file("audit-trail")} initialSorting={[{ id: "at", desc: true }]} emptyMessage="Nothing recorded yet." />
      </LoanSection>
    </div>
  );
}
