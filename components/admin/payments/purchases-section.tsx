"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { confirmPurchaseAction } from "@/app/admin/payments/confirm-purchase-action";
import { refusePurchaseAction } from "@/app/admin/payments/refuse-purchase-action";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/states";
import { formatMicros } from "@/lib/domain/money";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { FigureList } from "./figure-list";
import { compareMicros, personText, utcMinute, type AdminPurchaseRow } from "./format";
import { RefuseDialog } from "./refuse-dialog";
import { DecisionStatusBadge } from "./status-badge";

// Credit purchases startups asked for: waiting ones (oldest first) with "Confirm" — the credits are
// issued as a PURCHASED lot — and "Refuse"; then the decided history.

const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

function Who({ person, at }: { person: { name: string; email: string } | null; at: string | null }) {
  return (
    <div className="min-w-40">
      <div>{person?.name ?? "—"}</div>
      <div className="text-xs text-muted-foreground">{utcMinute(at)}</div>
    </div>
  );
}

function ConfirmPurchaseDialog({ purchase }: { purchase: AdminPurchaseRow }) {
  const router = useRouter();
  const spendable = purchase.spendableMicros;
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm">
          Confirm
        </Button>
      }
      title={`Confirm ${purchase.startupName}'s credit purchase?`}
      description={
        <>
          The money arrived (reference {purchase.reference}): {formatMicros(BigInt(purchase.amountMicros))} of credits are issued to {purchase.startupName} as a purchased lot, its own and
          spendable at once.
        </>
      }
      confirmLabel="Confirm purchase"
      pendingLabel="Issuing…"
      confirmVariant="default"
      onConfirm={async () => {
        const result = await confirmPurchaseAction({ purchaseId: purchase.id });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(
          result.data.isReplay
            ? "These credits were already issued."
            : `Issued ${formatMicros(BigInt(result.data.amountMicros))} of credits to ${purchase.startupName}.${result.data.spendableAfterMicros ? ` Spendable now ${formatMicros(BigInt(result.data.spendableAfterMicros))}.` : ""}`,
        );
        router.refresh();
        return true;
      }}
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
    </ConfirmDialog>
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
const amountColumn: ColumnDef<AdminPurchaseRow> = {
  id: "amount",
  header: "Amount (USD)",
  accessorFn: (row) => row.amountMicros,
  sortingFn: (a, b) => compareMicros(a.original.amountMicros, b.original.amountMicros),
  cell: ({ row }) => <Money micros={row.original.amountMicros} />,
  meta: { align: "right", csv: (row) => usdCsv(row.amountMicros) },
};
const referenceColumn: ColumnDef<AdminPurchaseRow> = { accessorKey: "reference", header: "Reference", cell: ({ row }) => <span className="font-mono text-xs">{row.original.reference}</span> };
const requestedColumn: ColumnDef<AdminPurchaseRow> = {
  id: "requested",
  header: "Requested",
  accessorFn: (row) => row.requestedAt,
  cell: ({ row }) => <Who person={row.original.requestedBy} at={row.original.requestedAt} />,
  meta: { csv: (row) => `${personText(row.requestedBy)} ${utcMinute(row.requestedAt)}` },
};

const pendingColumns: ColumnDef<AdminPurchaseRow>[] = [
  startupColumn,
  amountColumn,
  referenceColumn,
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
  amountColumn,
  referenceColumn,
  requestedColumn,
  { id: "status", header: "Status", accessorFn: (row) => row.status, cell: ({ row }) => <DecisionStatusBadge status={row.original.status} /> },
  {
    id: "decided",
    header: "Decided",
    accessorFn: (row) => row.decidedAt ?? "",
    cell: ({ row }) => <Who person={row.original.decidedBy} at={row.original.decidedAt} />,
    meta: { csv: (row) => `${personText(row.decidedBy)} ${utcMinute(row.decidedAt)}` },
  },
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
  const pending = purchases.filter((p) => p.status === "PENDING");
  const decided = purchases.filter((p) => p.status !== "PENDING");
  return (
    <div className="space-y-8">
      <section aria-labelledby="purchases-pending" className="space-y-3">
        <div>
          <h2 id="purchases-pending" className="text-lg font-semibold">
            Waiting for a decision
          </h2>
          <p className="text-sm text-muted-foreground">Credits startups asked to buy with their own money, oldest first. Confirm once the payment is in.</p>
        </div>
        {pending.length === 0 ? (
          <EmptyState title="No credit purchases waiting">When a startup asks to buy credits, the request appears here for you to confirm or refuse.</EmptyState>
        ) : (
          <DataTable columns={pendingColumns} data={pending} filename="blockable-credit-purchases-pending.csv" filterPlaceholder="Filter requests…" />
        )}
      </section>
      <section aria-labelledby="purchases-decided" className="space-y-3">
        <h2 id="purchases-decided" className="text-lg font-semibold">
          Decided
        </h2>
        {decided.length === 0 ? (
          <EmptyState title="No decided purchases yet" />
        ) : (
          <DataTable columns={historyColumns} data={decided} filename="blockable-credit-purchases.csv" filterPlaceholder="Filter history…" emptyMessage="No decided purchases." />
        )}
      </section>
    </div>
  );
}
