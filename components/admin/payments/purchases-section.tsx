"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { confirmPurchaseAction } from "@/app/admin/payments/confirm-purchase-action";
import { refusePurchaseAction } from "@/app/admin/payments/refuse-purchase-action";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Money } from "@/components/money";
import { formatMicros } from "@/lib/domain/money";
import { amountColumn, ConfirmDecisionDialog, DecisionSections, personAtColumn, referenceColumn, usdCsv } from "./decision-parts";
import { FigureList } from "./figure-list";
import { compareMicros, type AdminPurchaseRow } from "./format";
import { RefuseDialog } from "./refuse-dialog";
import { DecisionStatusBadge } from "./status-badge";

// Credit purchases startups asked for: waiting ones (oldest first) with "Confirm" — the credits are
// issued as a PURCHASED lot — and "Refuse"; then the decided history.

function ConfirmPurchaseDialog({ purchase }: { purchase: AdminPurchaseRow }) {
  const spendable = purchase.spendableMicros;
  return (
    <ConfirmDecisionDialog
      title={`Confirm ${purchase.startupName}'s credit purchase?`}
      description={
        <>
          The money arrived (reference {purchase.reference}): {formatMicros(BigInt(purchase.amountMicros))} of credits are issued to {purchase.startupName} as a purchased lot, its own and
          spendable at once.
        </>
      }
      confirmLabel="Confirm purchase"
      pendingLabel="Issuing…"
      confirm={() => confirmPurchaseAction({ purchaseId: purchase.id })}
      successText={(d) =>
        d.isReplay
          ? "These credits were already issued."
          : `Issued ${formatMicros(BigInt(d.amountMicros))} of credits to ${purchase.startupName}.${d.spendableAfterMicros ? ` Spendable now ${formatMicros(BigInt(d.spendableAfterMicros))}.` : ""}`
      }
    >
      {spendable !== null ? (
        <FigureList
          rows={[
            { label: "Spendable now", value: <Money micros={spendable} /> },
            { label: "Credits issued (purchased lot)", value: <Money micros={purchase.amountMicros} /> },
            { label: "Spendable after", value: <Money micros={(BigInt(spendable) + BigInt(purchase.amountMicros)).toString()} />, isTotal: true },
          ]}
        />
      ) : null}
      {purchase.openLoan ? (
        <p className="text-xs text-muted-foreground">
          {purchase.startupName} has loan {purchase.openLoan.reference} ({purchase.openLoan.state.replace(/_/g, " ").toLowerCase()}): purchased credits are not collateral until the startup pledges them.
        </p>
      ) : null}
    </ConfirmDecisionDialog>
  );
}

const startupColumn: ColumnDef<AdminPurchaseRow> = {
  id: "startup",
  header: "Startup",
  accessorFn: (row) => row.startupName,
  cell: ({ row }) => (
    <div className="flex min-w-32 flex-col items-start gap-1">
      <span>{row.original.startupName}</span>
      {row.original.openLoan ? <LoanStateBadge state={row.original.openLoan.state} /> : null}
    </div>
  ),
};
const requestedColumn = personAtColumn<AdminPurchaseRow>("requested", "Requested", (row) => row.requestedBy, (row) => row.requestedAt);

const pendingColumns: ColumnDef<AdminPurchaseRow>[] = [
  startupColumn,
  amountColumn(),
  referenceColumn(),
  requestedColumn,
  {
    id: "spendable",
    header: "Spendable now (USD)",
    accessorFn: (row) => row.spendableMicros ?? "",
    sortingFn: (a, b) => compareMicros(a.original.spendableMicros, b.original.spendableMicros),
    cell: ({ row }) => (row.original.spendableMicros === null ? "—" : <Money micros={row.original.spendableMicros} />),
    meta: { align: "right", csv: (row) => usdCsv(row.spendableMicros) },
  },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    enableSorting: false,
    cell: ({ row }) => {
      const purchase = row.original;
      return (
        <div className="flex gap-2">
          <ConfirmPurchaseDialog purchase={purchase} />
          <RefuseDialog
            id={purchase.id}
            title={`Refuse ${purchase.startupName}'s credit purchase?`}
            summary={
              <>
                {formatMicros(BigInt(purchase.amountMicros))} of credits, reference <span className="font-mono">{purchase.reference}</span>.
              </>
            }
            confirmLabel="Refuse purchase"
            toastText={`Refused ${purchase.startupName}'s purchase of ${formatMicros(BigInt(purchase.amountMicros))}; no credits were issued.`}
            refuse={(reason) => refusePurchaseAction({ purchaseId: purchase.id, reason })}
          />
        </div>
      );
    },
  },
];

const historyColumns: ColumnDef<AdminPurchaseRow>[] = [
  startupColumn,
  amountColumn(),
  referenceColumn(),
  requestedColumn,
  { id: "status", header: "Status", accessorFn: (row) => row.status, cell: ({ row }) => <DecisionStatusBadge status={row.original.status} /> },
  personAtColumn("decided", "Decided", (row) => row.decidedBy, (row) => row.decidedAt),
  {
    id: "reason",
    header: "Reason",
    enableSorting: false,
    accessorFn: (row) => row.refusalReason ?? "",
    cell: ({ row }) => (
      <span className="block max-w-72 text-xs whitespace-normal">{row.original.refusalReason ?? (row.original.status === "WITHDRAWN" ? "Withdrawn by the startup" : row.original.status === "CONFIRMED" ? "Credited as a purchased lot" : "—")}</span>
    ),
  },
];

export function PurchasesSection({ purchases }: { purchases: AdminPurchaseRow[] }) {
  return (
    <DecisionSections
      idPrefix="purchases"
      rows={purchases}
      intro="Credits startups asked to buy with their own money, oldest first. Confirm once the payment is in."
      pending={{
        emptyTitle: "No credit purchases waiting",
        emptyText: "When a startup asks to buy credits, the request appears here for you to confirm or refuse.",
        columns: pendingColumns,
        filename: "blockable-credit-purchases-pending.csv",
        filterPlaceholder: "Filter requests…",
      }}
      decided={{ emptyTitle: "No decided purchases yet", columns: historyColumns, filename: "blockable-credit-purchases.csv", filterPlaceholder: "Filter history…", emptyMessage: "No decided purchases." }}
    />
  );
}
