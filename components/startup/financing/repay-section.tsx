"use client";

import { useId } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { z } from "zod";
import { declarePaymentAction } from "@/app/startup/financing/[loanId]/declare-payment-action";
import { declarePaymentInput } from "@/app/startup/financing/[loanId]/schemas";
import { withdrawNoticeAction } from "@/app/startup/financing/[loanId]/withdraw-notice-action";
import { FigureList } from "@/components/admin/payments/figure-list";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { moneyColumn, timeColumn } from "@/components/loans/columns";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { FormDialog } from "@/components/ui/form-dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { microsToUsdInput } from "@/lib/domain/loans/application-preview";
import { formatMicros } from "@/lib/domain/money";
import type { PaymentNoticeDto } from "@/lib/server/payments/startup-queries";
import type { StartupLoanPageDto } from "@/lib/server/queries/startup-financing";
import { todayUtc } from "./format";
import { decisionStatusColumn, withdrawColumn, WithdrawButton } from "./request-columns";

type Values = z.input<typeof declarePaymentInput>;
const FIELDS = ["amountUsd", "sentOn", "reference"] as const;

/** "Withdraw" a pending notice, after a dialog that says what happens. */
function WithdrawNoticeButton({ notice }: { notice: PaymentNoticeDto }) {
  return (
    <WithdrawButton
      title={`Withdraw the notice ${notice.reference}?`}
      description={`The declared ${formatMicros(BigInt(notice.amountMicros))} leaves the admin's queue and will not be recorded. Declare it again if the money was sent.`}
      confirmLabel="Withdraw notice"
      successMessage={`Notice ${notice.reference} withdrawn.`}
      withdraw={() => withdrawNoticeAction({ noticeId: notice.id })}
    />
  );
}

const noticeColumns: ColumnDef<PaymentNoticeDto>[] = [
  timeColumn("declaredAt", "Declared", (row) => row.declaredAt),
  moneyColumn("amount", "Amount", (row) => row.amountMicros),
  { accessorKey: "sentOn", header: "Sent on", cell: ({ row }) => <span className="num whitespace-nowrap">{row.original.sentOn}</span> },
  { accessorKey: "reference", header: "Reference" },
  decisionStatusColumn({ PENDING: "Waiting for an admin to confirm receipt" }),
  withdrawColumn((notice) => <WithdrawNoticeButton notice={notice} />),
];

/**
 * "Declare repayment": the lender's payment instructions, then a notice of the payment sent
 * (amount, day, reference). It stays pending — the debt does not move — until an admin confirms
 * the money arrived and records it; a pending notice can be withdrawn.
 */
export function RepaySection({ page }: { page: StartupLoanPageDto }) {
  const router = useRouter();
  const ids = { amount: useId(), sentOn: useId(), reference: useId() };
  const debt = BigInt(page.figures.debtMicros);
  const pending = BigInt(page.pendingDeclaredMicros);
  const room = debt - pending > 0n ? debt - pending : 0n;
  const cureRepay = page.cure ? BigInt(page.cure.repayMicros) : 0n;
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof declarePaymentInput>>(
    { resolver: zodResolver(declarePaymentInput), defaultValues: { loanId: page.loanId, amountUsd: "", sentOn: todayUtc(new Date(page.asOf)), reference: "" } },
    { onOpen: ({ setValue }) => setValue("sentOn", todayUtc()) },
  );
  const { register, handleSubmit, getValues, setValue, setError, formState: { errors, isSubmitting } } = form;

  const onSubmit = handleSubmit(async () => {
    const result = await declarePaymentAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: toast.error, aliases: { amountMicros: "amountUsd" } });
      return;
    }
    toast.success(`Declared ${formatMicros(BigInt(result.data.amountMicros))} (${result.data.reference}): pending until an admin confirms it arrived.`);
    close();
    router.refresh();
  });

  const instructions = page.paymentInstructions.text;
  return (
    <LoanSection
      id="repay"
      title="Declare repayment"
      description="Pay the lender by bank transfer, then declare the payment here. Your debt falls only once an admin confirms the money arrived."
      actions={
        <FormDialog
          open={isOpen}
          onOpenChange={onOpenChange}
          trigger={
            <Button type="button" disabled={!page.isOpen || room === 0n}>
              Declare payment
            </Button>
          }
          title="Declare a payment you sent"
          description="The payment is pending until an admin confirms it arrived; then it pays accrued interest first, then principal."
          onSubmit={onSubmit}
        >
          <FigureList
            rows={[
              { label: "Owed now", value: <Money micros={debt} /> },
              { label: "Already declared, pending", value: <Money micros={pending} /> },
              { label: "You can declare up to", value: <Money micros={room} decimals={6} />, isTotal: true },
            ]}
          />
          <TextField id={ids.amount} label="Amount sent (USD)" hint="Exactly as sent, up to 6 decimals." error={errors.amountUsd?.message} inputMode="decimal" autoComplete="off" placeholder="10,000" {...register("amountUsd")} />
          {cureRepay > 0n && cureRepay <= room ? (
            <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setValue("amountUsd", microsToUsdInput(cureRepay), { shouldValidate: true })}>
              Use the least repayment that {page.state === "MARGIN_CALL" ? "cures the margin call" : "restores maintenance"} ({formatMicros(cureRepay, { decimals: 6 })})
            </Button>
          ) : null}
          <TextField id={ids.sentOn} label="Sent on" type="date" hint="The day the transfer left your bank." error={errors.sentOn?.message} {...register("sentOn")} />
          <TextField id={ids.reference} label="Payment reference" hint="As on your bank's confirmation, so the admin can match it." error={errors.reference?.message} autoComplete="off" maxLength={100} placeholder={`e.g. ${page.reference}`} {...register("reference")} />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Declare payment" pendingLabel="Declaring…" />
        </FormDialog>
      }
    >
      <div className="space-y-4">
        {instructions ? (
          <div className="rounded-md border bg-muted/40 p-3">
            <div className="flex items-center justify-between gap-2">
              <h3 className="text-sm font-semibold">How to pay {page.lenderName ?? "the lender"}</h3>
              {page.paymentInstructions.isFallback ? null : <CopyButton value={instructions} label="Copy payment instructions" />}
            </div>
            <p className="mt-2 text-sm whitespace-pre-line">{instructions}</p>
          </div>
        ) : null}
        {cureRepay > 0n && page.cure ? (
          <p className="text-sm">
            Least repayment to reach {(page.cure.targetBps / 100).toFixed(0)}% coverage: <Money micros={cureRepay} decimals={6} className="font-semibold" /> (counts once confirmed).
          </p>
        ) : null}
        <DataTable columns={noticeColumns} data={page.notices} filename={`${page.reference}-payment-notices.csv`} initialSorting={[]} emptyMessage="No payment declared yet." />
      </div>
    </LoanSection>
  );
}
