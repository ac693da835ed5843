"use client";

import { useId } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { z } from "zod";
import { requestPurchaseAction } from "@/app/startup/financing/[loanId]/request-purchase-action";
import { purchaseInput } from "@/app/startup/financing/[loanId]/schemas";
import { withdrawPurchaseAction } from "@/app/startup/financing/[loanId]/withdraw-purchase-action";
import { DecisionStatusBadge } from "@/components/admin/payments/status-badge";
import { utcMinute } from "@/components/lender/loan/format";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { formatMicros } from "@/lib/domain/money";
import type { CreditPurchaseDto } from "@/lib/server/payments/startup-queries";
import { moneyColumn } from "./loan-tables";

type Values = z.input<typeof purchaseInput>;

function WithdrawPurchaseButton({ purchase }: { purchase: CreditPurchaseDto }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline" size="sm">
          Withdraw
        </Button>
      }
      title={`Withdraw the purchase request ${purchase.reference}?`}
      description={`The request for ${formatMicros(BigInt(purchase.amountMicros))} of credits leaves the admin's queue; no credits will be issued for it.`}
      confirmLabel="Withdraw request"
      pendingLabel="Withdrawing…"
      onConfirm={async () => {
        const result = await withdrawPurchaseAction({ purchaseId: purchase.id });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`Purchase request ${purchase.reference} withdrawn.`);
        router.refresh();
        return true;
      }}
    />
  );
}

const purchaseColumns: ColumnDef<CreditPurchaseDto>[] = [
  { id: "requestedAt", header: "Requested", accessorFn: (row) => row.requestedAt, cell: ({ row }) => <span className="whitespace-nowrap">{utcMinute(row.original.requestedAt)}</span> },
  moneyColumn("amount", "Credits", (row) => row.amountMicros),
  { accessorKey: "reference", header: "Reference" },
  {
    id: "status",
    header: "Status",
    accessorFn: (row) => row.status.toLowerCase(),
    cell: ({ row }) => (
      <div className="min-w-28">
        <DecisionStatusBadge status={row.original.status} />
        {row.original.status === "PENDING" ? <p className="mt-1 text-xs text-muted-foreground">Waiting for an admin to confirm your payment</p> : null}
        {row.original.status === "CONFIRMED" ? <p className="mt-1 text-xs text-muted-foreground">Credited; pledge them above to raise coverage</p> : null}
        {row.original.refusalReason ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">Reason: {row.original.refusalReason}</p> : null}
      </div>
    ),
    meta: { csv: (row: CreditPurchaseDto) => (row.refusalReason ? `${row.status} (${row.refusalReason})` : row.status) },
  },
  { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => (row.original.status === "PENDING" ? <WithdrawPurchaseButton purchase={row.original} /> : null) },
];

/**
 * "Buy credits": a purchase request (amount, how it is paid). It adds nothing until an admin
 * confirms the payment; then the credits arrive as the startup's own, ready to pledge.
 */
export function BuySection({ reference, purchases }: { reference: string; purchases: CreditPurchaseDto[] }) {
  const router = useRouter();
  const ids = { amount: useId(), reference: useId() };
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof purchaseInput>>({ resolver: zodResolver(purchaseInput), defaultValues: { amountUsd: "", reference: "" } });
  const { register, handleSubmit, getValues, setError, formState: { errors, isSubmitting } } = form;

  const onSubmit = handleSubmit(async () => {
    const result = await requestPurchaseAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: ["amountUsd", "reference"], setError, otherwise: toast.error, aliases: { amountMicros: "amountUsd" } });
      return;
    }
    toast.success(`Requested ${formatMicros(BigInt(result.data.amountMicros))} of credits (${result.data.reference}): pending until an admin confirms your payment.`);
    close();
    router.refresh();
  });

  return (
    <LoanSection
      id="buy"
      title="Buy credits"
      description="Ask to buy credits with your own money (at least $1). They are credited once an admin confirms your payment arrived; then pledge them to this loan."
      actions={
        <Dialog open={isOpen} onOpenChange={onOpenChange}>
          <DialogTrigger asChild>
            <Button type="button" variant="outline">
              Buy credits
            </Button>
          </DialogTrigger>
          <DialogContent>
            <form onSubmit={onSubmit} className="grid gap-4" noValidate>
              <DialogHeader>
                <DialogTitle>Buy credits</DialogTitle>
                <DialogDescription>A purchase request: nothing is credited until an admin confirms your payment arrived. Credits bought are yours, not collateral, until you pledge them.</DialogDescription>
              </DialogHeader>
              <TextField id={ids.amount} label="Credits to buy (USD)" hint="From $1 to $10,000,000; 1 USD of credits costs 1 USD." error={errors.amountUsd?.message} inputMode="decimal" autoComplete="off" placeholder="25,000" {...register("amountUsd")} />
              <TextField id={ids.reference} label="Payment reference" hint="How you pay: the transfer's reference or your purchase order." error={errors.reference?.message} autoComplete="off" maxLength={100} placeholder={`e.g. PO for ${reference}`} {...register("reference")} />
              <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Request purchase" pendingLabel="Requesting…" />
            </form>
          </DialogContent>
        </Dialog>
      }
    >
      <DataTable columns={purchaseColumns} data={purchases} filename="blockable-credit-purchases.csv" initialSorting={[]} emptyMessage="No credit purchase requested yet." />
    </LoanSection>
  );
}
