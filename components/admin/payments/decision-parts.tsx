"use client";

import type { ReactNode } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/states";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { compareMicros, personText, utcMinute } from "./format";

// What the repayment notices and the credit purchases share: both are declared by a startup and
// decided by an admin, so both show a "waiting" table and a "decided" one, with the same money,
// reference and who-and-when columns, and the same "Confirm" dialog around their own action.

type Person = { name: string; email: string } | null;
type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { message: string } };

/** µUSD as an exact decimal for a CSV cell ("" when there is none). */
export const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

function Who({ person, at }: { person: Person; at: string | null }) {
  return (
    <div className="min-w-40">
      <div>{person?.name ?? "—"}</div>
      <div className="text-xs text-muted-foreground">{utcMinute(at)}</div>
    </div>
  );
}

/** "Amount (USD)": sorted as an exact integer, exported as an exact decimal. */
export function amountColumn<Row extends { amountMicros: string }>(): ColumnDef<Row> {
  return {
    id: "amount",
    header: "Amount (USD)",
    accessorFn: (row) => row.amountMicros,
    sortingFn: (a, b) => compareMicros(a.original.amountMicros, b.original.amountMicros),
    cell: ({ row }) => <Money micros={row.original.amountMicros} />,
    meta: { align: "right", csv: (row) => usdCsv(row.amountMicros) },
  };
}

/** "Reference": the wire's reference, in monospace. */
export function referenceColumn<Row extends { reference: string }>(): ColumnDef<Row> {
  return { id: "reference", header: "Reference", accessorFn: (row) => row.reference, cell: ({ row }) => <span className="font-mono text-xs">{row.original.reference}</span> };
}

/** Who did something and when (UTC minute), e.g. "Declared" or "Decided". */
export function personAtColumn<Row>(id: string, header: string, person: (row: Row) => Person, at: (row: Row) => string | null): ColumnDef<Row> {
  return {
    id,
    header,
    accessorFn: (row) => at(row) ?? "",
    cell: ({ row }) => <Who person={person(row.original)} at={at(row.original)} />,
    meta: { csv: (row) => `${personText(person(row))} ${utcMinute(at(row))}` },
  };
}

/**
 * "Confirm" on a waiting row: the dialog says what confirming does, in numbers (the children),
 * then runs the action; a toast says what happened and the page shows the new state.
 */
export function ConfirmDecisionDialog<T>({
  title,
  description,
  confirmLabel,
  pendingLabel,
  confirm,
  successText,
  children,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  confirm: () => Promise<ActionResult<T>>;
  successText: (data: T) => string;
  children: ReactNode;
}) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm">
          Confirm
        </Button>
      }
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      pendingLabel={pendingLabel}
      confirmVariant="default"
      onConfirm={async () => {
        const result = await confirm();
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(successText(result.data));
        router.refresh();
        return true;
      }}
    >
      {children}
    </ConfirmDialog>
  );
}

type TableSpec<Row> = { columns: ColumnDef<Row>[]; filename: string; filterPlaceholder: string; emptyMessage?: string };

/** The two halves of a tab: rows waiting for a decision (with what to do when there are none), then the decided ones. */
export function DecisionSections<Row extends { status: string }>({
  idPrefix,
  rows,
  intro,
  pending,
  decided,
}: {
  idPrefix: string;
  rows: Row[];
  intro: ReactNode;
  pending: TableSpec<Row> & { emptyTitle: string; emptyText: ReactNode };
  decided: TableSpec<Row> & { emptyTitle: string };
}) {
  const waiting = rows.filter((row) => row.status === "PENDING");
  const done = rows.filter((row) => row.status !== "PENDING");
  return (
    <div className="space-y-8">
      <section aria-labelledby={`${idPrefix}-pending`} className="space-y-3">
        <div>
          <h2 id={`${idPrefix}-pending`} className="text-lg font-semibold">
            Waiting for a decision
          </h2>
          <p className="text-sm text-muted-foreground">{intro}</p>
        </div>
        {waiting.length === 0 ? (
          <EmptyState title={pending.emptyTitle}>{pending.emptyText}</EmptyState>
        ) : (
          <DataTable columns={pending.columns} data={waiting} filename={pending.filename} filterPlaceholder={pending.filterPlaceholder} emptyMessage={pending.emptyMessage} />
        )}
      </section>
      <section aria-labelledby={`${idPrefix}-decided`} className="space-y-3">
        <h2 id={`${idPrefix}-decided`} className="text-lg font-semibold">
          Decided
        </h2>
        {done.length === 0 ? (
          <EmptyState title={decided.emptyTitle} />
        ) : (
          <DataTable columns={decided.columns} data={done} filename={decided.filename} filterPlaceholder={decided.filterPlaceholder} emptyMessage={decided.emptyMessage} />
        )}
      </section>
    </div>
  );
}
