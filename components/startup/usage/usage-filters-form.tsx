"use client";

import { FilterChoiceField, FilterFormActions, FilterInputField, useUrlFiltersForm, type FilterChoice } from "@/components/ui/url-filters-form";
import { EMPTY_USAGE_FILTER_FIELDS, NO_KEY, USAGE_STATUSES, usageFiltersSchema, usageViewToQuery, type UsageFilterFields, type UsageSort } from "@/lib/domain/usage/explorer";
import type { UsageFilterOptions } from "@/lib/server/queries/startup-usage";
import { USAGE_STATUS_LABELS } from "./usage-cells";

/** The choices, plus the address's value when it is none of them (a link from elsewhere), so the field shows what is applied. */
const withCurrent = (choices: FilterChoice[], current: string, label: (value: string) => string): FilterChoice[] =>
  current && !choices.some((choice) => choice.value === current) ? [...choices, { value: current, label: label(current) }] : choices;

/** Which requests: UTC days, model, provider, API key, status. Applied by changing the address, so a filtered view is a link. */
export function UsageFiltersForm({ initial, sort, options }: { initial: UsageFilterFields; sort: UsageSort; options: UsageFilterOptions }) {
  const { isNavigating, onSubmit, clear, field } = useUrlFiltersForm({
    initial,
    empty: EMPTY_USAGE_FILTER_FIELDS,
    schema: usageFiltersSchema,
    hrefOf: (fields) => `/startup/usage${usageViewToQuery({ ...fields, sort })}`,
  });

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
      <FilterChoiceField label="Model" field={field("model")} all="All models" choices={models} />
      <FilterChoiceField label="Provider" field={field("provider")} all="All providers" choices={providers} />
      <FilterChoiceField label="API key" field={field("key")} all="All keys" choices={keys} />
      <FilterChoiceField label="Status" field={field("status")} all="All statuses" choices={statuses} />
      <FilterInputField label="From (UTC day)" field={field("from")} type="date" />
      <FilterInputField label="To (UTC day)" field={field("to")} type="date" />
      <FilterFormActions isNavigating={isNavigating} onClear={clear} className="sm:col-span-2 lg:col-span-3 xl:col-span-6" />
    </form>
  );
}
