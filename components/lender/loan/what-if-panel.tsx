"use client";

import { useId, useMemo, useState } from "react";
import { ProjectionChart } from "@/components/charts/projection-chart";
import { Bps } from "@/components/money";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formatBps, formatMicros } from "@/lib/domain/money";
import { whatIf, type WhatIfResult } from "@/lib/domain/valuation/projection";
import { parseWhatIfForm, projectionInputFromDto, type ProjectionInputDto, type WhatIfForm, type WhatIfFormErrors } from "@/lib/domain/valuation/what-if-inputs";
import { cn } from "@/lib/utils";

const BLANK: WhatIfForm = { burnChange: "", indexShock: "", extraRepayment: "" };

const FIELDS: { key: keyof WhatIfForm; label: string; unit: string; prefix?: string; hint: string; placeholder: string }[] = [
  { key: "burnChange", label: "Burn change", unit: "%", hint: "In percent: +50 = the borrower spends half as much again; −100 = no spend at all.", placeholder: "0" },
  { key: "indexShock", label: "Index shock", unit: "%", hint: "In percent: −20 = the GPU index drops 20% today, then follows its trend.", placeholder: "0" },
  { key: "extraRepayment", label: "Extra repayment", unit: "USD", prefix: "$", hint: "In USD, cash repaid today: lowers the debt and the daily interest.", placeholder: "0.00" },
];

function daysText(days: number | null, horizon: number, date: string | null): string {
  if (days === null) return `none within ${horizon} days`;
  if (days === 0) return "now (below maintenance today)";
  return `in ${days} day${days === 1 ? "" : "s"}${date ? ` (${date})` : ""}`;
}

function shortDays(days: number | null, horizon: number): string {
  if (days === null) return `None within ${horizon} days`;
  if (days === 0) return "Already below";
  return `${days} day${days === 1 ? "" : "s"}`;
}

/**
 * Burn change, index shock and extra repayment → projected coverage and days to margin call,
 * computed here with the domain's own `whatIf` (lib/domain/valuation/projection.ts, the function
 * the server runs) on the loan's projection inputs from the server.
 */
export function WhatIfPanel({ inputs, liquidationBps }: { inputs: ProjectionInputDto; liquidationBps: number }) {
  const base = useMemo(() => projectionInputFromDto(inputs), [inputs]);
  const [form, setForm] = useState<WhatIfForm>(BLANK);
  const [errors, setErrors] = useState<WhatIfFormErrors>({});
  const [result, setResult] = useState<WhatIfResult>(() => whatIf(base, {}));
  const [appliedInputs, setAppliedInputs] = useState(inputs);
  const baseId = useId();

  // New server figures (a refresh): project them with the change in the form.
  if (appliedInputs !== inputs) {
    setAppliedInputs(inputs);
    const parsed = parseWhatIfForm(form);
    setResult(whatIf(base, parsed.ok ? parsed.change : {}));
  }

  function update(key: keyof WhatIfForm, value: string) {
    const next = { ...form, [key]: value };
    setForm(next);
    const parsed = parseWhatIfForm(next);
    if (!parsed.ok) {
      // A wrong field changes nothing: the last valid projection stays on screen.
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setResult(whatIf(base, parsed.change));
  }

  function reset() {
    setForm(BLANK);
    setErrors({});
    setResult(whatIf(base, {}));
  }

  const horizon = base.horizonDays;
  const baselineSeries = useMemo(() => whatIf(base, {}).series, [base]);
  const points = result.series.map((point, i) => ({ day: point.day, date: point.date, scenarioBps: point.coverageBps, baselineBps: baselineSeries[i]?.coverageBps ?? null }));
  const summary = `As things are, coverage is ${formatBps(result.baseline.coverageBpsNow)} today and the margin call comes ${daysText(result.baseline.daysToMarginCall, horizon, null)}. With the what-if, coverage is ${formatBps(result.coverageBpsNow)} today and the margin call comes ${daysText(result.daysToMarginCall, horizon, result.marginCallDate)}; on day ${horizon} projected coverage is ${formatBps(result.series.at(-1)?.coverageBps ?? null)}.`;
  const isChanged = form.burnChange.trim() !== "" || form.indexShock.trim() !== "" || form.extraRepayment.trim() !== "";

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
      <form className="space-y-4" onSubmit={(event) => event.preventDefault()} aria-describedby={`${baseId}-about`}>
        <p id={`${baseId}-about`} className="text-sm text-muted-foreground">
          Today: collateral {formatMicros(base.collateralMicros)}, debt {formatMicros(base.debtMicros)}, burn {formatMicros(base.burnMicrosPerDay)}/day.
        </p>
        {FIELDS.map((field) => {
          const id = `${baseId}-${field.key}`;
          const error = errors[field.key];
          return (
            <div key={field.key} className="space-y-1.5">
              <div className="flex items-baseline justify-between gap-2">
                <Label htmlFor={id}>{field.label}</Label>
                <span className="text-xs text-muted-foreground">{field.unit === "%" ? "percent" : "US dollars"}</span>
              </div>
              <div className="relative">
                {field.prefix ? (
                  <span aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-muted-foreground">
                    {field.prefix}
                  </span>
                ) : null}
                <Input
                  id={id}
                  name={field.key}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={field.placeholder}
                  value={form[field.key]}
                  onChange={(event) => update(field.key, event.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                  className={cn(field.prefix && "pl-6", field.unit === "%" && "pr-8")}
                />
                {field.unit === "%" ? (
                  <span aria-hidden="true" className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 text-sm text-muted-foreground">
                    %
                  </span>
                ) : null}
              </div>
              <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                {field.hint}
              </p>
              {error ? (
                <p id={`${id}-error`} className="text-xs font-medium text-destructive">
                  {error}
                </p>
              ) : null}
            </div>
          );
        })}
        <Button type="button" variant="outline" size="sm" onClick={reset} disabled={!isChanged}>
          Reset
        </Button>
      </form>

      <div className="min-w-0 space-y-4">
        <dl className="grid gap-3 sm:grid-cols-2" aria-live="polite">
          <div className="rounded-lg border p-3">
            <dt className="flex items-center gap-1 text-sm text-muted-foreground">
              Projected coverage today
              <InfoTip label="projected coverage">Collateral × mark ÷ debt after the change is applied today (a repayment lowers the debt; an index shock lowers the mark). In %.</InfoTip>
            </dt>
            <dd className="mt-1 text-xl font-semibold">
              <Bps bps={result.coverageBpsNow} />
              <span className="ml-2 text-sm font-normal text-muted-foreground">
                now <Bps bps={result.baseline.coverageBpsNow} />
              </span>
            </dd>
          </div>
          <div className="rounded-lg border p-3">
            <dt className="flex items-center gap-1 text-sm text-muted-foreground">
              Days to margin call
              <InfoTip label="days to margin call under the what-if">{`Days until projected coverage first falls below maintenance (${formatBps(base.maintenanceBps, 0)}), day by day over ${horizon} days: burn at the 7-day rate (changed), interest, unpaid installments on their due days, and the GPU index's trend (after the shock).`}</InfoTip>
            </dt>
            <dd className="mt-1 text-xl font-semibold">
              <span className="num">{shortDays(result.daysToMarginCall, horizon)}</span>
              <span className="ml-2 text-sm font-normal text-muted-foreground">now {shortDays(result.baseline.daysToMarginCall, horizon).toLowerCase()}</span>
            </dd>
          </div>
        </dl>
        <ProjectionChart points={points} maintenanceBps={base.maintenanceBps} liquidationBps={liquidationBps} summary={summary} />
      </div>
    </div>
  );
}
