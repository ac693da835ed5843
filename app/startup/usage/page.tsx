import type { Metadata } from "next";
import { UsageFiltersForm } from "@/components/startup/usage/usage-filters-form";
import { UsageTable, type UsageView } from "@/components/startup/usage/usage-table";
import { FilteredView, filtersIssueMessage } from "@/components/ui/filtered-view";
import { decodeUsageCursor, DEFAULT_USAGE_SORT, usageFilterFieldsFromQuery, usageFiltersFromQuery, usageViewToQuery } from "@/lib/domain/usage/explorer";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getUsageFilterOptions, listUsagePage } from "@/lib/server/queries/startup-usage";

export const metadata: Metadata = { title: "Usage" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function StartupUsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requirePageViewer("usage.read");
  const query = await searchParams;
  const fields = usageFilterFieldsFromQuery(query);
  const parsed = usageFiltersFromQuery(query);
  const sort = parsed.success ? parsed.data.sort : DEFAULT_USAGE_SORT;
  const [options, page] = await Promise.all([
    getUsageFilterOptions(db, viewer.orgId),
    parsed.success
      ? listUsagePage(db, { orgId: viewer.orgId, filters: parsed.data, after: decodeUsageCursor(text(query.after), sort), before: decodeUsageCursor(text(query.before), sort) })
      : null,
  ]);
  const view: UsageView = { ...fields, sort, after: text(query.after), before: text(query.before) };
  const isFiltered = parsed.success && usageViewToQuery({ ...parsed.data, sort: undefined }) !== "";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
        <p className="text-sm text-muted-foreground">
          Every request routed with your API keys: what it cost, which model and provider served it, and how long it took. Filter, page, open a request, or export the filtered set as CSV.
        </p>
      </div>
      <FilteredView
        description="Days are UTC and inclusive. Filters and the page are kept in the address, so a view is a link."
        filters={<UsageFiltersForm key={JSON.stringify(fields)} initial={fields} sort={sort} options={options} />}
        invalidMessage={filtersIssueMessage(parsed)}
      >
        {page ? <UsageTable page={page} view={view} isFiltered={isFiltered} /> : null}
      </FilteredView>
    </div>
  );
}
