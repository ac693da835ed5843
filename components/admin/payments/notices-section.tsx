"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { refuseNoticeAction } from "@/app/admin/payments/refuse-notice-action";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Money } from "@/components/money";
import { formatMicros } from "@/lib/domain/money";
import { ConfirmNoticeDialog } from "./confirm-notice-dialog";
import { amountColumn, DecisionSections, personAtColumn, referenceColumn, usdCsv } from "./decision-parts";
import type { AdminNoticeRow } from "./format";
import { RefuseDialog } from "./refuse-dialog";
import { DecisionStatusBadge } from "./status-badge";

// The repayment notices startups declared: those waiting for a decision (oldest first, each with
// "Confirm" and "Refuse"), then the decided history (newest first), both sortable and exportable.

const startupColumn: ColumnDef<AdminNoticeRow> = { accessorKey: "startupName", header: "Startup" };
const loanColumn: ColumnDef<AdminNoticeRow> = {
  id: "loan",
  header: "Loan",
  accessorFn: (row) => row.loanReference,
  cell: ({ row }) => (
    <div className="flex min-w-36 flex-col items-start gap-1">
      <Link href={`/admin/loans/${row.original.loanId}`} className="font-medium text-primary underline-offset-4 hover:underline">
        {row.original.loanReference}
      </Link>
      <LoanStateBadge state={row.original.loanState} />
    </div>
  ),
};
const sentOnColumn: ColumnDef<AdminNoticeRow> = { accessorKey: "sentOn", header: "Sent on" };

const pendingColumns: ColumnDef<AdminNoticeRow>[] = [
  startupColumn,
  loanColumn,
  amountColumn(),
  sentOnColumn,
  referenceColumn(),
  personAtColumn("declared", "Declared", (row) => row.declaredBy, (row) => row.declaredAt),
  {
    id: "split",
    header: "If confirmed now",
    enableSorting: false,
    cell: ({ row }) => {
      const p = row.original.preview;
      if (!p || p.interestPaidMicros === null) return <span className="text-destructive">More than the loan owes</span>;
      return (
        <div className="w-44 text-xs whitespace-normal">
          <div>
            <Money micros={p.interestPaidMicros} /> interest, <Money micros={p.principalPaidMicros!} /> principal
          </div>
          <div className="text-muted-foreground">
            debt <Money micros={p.debtMicros} /> → <Money micros={p.debtAfterMicros!} />
          </div>
        </div>
      );
    },
    meta: { csv: (row) => (row.preview?.debtAfterMicros ? `debt after ${usdCsv(row.preview.debtAfterMicros)}` : "") },
  },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    enableSorting: false,
    cell: ({ row }) => {
      const notice = row.original;
      return (
        <div className="flex gap-2">
          <ConfirmNoticeDialog notice={notice} />
          <RefuseDialog
            id={notice.id}
            title={`Refuse ${notice.startupName}'s payment notice?`}
            summary={
              <>
                {formatMicros(BigInt(notice.amountMicros))} on loan {notice.loanReference}, sent {notice.sentOn}, reference <span className="font-mono">{notice.reference}</span>.
              </>
            }
            confirmLabel="Refuse notice"
            toastText={`Refused the notice of ${formatMicros(BigInt(notice.amountMicros))} on ${notice.loanReference}; nothing was recorded.`}
            refuse={(reason) => refuseNoticeAction({ noticeId: notice.id, reason })}
          />
        </div>
      );
    },
  },
];

const historyColumns: ColumnDef<AdminNoticeRow>[] = [
  startupColumn,
  loanColumn,
  amountColumn(),
  sentOnColumn,
  referenceColumn(),
  {
    id: "status",
    header: "Status",
    accessorFn: (row) => row.status,
    cell: ({ row }) => (
      <div className="flex flex-col items-start gap-1">
        <DecisionStatusBadge status={row.original.status} />
        {row.original.isRecordedDirectly ? <span className="text-xs text-muted-foreground">recorded by an admin</span> : null}
      </div>
    ),
  },
  personAtColumn("decided", "Decided", (row) => row.decidedBy, (row) => row.decidedAt),
  {
    id: "detail",
    header: "Applied / reason",
    enableSorting: false,
    accessorFn: (row) => row.refusalReason ?? "",
    cell: ({ row }) => {
      const r = row.original;
      if (r.status === "CONFIRMED" && r.interestPaidMicros !== null) {
        return (
          <span className="text-xs">
            <Money micros={r.interestPaidMicros} /> interest + <Money micros={r.principalPaidMicros!} /> principal
          </span>
        );
      }
      return <span className="block max-w-72 text-xs whitespace-normal">{r.refusalReason ?? (r.status === "WITHDRAWN" ? "Withdrawn by the startup" : "—")}</span>;
    },
    meta: { csv: (row) => (row.status === "CONFIRMED" ? `interest ${usdCsv(row.interestPaidMicros)}; principal ${usdCsv(row.principalPaidMicros)}` : (row.refusalReason ?? "")) },
  },
];

export function NoticesSection({ notices }: { notices: AdminNoticeRow[] }) {
  return (
    <DecisionSections
      idPrefix="notices"
      rows={notices}
      intro="Repayments startups say they have sent, oldest first. Confirm only once the money is in the collection account."
      pending={{
        emptyTitle: "No repayment notices waiting",
        emptyText: "When a startup declares a repayment it has sent, it appears here for you to confirm or refuse.",
        columns: pendingColumns,
        filename: "blockable-repayment-notices-pending.csv",
        filterPlaceholder: "Filter notices…",
      }}
      decided={{ emptyTitle: "No decided notices yet", columns: historyColumns, filename: "blockable-repayment-notices.csv", filterPlaceholder: "Filter history…", emptyMessage: "No decided notices." }}
    />
  );
}
