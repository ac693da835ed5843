"use client";

import { useId, useTransition } from "react";
import { useRouter } from "next/navigation";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type Resolver } from "react-hook-form";
import { Filter, Loader2, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { tableSelectClass } from "@/components/ui/table-parts";
import { EMPTY_USAGE_FILTER_FIELDS, NO_KEY, USAGE_STATUSES, usageFiltersSchema, usageViewToQuery, type UsageFilterFields, type UsageSort } from "@/lib/domain/usage/explorer";
import type { UsageFilterOptions } from "@/lib/server/queries/startup-usage";
import { cn } from "@/lib/utils";
import { USAGE_STATUS_LABELS } from "./usage-cells";

type Choice = { value: string; label: string };

/** The choices, plus the address's value when it is none of them (a link from elsewhere), so the field shows what is applied. */
const withCurrent = (choices: Choice[], current: string, label: (value: string) => string): Choice[] =>
  current && !choices.some((choice) => choice.value === current) ? [...choices, { value: current, label: label(current) }] : choices;

/** Which requests: UTC days, model, provider, API key, status. Applied by changing the address, so a filtered view is a link. */
export function UsageFiltersForm({ initial, sort, options }: { initial: UsageFilterFields; sort: UsageSort; options: UsageFilterOptions }) {
  const router = useRouter();
  const [isNavigating, startNavigation] = useTransition();
  const id = useId();
  const form = useForm<UsageFilterFields>({
    defaultValues: initial,
    // The address's schema, so the form refuses exactly what the page and the export would.
    resolver: zodResolver(usageFiltersSchema) as unknown as Resolver<UsageFilterFields>,
  });
  const { errors } = form.formState;

  const go = (fields: UsageFilterFields) => startNavigation(() => router.push(`/startup/usage${usageViewToQuery({ ...fields, sort })}`));
  // The resolver's output drops blank fields; the fields as typed are what the address keeps.
  const onSubmit = form.handleSubmit(() => go(form.getValues()));

  const field = (name: keyof UsageFilterFields) => {
    const message = errors[name]?.message;
    return {
      id: `${id}-${name}`,
      invalid: {
        "aria-invalid": message ? true : undefined,
        "aria-describedby": message ? `${id}-${name}-error` : undefined,
      },
      error: message ? (
        <p id={`${id}-${name}-error`} className="text-xs text-destructive">
          {message}
        </p>
      ) : null,
    };
  };

  const select = (name: keyof UsageFilterFields, label: string, all: string, choices: Choice[]) => {
    const f = field(name);
    return (
      <div className="space-y-1.5">
        <label htmlFor={f.id} className="text-sm font-medium">
          {label}
        </label>
        <select id={f.id} className={cn(tableSelectClass, "w-full")} {...f.invalid} defaultValue={initial[name]} {...form.register(name)}>
          <option value="">{all}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        {f.error}
      </div>
    );
  };

  const day = (name: "from" | "to", label: string) => {
    const f = field(name);
    return (
      <div className="space-y-1.5">
        <label htmlFor={f.id} className="text-sm font-medium">
          {label}
        </label>
        <Input id={f.id} type="date" {...f.invalid} defaultValue={initial[name]} {...form.register(name)} />
        {f.error}
      </div>
    );
  };

  const models = withCurrent(options.models.map((slug) => ({ value: slug, label: slug })), initial.model, (value) => value);
  const providers = withCurrent(options.providers.map((slug) => ({ value: slug, label: slug })), initial.provider, (value) => value);
  const keys = withCurrent(
    [...options.keys.map((key) => ({ value: key.id, label: `${key.name} (${key.prefix}…)${key.isRevoked ? ", revoked" : ""}` })), { value: NO_KEY, label: "No key recorded" }],
    initial.key,
    () => "A key not in this organisation",
  );
  const statuses = withCurrent(USAGE_STATUSES.map((status) => ({ value: status, label: USAGE_STATUS_LABELS[status] })), initial.status, (value) => value);

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Filter usage" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-[repeat(4,minmax(0,1fr))_9.5rem_9.5rem]">
      {select("model", "Model", "All models", models)}
      {select("provider", "Provider", "All providers", providers)}
      {select("key", "API key", "All keys", keys)}
      {select("status", "Status", "All statuses", statuses)}
      {day("from", "From (UTC day)")}
      {day("to", "To (UTC day)")}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-3 xl:col-span-6">
        <Button type="submit" disabled={isNavigating}>
          {isNavigating ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Filter aria-hidden="true" />}
          Apply filters
        </Button>
        <Button
          type="button"
          variant="outline"
          disabled={isNavigating}
          onClick={() => {
            form.reset(EMPTY_USAGE_FILTER_FIELDS);
            go(EMPTY_USAGE_FILTER_FIELDS);
          }}
        >
          <X aria-hidden="true" />
          Clear
        </Button>
      </div>
    </form>
  );
}
