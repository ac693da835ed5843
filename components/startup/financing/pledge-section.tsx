"use client";

import { useId } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { pledgeAction } from "@/app/startup/financing/[loanId]/pledge-action";
import { pledgeInput } from "@/app/startup/financing/[loanId]/schemas";
import { FigureList } from "@/components/admin/payments/figure-list";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Bps, Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/form-dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { microsToUsdInput } from "@/lib/domain/loans/application-preview";
import { formatMicros, parseUsdToMicros } from "@/lib/domain/money";
import { coverageBps } from "@/lib/domain/valuation/coverage";
import type { StartupLoanPageDto } from "@/lib/server/queries/startup-financing";

type Values = z.input<typeof pledgeInput>;

function amountOf(text: string | undefined): bigint | null {
  try {
    const micros = parseUsdToMicros(text ?? "");
    return micros > 0n ? micros : null;
  } catch {
    return null;
  }
}

/**
 * "Pledge credits": own spendable credits move into the loan's pledged lot at once (the startup's
 * balances do not change; the credits become collateral), and coverage is recomputed. The dialog
 * shows the coverage after, by the same coverage rule, before anything is written.
 */
export function PledgeSection({ page }: { page: StartupLoanPageDto }) {
  const router = useRouter();
  const amountId = useId();
  const available = BigInt(page.ownPledgeableMicros);
  const cureMicros = page.cure?.pledgeMicros ? BigInt(page.cure.pledgeMicros) : 0n;
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof pledgeInput>>({ resolver: zodResolver(pledgeInput), defaultValues: { loanId: page.loanId, amountUsd: "" } });
  const { register, handleSubmit, getValues, setValue, setError, control, formState: { errors, isSubmitting } } = form;
  const amount = amountOf(useWatch({ control, name: "amountUsd" }));
  const figures = page.figures;
  const after =
    amount !== null && figures.collateralMicros !== null && figures.markPpm !== null
      ? coverageBps({ collateralMicros: BigInt(figures.collateralMicros) + amount, markPpm: figures.markPpm, debtMicros: BigInt(figures.debtMicros) })
      : null;

  const onSubmit = handleSubmit(async () => {
    const result = await pledgeAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: ["amountUsd"], setError, otherwise: toast.error, aliases: { amountMicros: "amountUsd" } });
      return;
    }
    toast.success(`Pledged ${formatMicros(BigInt(result.data.pledgedMicros))} to ${page.reference}: ${formatMicros(BigInt(result.data.pledgedTotalMicros))} pledged in all.`);
    close();
    router.refresh();
  });

  return (
    <LoanSection
      id="pledge"
      title="Pledge credits"
      description="Move your own credits into this loan's collateral. It takes effect at once and raises coverage; the credits stay spendable unless the lender freezes them."
      actions={
        <FormDialog
          open={isOpen}
          onOpenChange={onOpenChange}
          trigger={
            <Button type="button" disabled={!page.isOpen || available === 0n}>
              Pledge credits
            </Button>
          }
          title={`Pledge credits to ${page.reference}`}
          description={<>Your own credits (bought, not financed) join the loan&apos;s pledged lot now. They are returned to you when the loan is repaid.</>}
          onSubmit={onSubmit}
        >
          <TextField
            id={amountId}
            label="Credits to pledge (USD)"
            hint={`You can pledge up to ${formatMicros(available, { decimals: 6 })}.`}
            error={errors.amountUsd?.message}
            inputMode="decimal"
            autoComplete="off"
            {...register("amountUsd")}
          />
          {cureMicros > 0n ? (
            <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setValue("amountUsd", microsToUsdInput(cureMicros), { shouldValidate: true })}>
              Use the least pledge that {page.state === "MARGIN_CALL" ? "cures the margin call" : "restores maintenance"} ({formatMicros(cureMicros, { decimals: 6 })})
            </Button>
          ) : null}
          {amount !== null && figures.collateralMicros !== null ? (
            <FigureList
              rows={[
                { label: "Collateral now", value: <Money micros={figures.collateralMicros} /> },
                { label: "Coverage now", value: <Bps bps={figures.coverageBps} /> },
                { label: "Pledged", value: <Money micros={amount} /> },
                { label: "Coverage after", value: <Bps bps={after} />, isTotal: true },
              ]}
            />
          ) : null}
          {amount !== null && amount > available ? (
            <p role="alert" className="text-sm text-destructive">
              That is more than the {formatMicros(available, { decimals: 6 })} of your own credits you can pledge. Buy credits first (below).
            </p>
          ) : null}
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Pledge" pendingLabel="Pledging…" />
        </FormDialog>
      }
    >
      <FigureList
        rows={[
          { label: "Pledged to this loan", value: <Money micros={page.pledgedMicros} /> },
          { label: "Your own credits you can pledge", value: <Money micros={available} /> },
          ...(page.cure && cureMicros > 0n ? [{ label: `Least pledge to reach ${(page.cure.targetBps / 100).toFixed(0)}%`, value: <Money micros={cureMicros} decimals={6} /> }] : []),
        ]}
      />
      {available === 0n && page.isOpen ? <p className="mt-3 text-sm text-muted-foreground">You have no own credits left to pledge: buy credits, and pledge them once an admin confirms your payment.</p> : null}
    </LoanSection>
  );
}
