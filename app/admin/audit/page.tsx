import type { Metadata } from "next";
import { AuditFiltersForm } from "@/components/admin/audit/audit-filters-form";
import { AuditLogTable } from "@/components/admin/audit/audit-log-table";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { auditFiltersFromQuery, auditFiltersToQuery, decodeAuditCursor, type AuditFilterFields } from "@/lib/domain/audit/filters";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getAdminAuditFilterOptions, listAdminAuditPage } from "@/lib/server/queries/audit";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageViewer("audit.read");
  const query = await searchParams;
  const fields: AuditFilterFields = { actor: text(query.actor), action: text(query.action), org: text(query.org), from: text(query.from), to: text(query.to) };
  const parsed = auditFiltersFromQuery(query);
  const [options, page] = await Promise.all([
    getAdminAuditFilterOptions(db),
    parsed.success ? listAdminAuditPage(db, { filters: parsed.data, after: decodeAuditCursor(text(query.after)), before: decodeAuditCursor(text(query.before)) }) : null,
  ]);
  const filterQuery = parsed.success ? auditFiltersToQuery(parsed.data) : "";
  const isFiltered = filterQuery !== "";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-muted-foreground">
          Every change on the platform: who made it, what it changed (before and after), when, and the request that made it. Each entry is written in the same transaction as its change.
        </p>
      </div>
      <Card>
        <CardHeader>
          <h2 className="leading-none font-semibold tracking-tight">Filters</h2>
          <CardDescription>Days are UTC and inclusive. “Who” matches a person&apos;s name or email, and the API tokens they made.</CardDescription>
        </CardHeader>
        <CardContent>
          <AuditFiltersForm key={JSON.stringify(fields)} initial={fields} options={options} />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-5">
          {page ? (
            <AuditLogTable page={page} query={filterQuery} isFiltered={isFiltered} />
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
