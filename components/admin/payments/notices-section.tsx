"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { refuseNoticeAction } from "@/app/admin/payments/refuse-notice-action";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Money } from "@/components/money";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/states";
import { formatMicros } from "@/lib/domain/money";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { ConfirmNoticeDialog } from "./confirm-notice-dialog";
import { compareMicros, personText, utcMinute, type AdminNoticeRow } from "./format";
import { RefuseDialog } from "./refuse-dialog";
import { DecisionStatusBadge } from "./status-badge";

// The repayment notices startups declared: those waiting for a decision (oldest first, each with
// "Confirm" and "Refuse"), then the decided history (newest first), both sortable and exportable.

const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

function Who({ person, at }: { person: { name: string; email: string } | null; at: string | null }) {
  return (
    <div className="min-w-40">
      <div>{person?.name ?? "—"}</div>
      <div className="text-xs text-muted-foreground">{utcMinute(at)}</div>
    </div>
  );
}

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
const amountColumn: ColumnDef<AdminNoticeRow> = {
  id: "amount",
  header: "Amount (USD)",
  accessorFn: (row) => row.amountMicros,
  sortingFn: (a, b) => compareMicros(a.original.amountMicros, b.original.amountMicros),
  cell: ({ row }) => <Money micros={row.original.amountMicros} />,
  meta: { align: "right", csv: (row) => usdCsv(row.amountMicros) },
};
const sentOnColumn: ColumnDef<AdminNoticeRow> = { accessorKey: "sentOn", header: "Sent on" };
const referenceColumn: ColumnDef<AdminNoticeRow> = { accessorKey: "reference", header: "Reference", cell: ({ row }) => <span className="font-mono text-xs">{row.original.reference}</span> };
const declaredColumn: ColumnDef<AdminNoticeRow> = {
  id: "declared",
  header: "Declared",
  accessorFn: (row) => row.declaredAt,
  cell: ({ row }) => <Who person={row.original.declaredBy} at={row.original.declaredAt} />,
  meta: { csv: (row) => `${personText(row.declaredBy)} ${utcMinute(row.declaredAt)}` },
};

const pendingColumns: ColumnDef<AdminNoticeRow>[] = [
  startupColumn,
  loanColumn,
  amountColumn,
  sentOnColumn,
  referenceColumn,
  declaredColumn,
  {
    id: "split",
    header: "If confirmed now",
    enableSorting: false,
    cell: ({ row }) => {
      const p = row.original.preview;
      if (!p || p.interestPaidMicros === null) return <span className="text-destructive">More than the loan owes</span>;
      return (
        <div className="min-w-44 text-xs">
          <div>
            <Money micros={p.interestPaidMicros} /> interest + <Money micros={p.principalPaidMicros!} /> principal
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
  amountColumn,
  sentOnColumn,
  referenceColumn,
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
  {
    id: "decided",
    header: "Decided",
    accessorFn: (row) => row.decidedAt ?? "",
    cell: ({ row }) => <Who person={row.original.decidedBy} at={row.original.decidedAt} />,
    meta: { csv: (row) => `${personText(row.decidedBy)} ${utcMinute(row.decidedAt)}` },
  },
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
  const pending = notices.filter((n) => n.status === "PENDING");
  const decided = notices.filter((n) => n.status !== "PENDING");
  return (
    <div className="space-y-8">
      <section aria-labelledby="notices-pending" className="space-y-3">
        <div>
          <h2 id="notices-pending" className="text-lg font-semibold">
            Waiting for a decision
          </h2>
          <p className="text-sm text-muted-foreground">Repayments startups say they have sent, oldest first. Confirm only once the money is in the collection account.</p>
        </div>
        {pending.length === 0 ? (
          <EmptyState title="No repayment notices waiting">When a startup declares a repayment it has sent, it appears here for you to confirm or refuse.</EmptyState>
        ) : (
          <DataTable columns={pendingColumns} data={pending} filename="blockable-repayment-notices-pending.csv" filterPlaceholder="Filter notices…" />
        )}
      </section>
      <section aria-labelledby="notices-decided" className="space-y-3">
        <h2 id="notices-decided" className="text-lg font-semibold">
          Decided
        </h2>
        {decided.length === 0 ? (
          <EmptyState title="No decided notices yet" />
        ) : (
          <DataTable columns={historyColumns} data={decided} filename="blockable-repayment-notices.csv" filterPlaceholder="Filter history…" emptyMessage="No decided notices." />
        )}
      </section>
    </div>
  );
}
