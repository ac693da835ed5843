"use client";

import { useId } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { Banknote } from "lucide-react";
import { useRouter } from "next/navigation";
import { useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { recordPaymentAction } from "@/app/admin/payments/record-payment-action";
import { recordPaymentInput } from "@/app/admin/payments/schemas";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormField, SELECT_CLASS, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { applyPayment, debtMicros } from "@/lib/domain/loans/schedule";
import { formatMicros, parseUsdToMicros } from "@/lib/domain/money";
import { FigureList } from "./figure-list";
import type { RepayableLoan } from "./format";

type Values = z.input<typeof recordPaymentInput>;
const FIELDS = ["loanId", "amountUsd", "reference"] as const;

function newKey() {
  return `wire-${crypto.randomUUID()}`;
}

/** The split as the engine will apply it (applyPayment: interest first, then principal), or why there is none. */
function previewOf(loan: RepayableLoan | undefined, amountText: string) {
  if (!loan) return null;
  let amount: bigint;
  try {
    amount = parseUsdToMicros(amountText ?? "");
  } catch {
    return null;
  }
  if (amount <= 0n) return null;
  const balance = { principalOutstandingMicros: BigInt(loan.principalOutstandingMicros), interestAccruedMicros: BigInt(loan.interestAccruedMicros) };
  if (amount > debtMicros(balance)) return { kind: "over", overBy: amount - debtMicros(balance) } as const;
  const split = applyPayment(balance, amount);
  return { kind: "split", interest: split.interestPaidMicros, principal: split.principalPaidMicros, debtAfter: debtMicros(split.remaining) } as const;
}

/**
 * "Record payment": a wire received for a loan without a notice. Loan, amount in USD and the wire's
 * reference; the dialog previews the split the engine will apply before anything is written. One
 * idempotency key per dialog opened, so a double submit records one payment.
 */
export function RecordPaymentDialog({ loans }: { loans: RepayableLoan[] }) {
  const router = useRouter();
  const ids = { loan: useId(), amount: useId(), reference: useId() };
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof recordPaymentInput>>(
    { resolver: zodResolver(recordPaymentInput), defaultValues: { loanId: "", amountUsd: "", reference: "", idempotencyKey: "pending-key" } },
    { onOpen: ({ setValue }) => setValue("idempotencyKey", newKey()) },
  );
  const { register, handleSubmit, getValues, setError, control, formState: { errors, isSubmitting } } = form;
  const [loanId, amountUsd] = useWatch({ control, name: ["loanId", "amountUsd"] });
  const loan = loans.find((l) => l.id === loanId);
  const preview = previewOf(loan, amountUsd);

  const onSubmit = handleSubmit(async () => {
    const result = await recordPaymentAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: toast.error, aliases: { amountMicros: "amountUsd" } });
      return;
    }
    const d = result.data;
    toast.success(
      `Recorded ${formatMicros(BigInt(d.amountMicros))} on ${loan?.reference ?? "the loan"}: ${formatMicros(BigInt(d.interestMicros))} interest, ${formatMicros(BigInt(d.principalMicros))} principal. Debt now ${formatMicros(BigInt(d.debtAfterMicros))}.`,
    );
    close();
    router.refresh();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" disabled={loans.length === 0}>
          <Banknote aria-hidden="true" />
          Record payment
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Record a payment received</DialogTitle>
            <DialogDescription>A wire that arrived for a loan without a notice. It is applied as every payment is: interest accrued to now first, then principal.</DialogDescription>
          </DialogHeader>
          <FormField id={ids.loan} label="Loan" hint="Open loans only (active, margin call, delinquent, frozen)." error={errors.loanId?.message}>
            {(aria) => (
              <select {...aria} className={SELECT_CLASS} {...register("loanId")}>
                <option value="">Choose a loan…</option>
                {loans.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.reference} · {l.startupName} · owes {formatMicros(BigInt(l.debtMicros))}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <TextField
            id={ids.amount}
            label="Amount received (USD)"
            hint="Exactly as credited, up to 6 decimals; at most what the loan owes."
            error={errors.amountUsd?.message}
            inputMode="decimal"
            autoComplete="off"
            placeholder="25,000"
            {...register("amountUsd")}
          />
          <TextField
            id={ids.reference}
            label="Wire reference"
            hint="As it appears on the bank statement; the startup sees it in its payments."
            error={errors.reference?.message}
            autoComplete="off"
            maxLength={100}
            placeholder="e.g. FED-20261204-0042"
            {...register("reference")}
          />
          {loan && preview?.kind === "over" ? (
            <p role="alert" className="text-sm text-destructive">
              That is {formatMicros(preview.overBy)} more than {loan.reference} owes ({formatMicros(BigInt(loan.debtMicros))}).
            </p>
          ) : loan && preview?.kind === "split" ? (
            <FigureList
              rows={[
                { label: "Debt now", value: <Money micros={loan.debtMicros} /> },
                { label: "→ pays accrued interest", value: <Money micros={preview.interest} /> },
                { label: "→ pays principal", value: <Money micros={preview.principal} /> },
                { label: "Debt after", value: <Money micros={preview.debtAfter} />, isTotal: true },
              ]}
            />
          ) : null}
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Record payment" pendingLabel="Recording…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
