"use client";

import { useId, useTransition } from "react";
import { useRouter } from "next/navigation";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type Resolver } from "react-hook-form";
import { Filter, Loader2, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { auditFiltersSchema, auditFiltersToQuery, type AuditFilterFields } from "@/lib/domain/audit/filters";

export type AuditFilterOptions = { actions: { action: string; what: string }[]; organizations: { id: string; name: string; kind: string }[] };

const EMPTY: AuditFilterFields = { actor: "", action: "", org: "", from: "", to: "" };
const SELECT_CLASS =
  "block h-9 w-full rounded-md border border-input bg-card px-2 text-sm text-foreground shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive";
const KIND_LABELS: Record<string, string> = { STARTUP: "startup", LENDER: "lender", PLATFORM: "platform" };

/** Who, what, which organisation, which days: applied by changing the address, so a filtered view is a link. */
export function AuditFiltersForm({ initial, options }: { initial: AuditFilterFields; options: AuditFilterOptions }) {
  const router = useRouter();
  const [isNavigating, startNavigation] = useTransition();
  const id = useId();
  const form = useForm<AuditFilterFields>({
    defaultValues: initial,
    // The address's schema, so the form refuses exactly what the page and the export would.
    resolver: zodResolver(auditFiltersSchema) as unknown as Resolver<AuditFilterFields>,
  });
  const { errors } = form.formState;

  const go = (fields: AuditFilterFields) => startNavigation(() => router.push(`/admin/audit${auditFiltersToQuery(fields)}`));
  // The resolver's output drops blank fields; the fields as typed are what the address keeps.
  const onSubmit = form.handleSubmit(() => go(form.getValues()));

  const field = (name: keyof AuditFilterFields) => {
    const message = errors[name]?.message;
    return {
      id: `${id}-${name}`,
      "aria-invalid": message ? true : undefined,
      "aria-describedby": message ? `${id}-${name}-error` : undefined,
      error: message ? (
        <p id={`${id}-${name}-error`} className="text-xs text-destructive">
          {message}
        </p>
      ) : null,
    };
  };
  const actor = field("actor");
  const action = field("action");
  const org = field("org");
  const from = field("from");
  const to = field("to");

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Filter the audit log" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1.2fr)_minmax(0,1.2fr)_minmax(0,1fr)_9.5rem_9.5rem_auto]">
      <div className="space-y-1.5">
        <label htmlFor={actor.id} className="text-sm font-medium">
          Who
        </label>
        <Input id={actor.id} type="search" placeholder="Name or email" autoComplete="off" aria-invalid={actor["aria-invalid"]} aria-describedby={actor["aria-describedby"]} defaultValue={initial.actor} {...form.register("actor")} />
        {actor.error}
      </div>
      <div className="space-y-1.5">
        <label htmlFor={action.id} className="text-sm font-medium">
          Action
        </label>
        <select id={action.id} className={SELECT_CLASS} aria-invalid={action["aria-invalid"]} aria-describedby={action["aria-describedby"]} defaultValue={initial.action} {...form.register("action")}>
          <option value="">All actions</option>
          {options.actions.map((option) => (
            <option key={option.action} value={option.action}>
              {`${option.what} (${option.action})`}
            </option>
          ))}
        </select>
        {action.error}
      </div>
      <div className="space-y-1.5">
        <label htmlFor={org.id} className="text-sm font-medium">
          Organisation
        </label>
        <select id={org.id} className={SELECT_CLASS} aria-invalid={org["aria-invalid"]} aria-describedby={org["aria-describedby"]} defaultValue={initial.org} {...form.register("org")}>
          <option value="">All organisations</option>
          {options.organizations.map((option) => (
            <option key={option.id} value={option.id}>
              {`${option.name} (${KIND_LABELS[option.kind] ?? option.kind.toLowerCase()})`}
            </option>
          ))}
        </select>
        {org.error}
      </div>
      <div className="space-y-1.5">
        <label htmlFor={from.id} className="text-sm font-medium">
          From (UTC day)
        </label>
        <Input id={from.id} type="date" aria-invalid={from["aria-invalid"]} aria-describedby={from["aria-describedby"]} defaultValue={initial.from} {...form.register("from")} />
        {from.error}
      </div>
      <div className="space-y-1.5">
        <label htmlFor={to.id} className="text-sm font-medium">
          To (UTC day)
        </label>
        <Input id={to.id} type="date" aria-invalid={to["aria-invalid"]} aria-describedby={to["aria-describedby"]} defaultValue={initial.to} {...form.register("to")} />
        {to.error}
      </div>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-1">
        <Button type="submit" disabled={isNavigating}>
          {isNavigating ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Filter aria-hidden="true" />}
          Apply filters
        </Button>
        <Button
          type="button"
          variant="outline"
          disabled={isNavigating}
          onClick={() => {
            form.reset(EMPTY);
            go(EMPTY);
          }}
        >
          <X aria-hidden="true" />
          Clear
        </Button>
      </div>
    </form>
  );
}
