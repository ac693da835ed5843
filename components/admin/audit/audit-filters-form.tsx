"use client";

import { FilterChoiceField, FilterFormActions, FilterInputField, useUrlFiltersForm } from "@/components/ui/url-filters-form";
import { auditFiltersSchema, auditFiltersToQuery, type AuditFilterFields } from "@/lib/domain/audit/filters";

export type AuditFilterOptions = { actions: { action: string; what: string }[]; organizations: { id: string; name: string; kind: string }[] };

const EMPTY: AuditFilterFields = { actor: "", action: "", org: "", from: "", to: "" };
const KIND_LABELS: Record<string, string> = { STARTUP: "startup", LENDER: "lender", PLATFORM: "platform" };

/** Who, what, which organisation, which days: applied by changing the address, so a filtered view is a link. */
export function AuditFiltersForm({ initial, options }: { initial: AuditFilterFields; options: AuditFilterOptions }) {
  const { isNavigating, onSubmit, clear, field } = useUrlFiltersForm({
    initial,
    empty: EMPTY,
    schema: auditFiltersSchema,
    hrefOf: (fields) => `/admin/audit${auditFiltersToQuery(fields)}`,
  });
  const actions = options.actions.map((option) => ({ value: option.action, label: `${option.what} (${option.action})` }));
  const organizations = options.organizations.map((option) => ({ value: option.id, label: `${option.name} (${KIND_LABELS[option.kind] ?? option.kind.toLowerCase()})` }));

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Filter the audit log" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1.2fr)_minmax(0,1.2fr)_minmax(0,1fr)_9.5rem_9.5rem_auto]">
      <FilterInputField label="Who" field={field("actor")} type="search" placeholder="Name or email" autoComplete="off" />
      <FilterChoiceField label="Action" field={field("action")} all="All actions" choices={actions} />
      <FilterChoiceField label="Organisation" field={field("org")} all="All organisations" choices={organizations} />
      <FilterInputField label="From (UTC day)" field={field("from")} type="date" />
      <FilterInputField label="To (UTC day)" field={field("to")} type="date" />
      <FilterFormActions isNavigating={isNavigating} onClear={clear} className="sm:col-span-2 lg:col-span-1" />
    </form>
  );
}
