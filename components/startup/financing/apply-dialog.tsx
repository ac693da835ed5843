"use client";

import { useId, useMemo } from "react";
import { FilePlus2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useWatch, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { applyAction } from "@/app/startup/financing/apply-action";
import { FigureList } from "@/components/admin/payments/figure-list";
import { ScheduleTable } from "@/components/loans/schedule-table";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormField, TextField } from "@/components/ui/form-field";
import { InfoTip } from "@/components/ui/info-tip";
import { Textarea } from "@/components/ui/textarea";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { microsToUsdInput, parseApplicationForm, previewApplication, type ApplicationForm, type ApplicationPreview } from "@/lib/domain/loans/application-preview";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { ApplyContextDto } from "@/lib/server/queries/startup-financing";

const DEFAULTS: ApplicationForm = { principalUsd: "", multiplier: "1.5", termMonths: "12", pledgeUsd: "", purpose: "" };
const FIELDS = ["principalUsd", "multiplier", "termMonths", "pledgeUsd", "purpose"] as const;
const SERVER_FIELDS = { principalMicros: "principalUsd", multiplierBps: "multiplier", termMonths: "termMonths", pledgedMicros: "pledgeUsd", purpose: "purpose" } as const;

const usd = (micros: bigint) => formatMicros(micros);
const usdExact = (micros: bigint) => formatMicros(micros, { decimals: 6 });

/** The preview of what was typed, by the domain's previewApplication, or the first problem with it. */
function usePreview(context: ApplyContextDto, form: ApplicationForm): { preview: ApplicationPreview | null; problem: string | null } {
  const key = JSON.stringify(form);
  return useMemo(() => {
    const values = JSON.parse(key) as ApplicationForm;
    // Preview as soon as principal, multiplier and term make sense: a purpose is not needed for numbers.
    const parsed = parseApplicationForm({ ...values, purpose: values.purpose.trim() || "preview" });
    if (!parsed.ok) {
      const first = Object.entries(parsed.errors)[0];
      return { preview: null, problem: values.principalUsd.trim() === "" ? "Enter a principal to see what you would receive." : (first?.[1] ?? "Check the figures.") };
    }
    const { application } = parsed;
    const preview = previewApplication({
      principalMicros: application.principalMicros,
      multiplierBps: application.multiplierBps,
      termMonths: application.termMonths,
      pledgedMicros: application.pledgedMicros,
      indicativeAprBps: context.indicativeAprBps,
      redistributionFeeBps: context.redistributionFeeBps,
      initialThresholdBps: context.initialThresholdBps,
      indexMicros: context.indexMicros === null ? null : BigInt(context.indexMicros),
      now: new Date(),
    });
    return { preview, problem: null };
  }, [context, key]);
}

/**
 * "Apply": principal, multiplier (1.25–1.5×), term, own credits to pledge and purpose, with a live
 * preview — credits received, initial coverage, the monthly installment and schedule, and the least
 * pledge that reaches the initial threshold — computed here by the functions the approval uses.
 */
export function ApplyDialog({ context }: { context: ApplyContextDto }) {
  const router = useRouter();
  const ids = { principal: useId(), multiplier: useId(), term: useId(), pledge: useId(), purpose: useId(), preview: useId() };
  const maxPledgeMicros = BigInt(context.ownPledgeableMicros);
  const resolver: Resolver<ApplicationForm> = async (values) => {
    const parsed = parseApplicationForm(values, { maxPledgeMicros });
    if (parsed.ok) return { values, errors: {} };
    return { values: {}, errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, message]) => [field, { type: "validate", message }])) };
  };
  const { form, isOpen, onOpenChange, close } = useFormDialog<ApplicationForm>({ resolver, defaultValues: DEFAULTS, mode: "onTouched" });
  const { register, handleSubmit, getValues, setValue, setError, control, formState: { errors, isSubmitting } } = form;
  const values = useWatch({ control }) as ApplicationForm;
  const { preview, problem } = usePreview(context, { ...DEFAULTS, ...values });
  const least = preview?.leastPledgeMicros ?? null;

  const onSubmit = handleSubmit(async () => {
    const parsed = parseApplicationForm(getValues(), { maxPledgeMicros });
    if (!parsed.ok) return;
    const { application } = parsed;
    const result = await applyAction({
      principalMicros: application.principalMicros.toString(),
      multiplierBps: application.multiplierBps,
      termMonths: application.termMonths,
      pledgedMicros: application.pledgedMicros.toString(),
      purpose: application.purpose,
    });
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: toast.error, aliases: SERVER_FIELDS });
      return;
    }
    toast.success(`Applied: ${result.data.reference} is waiting for an admin's decision.`);
    close();
    router.refresh();
  });

  const blocked = context.blockedBy;
  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" disabled={blocked !== null}>
          <FilePlus2 aria-hidden="true" />
          Apply
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[92vh] overflow-y-auto sm:max-w-3xl">
        <form onSubmit={onSubmit} className="grid gap-5" noValidate aria-describedby={ids.preview}>
          <DialogHeader>
            <DialogTitle>Apply for financing</DialogTitle>
            <DialogDescription>
              A lender&apos;s money buys credits at a bulk discount: you receive 1.25–1.5× the principal in credits. The unspent credits, with any you pledge, are the collateral. An admin approves
              the terms (lender, APR, multiplier) or says why not.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField id={ids.principal} label="Principal (USD)" hint="What you borrow and repay, up to $100,000,000." error={errors.principalUsd?.message} inputMode="decimal" autoComplete="off" placeholder="50,000" {...register("principalUsd")} />
            <TextField id={ids.multiplier} label="Multiplier (×)" hint="Credits per dollar borrowed: 1.25 to 1.5." error={errors.multiplier?.message} inputMode="decimal" autoComplete="off" {...register("multiplier")} />
            <TextField id={ids.term} label="Term (months)" hint="Monthly installments, 1 to 36 months." error={errors.termMonths?.message} inputMode="numeric" autoComplete="off" {...register("termMonths")} />
            <div className="grid content-start gap-2">
              <TextField
                id={ids.pledge}
                label="Pledge of your own credits (USD)"
                hint={`You hold ${usd(maxPledgeMicros)} of your own credits you can pledge; they move into the loan's pledged lot on approval.`}
                error={errors.pledgeUsd?.message}
                inputMode="decimal"
                autoComplete="off"
                placeholder="0"
                {...register("pledgeUsd")}
              />
              {least !== null ? (
                <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setValue("pledgeUsd", microsToUsdInput(least), { shouldValidate: true, shouldDirty: true })}>
                  Use the least pledge ({usdExact(least)})
                </Button>
              ) : null}
            </div>
            <FormField id={ids.purpose} label="Purpose" hint="What the credits are for; the admin and the lender read it (up to 500 characters)." error={errors.purpose?.message} className="sm:col-span-2">
              {(aria) => <Textarea {...aria} rows={3} maxLength={500} {...register("purpose")} />}
            </FormField>
          </div>

          <section aria-labelledby={`${ids.preview}-title`} className="space-y-3">
            <h3 id={`${ids.preview}-title`} className="text-base font-semibold">
              Preview
            </h3>
            <p id={ids.preview} className="sr-only" aria-live="polite">
              {preview
                ? `Credits received ${usd(preview.financedMicros)}, initial coverage ${formatBps(preview.initialCoverageBps)}, monthly installment ${usd(preview.installmentMicros)}${least !== null ? `, least pledge ${usdExact(least)}` : ""}.`
                : problem}
            </p>
            {preview ? <PreviewFigures preview={preview} context={context} /> : <p className="text-sm text-muted-foreground">{problem}</p>}
          </section>
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Send application" pendingLabel="Sending…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}

function PreviewFigures({ preview, context }: { preview: ApplicationPreview; context: ApplyContextDto }) {
  const threshold = formatBps(preview.initialThresholdBps);
  const least = preview.leastPledgeMicros;
  return (
    <div className="space-y-3">
      <FigureList
        rows={[
          { label: <Tip label="Credits received" how="⌊principal × multiplier⌋, issued as a financed lot the day the application is approved." />, value: <Money micros={preview.financedMicros} /> },
          { label: "Pledged (your own credits)", value: <Money micros={preview.pledgedMicros} /> },
          { label: <Tip label="Collateral at approval" how="Credits received + pledged: the unspent credits a lender can freeze." />, value: <Money micros={preview.collateralMicros} /> },
          {
            label: <Tip label="Initial coverage" how={`Collateral × mark ÷ principal, rounded down. At approval the mark is par less the ${formatBps(context.redistributionFeeBps)} redistribution fee.`} />,
            value: (
              <span className="inline-flex items-center gap-2">
                <Bps bps={preview.initialCoverageBps} />
                {preview.initialCoverageBps === null ? null : preview.meetsInitialThreshold ? <Badge variant="success">meets {threshold}</Badge> : <Badge variant="warning">below {threshold}</Badge>}
              </span>
            ),
          },
          {
            label: <Tip label={`Least pledge for ${threshold}`} how={`The fewest own credits that bring (credits received + pledge) × mark ÷ principal to ${threshold}; one µUSD less falls short.`} />,
            value: least === null ? "—" : <Money micros={least} decimals={6} />,
          },
          {
            label: <Tip label="Monthly installment" how={`The level payment over the term at APR ÷ 12, rounded up to the µUSD. Assumes ${formatBps(preview.aprBps)} APR${context.isIndicativeAprFallback ? "" : ", the highest default APR among the lenders"}; the admin sets yours on approval.`} />,
            value: <Money micros={preview.installmentMicros} />,
          },
          { label: "Interest over the term", value: <Money micros={preview.totalInterestMicros} /> },
          { label: "Total repaid", value: <Money micros={preview.totalRepaidMicros} />, isTotal: true },
        ]}
      />
      {context.indexMicros === null ? <p className="text-sm text-muted-foreground">No GPU index fix yet: coverage shows once the platform has today&apos;s fix.</p> : null}
      {preview.initialCoverageBps !== null && !preview.meetsInitialThreshold ? (
        <p className="text-sm text-destructive">
          At {formatBps(preview.initialCoverageBps)} this would be refused: pledge at least {least === null ? "more" : formatMicros(least, { decimals: 6 })} of your own credits, ask for a higher multiplier, or ask for less.
        </p>
      ) : null}
      <details className="rounded-md border p-3">
        <summary className="cursor-pointer text-sm font-medium">Installment schedule ({preview.schedule.length} months)</summary>
        <div className="mt-3 max-h-72 overflow-y-auto">
          <ScheduleTable schedule={preview.schedule} />
        </div>
        <p className="mt-2 text-xs text-muted-foreground">Dates count from today, as if approved now; the schedule starts the day the loan is approved.</p>
      </details>
    </div>
  );
}

function Tip({ label, how }: { label: string; how: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      {label}
      <InfoTip label={label.toLowerCase()}>{how}</InfoTip>
    </span>
  );
}
