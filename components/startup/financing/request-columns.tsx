"use client";

import type { ReactNode } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { DecisionStatusBadge } from "@/components/admin/payments/status-badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

// What the startup asks an admin to decide (an application, a payment notice, a credit purchase):
// its decision status with what it means now, and "Withdraw" while it is pending.

type Decided = { status: string; refusalReason: string | null };

/** The status badge, a note under it for `notes`' statuses, and the refusal's reason; the CSV says "STATUS (reason)". */
export function decisionStatusColumn<T extends Decided>(notes: Partial<Record<string, string>>): ColumnDef<T> {
  return {
    id: "status",
    header: "Status",
    accessorFn: (row) => row.status.toLowerCase(),
    cell: ({ row }) => {
      const note = notes[row.original.status];
      return (
        <div className="min-w-28">
          <DecisionStatusBadge status={row.original.status} />
          {note ? <p className="mt-1 text-xs text-muted-foreground">{note}</p> : null}
          {row.original.refusalReason ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">Reason: {row.original.refusalReason}</p> : null}
        </div>
      );
    },
    meta: { csv: (row: T) => (row.refusalReason ? `${row.status} (${row.refusalReason})` : row.status) },
  };
}

/** "Withdraw" on each pending row (nothing on the others). */
export function withdrawColumn<T extends Decided>(render: (row: T) => ReactNode): ColumnDef<T> {
  return { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => (row.original.status === "PENDING" ? render(row.original) : null) };
}

type WithdrawResult = { ok: true } | { ok: false; error: { message: string } };

/** "Withdraw", after a dialog that says what happens; a toast, then the page's new state. */
export function WithdrawButton({ title, description, confirmLabel, successMessage, withdraw }: { title: string; description: string; confirmLabel: string; successMessage: string; withdraw: () => Promise<WithdrawResult> }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline" size="sm">
          Withdraw
        </Button>
      }
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      pendingLabel="Withdrawing…"
      onConfirm={async () => {
        const result = await withdraw();
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(successMessage);
        router.refresh();
        return true;
      }}
    />
  );
}
