"use client";

import { useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { approveApplicationAction } from "@/app/admin/applications/[loanId]/approve-action";
import { ScheduleTable } from "@/components/loans/schedule-table";
import { Bps, Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { parseApprovalForm, termsToForm, type ApprovalForm } from "@/lib/domain/loans/approval-form";
import { previewApproval, projectApprovedCoverage, type ApprovalPreview } from "@/lib/domain/loans/approval-preview";
import type { ParsedApprovalTerms } from "@/lib/domain/loans/approval-terms";
import { formatBps } from "@/lib/domain/money";
import type { Projection } from "@/lib/domain/valuation/projection";
import type { ApplicationPageDto } from "@/lib/server/queries/admin-applications";
import { ApprovalProjectionChart } from "./approval-projection-chart";
import { dateTimeText, multiplierText, usd, usd0 } from "./format";

const BLANK: ApprovalForm = {
  facilityId: "",
  aprPct: "",
  multiplier: "",
  initialPct: "150",
  maintenancePct: "125",
  liquidationPct: "110",
  firstWarningPct: "140",
  secondWarningPct: "130",
  cureWindowHours: "72",
  gracePeriodDays: "5",
  autoFreeze: false,
};

/** react-hook-form checks the fields with the same parser the preview and the server's schema use. */
const resolver: Resolver<ApprovalForm> = async (values) => {
  const parsed = parseApprovalForm(values);
  if (parsed.ok) return { values, errors: {} };
  return { values: {}, errors: Object.fromEntries(Object.entries(parsed.errors).map(([field, message]) => [field, { type: "validate", message }])) };
};

const newRequestKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

type Preview = { terms: ParsedApprovalTerms; preview: ApprovalPreview; projection: Projection | null };

function usePreview(page: ApplicationPageDto, form: ApprovalForm): { result: Preview | null; problem: string | null } {
  const { application, index, burn, previewHorizonDays, asOf } = page;
  // watch() hands a new object each render: recompute only when a value changed.
  const formKey = JSON.stringify(form);
  return useMemo(() => {
    const form = JSON.parse(formKey) as ApprovalForm;
    const parsed = parseApprovalForm(form);
    if (!parsed.ok) return { result: null, problem: Object.values(parsed.errors)[0] ?? "Check the terms." };
    const terms = parsed.terms;
    const principalMicros = BigInt(application.principalMicros);
    const now = new Date(asOf);
    const indexMicros = index.nowMicros === null ? null : BigInt(index.nowMicros);
    const preview = previewApproval({
      principalMicros,
      pledgedMicros: BigInt(application.pledgedMicros),
      termMonths: application.termMonths,
      redistributionFeeBps: application.redistributionFeeBps,
      multiplierBps: terms.multiplierBps,
      aprBps: terms.aprBps,
      initialThresholdBps: terms.initialCoverageBps,
      indexMicros,
      now,
    });
    const projection =
      indexMicros === null
        ? null
        : projectApprovedCoverage({
            preview,
            principalMicros,
            now,
            indexMicros,
            indexTrendMicrosPerDay: BigInt(index.trendMicrosPerDay),
            burnMicrosPerDay: BigInt(burn.sevenDayBurnMicros),
            redistributionFeeBps: application.redistributionFeeBps,
            maintenanceBps: terms.maintenanceCoverageBps,
            horizonDays: previewHorizonDays,
          });
    return { result: { terms, preview, projection }, problem: null };
  }, [application, index, burn, previewHorizonDays, asOf, formKey]);
}

function Field({ id, label, unit, hint, error, children }: { id: string; label: string; unit?: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>
        {label}
        {unit ? <span className="font-normal text-muted-foreground"> ({unit})</span> : null}
      </Label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function Figure({ label, how, children }: { label: string; how: string; children: ReactNode }) {
  return (
    <div className="rounded-md border p-3">
      <dt className="flex items-center gap-1 text-xs text-muted-foreground">
        {label}
        <InfoTip label={label.toLowerCase()}>{how}</InfoTip>
      </dt>
      <dd className="num mt-1 text-lg font-semibold">{children}</dd>
    </div>
  );
}

function projectionSummary(projection: Projection, horizon: number): string {
  const points = projection.series.filter((point) => point.coverageBps !== null);
  if (points.length === 0) return "No debt: coverage is infinite.";
  const lowest = points.reduce((low, point) => (point.coverageBps! < low.coverageBps! ? point : low));
  const first = projection.series[0];
  const last = projection.series.at(-1)!;
  const call = projection.daysToMarginCall === null ? `no margin call within ${horizon} days` : projection.daysToMarginCall === 0 ? "below maintenance from the start" : `a margin call in ${projection.daysToMarginCall} days (${projection.marginCallDate})`;
  return `Projected coverage starts at ${formatBps(first.coverageBps)} and is ${formatBps(last.coverageBps)} after ${horizon} days (lowest ${formatBps(lowest.coverageBps)} on ${lowest.date}): ${call}. Assumes the 7-day burn continues, installments are paid on their due days and the GPU index follows its 30-day trend.`;
}

/**
 * The terms an admin approves with, prefilled with the suggested ones, and what they would do —
 * credits issued, initial coverage, the installment, the schedule, the coverage path — recomputed
 * here as the numbers change with the domain functions the approval service disburses with.
 */
export function ApprovalPanel({ page, viewerUserId }: { page: ApplicationPageDto; viewerUserId: string }) {
  const router = useRouter();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const { application, facilities, fourEyes } = page;
  const defaults = useMemo(() => (page.suggestedTerms ? termsToForm(page.suggestedTerms) : { ...BLANK, multiplier: multiplierText(application.multiplierBps).replace("×", "") }), [page.suggestedTerms, application.multiplierBps]);
  const { register, watch, formState } = useForm<ApprovalForm>({ defaultValues: defaults, resolver, mode: "onChange" });
  const values = watch();
  const { result, problem } = usePreview(page, values);
  const requestKey = useRef(newRequestKey());
  const [serverError, setServerError] = useState<string | null>(null);
  const errors = formState.errors;

  const principalMicros = BigInt(application.principalMicros);
  const facility = facilities.find((f) => f.id === values.facilityId) ?? null;
  const lacksHeadroom = facility !== null && BigInt(facility.headroomMicros) < principalMicros;
  const isMine = fourEyes.firstApproval?.byUserId === viewerUserId;
  const blocker = problem ?? (facility === null ? "Pick a facility." : lacksHeadroom ? `${facility.name} has ${usd(facility.headroomMicros)} left to lend; this application asks for ${usd(principalMicros)}.` : result && !result.preview.meetsInitialThreshold ? initialCoverageProblem(result) : page.index.nowMicros === null ? "There is no GPU index fix yet: enter one before approving." : null);

  async function approve(): Promise<boolean> {
    if (!result) return false;
    const key = requestKey.current;
    const answer = await approveApplicationAction({ loanId: application.id, terms: result.terms, requestKey: key });
    // Every finished request gets a new key: only a request still in flight (a double click) shares one.
    requestKey.current = newRequestKey();
    if (!answer.ok) {
      setServerError(answer.error.message);
      toast.error(answer.error.message);
      return true;
    }
    setServerError(null);
    const data = answer.data;
    if (data.awaitingSecondApproval) toast.success(data.isReplay ? `${data.reference} is already approved by you: waiting for a second admin.` : `Approved ${data.reference}: waiting for a second admin to approve the same terms.`);
    else if (data.isReplay) toast.info(`${data.reference} was already approved with these terms.`);
    else toast.success(`Approved ${data.reference}: ${data.financedMicros ? usd(data.financedMicros) : "the"} credits issued, initial coverage ${formatBps(data.initialCoverageBps)}.`);
    router.refresh();
    return true;
  }

  const p = result?.preview ?? null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Approve with terms</h2>
        </CardTitle>
        <CardDescription>Suggested terms are prefilled: a facility with headroom for the principal, its default APR, the multiplier asked for, the default thresholds. Every figure below is recomputed as you change them.</CardDescription>
        {fourEyes.firstApproval ? (
          <div role="status" className="rounded-md border border-badge-warning-foreground/25 bg-badge-warning p-3 text-sm text-badge-warning-foreground">
            <strong>
              Approved by {fourEyes.firstApproval.byName}, waiting for a second admin
            </strong>
            {fourEyes.firstApproval.at ? ` (since ${dateTimeText(fourEyes.firstApproval.at)})` : ""}. {isMine ? "A second, different admin must approve these terms to disburse." : "Approving the same terms (prefilled) disburses the loan."}
          </div>
        ) : fourEyes.isRequired ? (
          <p className="text-sm text-muted-foreground">
            <Badge variant="info">Four-eyes</Badge> The principal is above {usd0(fourEyes.thresholdMicros)}: the first approval is recorded, and a second, different admin approving the same terms disburses.
          </p>
        ) : null}
      </CardHeader>
      <CardContent className="space-y-6">
        <form className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" onSubmit={(event) => event.preventDefault()} noValidate aria-label="Approval terms">
          <div className="sm:col-span-2 lg:col-span-3">
            <Field id={id("facility")} label="Facility" hint="Headroom = the facility's limit less the principal outstanding on its open loans." error={errors.facilityId?.message}>
              <select
                id={id("facility")}
                {...register("facilityId")}
                className="h-9 w-full rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
                aria-invalid={errors.facilityId ? true : undefined}
              >
                <option value="">Pick a facility…</option>
                {facilities.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name} — {option.lenderName} · headroom {usd0(option.headroomMicros)} of {usd0(option.limitMicros)} · default APR {formatBps(option.defaultAprBps)}
                  </option>
                ))}
              </select>
            </Field>
            {lacksHeadroom ? <p className="mt-1 text-sm text-destructive">Not enough headroom on this facility for {usd(principalMicros)}.</p> : null}
          </div>
          <Field id={id("apr")} label="APR" unit="%" hint="Simple interest, accrued daily at APR/365." error={errors.aprPct?.message}>
            <Input id={id("apr")} inputMode="decimal" {...register("aprPct")} aria-invalid={errors.aprPct ? true : undefined} />
          </Field>
          <Field id={id("multiplier")} label="Multiplier" unit="×" hint={`Credits issued per dollar lent, 1.25 to 1.5 (asked: ${multiplierText(application.multiplierBps)}).`} error={errors.multiplier?.message}>
            <Input id={id("multiplier")} inputMode="decimal" {...register("multiplier")} aria-invalid={errors.multiplier ? true : undefined} />
          </Field>
          <Field id={id("initial")} label="Initial threshold" unit="%" hint="Coverage needed at approval, at least 150%." error={errors.initialPct?.message}>
            <Input id={id("initial")} inputMode="decimal" {...register("initialPct")} aria-invalid={errors.initialPct ? true : undefined} />
          </Field>
          <Field id={id("maintenance")} label="Maintenance threshold" unit="%" hint="Below it: margin call." error={errors.maintenancePct?.message}>
            <Input id={id("maintenance")} inputMode="decimal" {...register("maintenancePct")} aria-invalid={errors.maintenancePct ? true : undefined} />
          </Field>
          <Field id={id("liquidation")} label="Liquidation threshold" unit="%" hint="Below it the lender may freeze at once." error={errors.liquidationPct?.message}>
            <Input id={id("liquidation")} inputMode="decimal" {...register("liquidationPct")} aria-invalid={errors.liquidationPct ? true : undefined} />
          </Field>
          <Field id={id("warning1")} label="First early warning" unit="%" error={errors.firstWarningPct?.message}>
            <Input id={id("warning1")} inputMode="decimal" {...register("firstWarningPct")} aria-invalid={errors.firstWarningPct ? true : undefined} />
          </Field>
          <Field id={id("warning2")} label="Second early warning" unit="%" hint="Leave empty for a single warning." error={errors.secondWarningPct?.message}>
            <Input id={id("warning2")} inputMode="decimal" {...register("secondWarningPct")} aria-invalid={errors.secondWarningPct ? true : undefined} />
          </Field>
          <Field id={id("grace")} label="Grace period" unit="days" hint="An installment unpaid this long after its due date makes the loan delinquent." error={errors.gracePeriodDays?.message}>
            <Input id={id("grace")} inputMode="numeric" {...register("gracePeriodDays")} aria-invalid={errors.gracePeriodDays ? true : undefined} />
          </Field>
          <Field id={id("cure")} label="Cure window" unit="hours" hint="Time a margin call gives the startup to cure." error={errors.cureWindowHours?.message}>
            <Input id={id("cure")} inputMode="numeric" {...register("cureWindowHours")} aria-invalid={errors.cureWindowHours ? true : undefined} />
          </Field>
          <div className="flex items-start gap-2 pt-6">
            <input id={id("auto-freeze")} type="checkbox" className="mt-0.5 size-4 accent-[var(--color-primary)]" {...register("autoFreeze")} />
            <Label htmlFor={id("auto-freeze")} className="leading-snug">
              Auto-freeze below the liquidation threshold
            </Label>
          </div>
        </form>

        <section aria-labelledby={id("preview-title")} className="space-y-4">
          <h3 id={id("preview-title")} className="text-base font-semibold">
            Preview
          </h3>
          <p className="sr-only" aria-live="polite">
            {p ? `Credits issued ${usd(p.financedMicros)}, initial coverage ${formatBps(p.initialCoverageBps)}, monthly installment ${usd(p.installmentMicros)}.` : problem}
          </p>
          {p ? (
            <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
              <Figure label="Credits issued" how="⌊principal × multiplier⌋, issued as the loan's FINANCED lot; the pledged own credits join as its PLEDGED lot.">
                <Money micros={p.financedMicros} />
                <span className="block text-xs font-normal text-muted-foreground">+ {usd(p.pledgedMicros)} pledged = {usd(p.collateralMicros)} collateral</span>
              </Figure>
              <Figure label="Initial coverage" how="(financed + pledged) × mark / principal, with the mark at par less the 15% redistribution fee on the day of approval; rounded down.">
                <Bps bps={p.initialCoverageBps} />
                <span className={`block text-xs font-normal ${p.meetsInitialThreshold ? "text-muted-foreground" : "text-destructive"}`}>{p.meetsInitialThreshold ? "meets the initial threshold" : "below the initial threshold"}</span>
              </Figure>
              <Figure label="Monthly installment" how="The level annuity payment for the principal at APR/12 over the term, rounded up to the µUSD; the last one clears whatever remains.">
                <Money micros={p.installmentMicros} />
                <span className="block text-xs font-normal text-muted-foreground">× {p.schedule.length} months</span>
              </Figure>
              <Figure label="Total interest" how="The schedule's installments less the principal (if every installment is paid on its due day).">
                <Money micros={p.totalInterestMicros} />
                <span className="block text-xs font-normal text-muted-foreground">{usd(p.totalRepaidMicros)} repaid in all</span>
              </Figure>
            </dl>
          ) : (
            <p className="text-sm text-destructive">{problem}</p>
          )}
          {result?.projection ? (
            <ApprovalProjectionChart
              points={result.projection.series.map((point) => ({ day: point.day, date: point.date, coverageBps: point.coverageBps }))}
              initialBps={result.terms.initialCoverageBps}
              maintenanceBps={result.terms.maintenanceCoverageBps}
              liquidationBps={result.terms.liquidationCoverageBps}
              summary={projectionSummary(result.projection, page.previewHorizonDays)}
            />
          ) : null}
          {p ? <ScheduleDetails preview={p} /> : null}
        </section>

        <div className="flex flex-wrap items-center gap-3 border-t pt-4">
          <ConfirmDialog
            trigger={
              <Button type="button" disabled={blocker !== null}>
                Approve
              </Button>
            }
            title={`Approve ${application.reference}?`}
            description={
              fourEyes.isRequired && !fourEyes.firstApproval
                ? `Your approval is recorded; nothing is disbursed until a second, different admin approves the same terms.`
                : `${application.startupName} receives ${p ? usd(p.financedMicros) : "the"} credits on ${facility?.name ?? "the facility"} at ${result ? formatBps(result.terms.aprBps) : ""} APR, and the loan becomes active.`
            }
            confirmLabel="Approve"
            pendingLabel="Approving…"
            confirmVariant="default"
            onConfirm={approve}
          >
            {p && result ? (
              <ul className="space-y-1 text-sm">
                <li>
                  Principal <Money micros={principalMicros} />, {result.terms.multiplierBps / 10_000}× → <Money micros={p.financedMicros} /> credits + <Money micros={p.pledgedMicros} /> pledged
                </li>
                <li>
                  Initial coverage <Bps bps={p.initialCoverageBps} />; {p.schedule.length} installments of <Money micros={p.installmentMicros} />
                </li>
              </ul>
            ) : null}
          </ConfirmDialog>
          {blocker ? <p className="text-sm text-muted-foreground">{blocker}</p> : null}
        </div>
        {serverError ? (
          <p role="alert" className="text-sm text-destructive">
            {serverError}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function initialCoverageProblem(result: Preview): string {
  const { preview, terms } = result;
  const more = preview.pledgeShortfallMicros ? ` It needs ${usd(preview.pledgeShortfallMicros)} more pledged, or a higher multiplier.` : "";
  return `Initial coverage ${formatBps(preview.initialCoverageBps)} is below the initial threshold of ${formatBps(terms.initialCoverageBps)}.${more}`;
}

function ScheduleDetails({ preview }: { preview: ApprovalPreview }) {
  return (
    <details className="rounded-md border">
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Installment schedule ({preview.schedule.length} months)</summary>
      <ScheduleTable schedule={preview.schedule} amountHeader="Installment" scrollLabel="Installment schedule under these terms" />
    </details>
  );
}
