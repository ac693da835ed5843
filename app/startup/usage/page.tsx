import type { Metadata } from "next";
import { UsageFiltersForm } from "@/components/startup/usage/usage-filters-form";
import { UsageTable, type UsageView } from "@/components/startup/usage/usage-table";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
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
      <Card>
        <CardHeader>
          <h2 className="leading-none font-semibold tracking-tight">Filters</h2>
          <CardDescription>Days are UTC and inclusive. Filters and the page are kept in the address, so a view is a link.</CardDescription>
        </CardHeader>
        <CardContent>
          <UsageFiltersForm key={JSON.stringify(fields)} initial={fields} sort={sort} options={options} />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-5">
          {page ? (
            <UsageTable page={page} view={view} isFiltered={isFiltered} />
          ) : (
            <div role="alert" className="rounded-lg border border-destructive/40 p-6 text-sm">
              <p className="font-medium">These filters are not valid, so nothing is shown.</p>
              <p className="text-muted-foreground">{parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the filters.")}</p>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
