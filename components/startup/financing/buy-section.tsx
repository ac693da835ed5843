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
import { LoanSection } from "@/components/lender/loan/loan-section";
import { moneyColumn, timeColumn } from "@/components/loans/columns";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { FormDialog } from "@/components/ui/form-dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { formatMicros } from "@/lib/domain/money";
import type { CreditPurchaseDto } from "@/lib/server/payments/startup-queries";
import { decisionStatusColumn, withdrawColumn, WithdrawButton } from "./request-columns";

type Values = z.input<typeof purchaseInput>;

function WithdrawPurchaseButton({ purchase }: { purchase: CreditPurchaseDto }) {
  return (
    <WithdrawButton
      title={`Withdraw the purchase request ${purchase.reference}?`}
      description={`The request for ${formatMicros(BigInt(purchase.amountMicros))} of credits leaves the admin's queue; no credits will be issued for it.`}
      confirmLabel="Withdraw request"
      successMessage={`Purchase request ${purchase.reference} withdrawn.`}
      withdraw={() => withdrawPurchaseAction({ purchaseId: purchase.id })}
    />
  );
}

const purchaseColumns: ColumnDef<CreditPurchaseDto>[] = [
  timeColumn("requestedAt", "Requested", (row) => row.requestedAt),
  moneyColumn("amount", "Credits", (row) => row.amountMicros),
  { accessorKey: "reference", header: "Reference" },
  decisionStatusColumn({ PENDING: "Waiting for an admin to confirm your payment", CONFIRMED: "Credited; pledge them above to raise coverage" }),
  withdrawColumn((purchase) => <WithdrawPurchaseButton purchase={purchase} />),
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
        <FormDialog
          open={isOpen}
          onOpenChange={onOpenChange}
          trigger={
            <Button type="button" variant="outline">
              Buy credits
            </Button>
          }
          title="Buy credits"
          description="A purchase request: nothing is credited until an admin confirms your payment arrived. Credits bought are yours, not collateral, until you pledge them."
          onSubmit={onSubmit}
        >
          <TextField id={ids.amount} label="Credits to buy (USD)" hint="From $1 to $10,000,000; 1 USD of credits costs 1 USD." error={errors.amountUsd?.message} inputMode="decimal" autoComplete="off" placeholder="25,000" {...register("amountUsd")} />
          <TextField id={ids.reference} label="Payment reference" hint="How you pay: the transfer's reference or your purchase order." error={errors.reference?.message} autoComplete="off" maxLength={100} placeholder={`e.g. PO for ${reference}`} {...register("reference")} />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Request purchase" pendingLabel="Requesting…" />
        </FormDialog>
      }
    >
      <DataTable columns={purchaseColumns} data={purchases} filename="blockable-credit-purchases.csv" initialSorting={[]} emptyMessage="No credit purchase requested yet." />
    </LoanSection>
  );
}
