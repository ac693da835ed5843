import type { Metadata } from "next";
import { AuditFiltersForm } from "@/components/admin/audit/audit-filters-form";
import { AuditLogTable } from "@/components/admin/audit/audit-log-table";
import { FilteredView, filtersIssueMessage } from "@/components/ui/filtered-view";
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
      <FilteredView
        description={<>Days are UTC and inclusive. “Who” matches a person&apos;s name or email, and the API tokens they made.</>}
        filters={<AuditFiltersForm key={JSON.stringify(fields)} initial={fields} options={options} />}
        invalidMessage={filtersIssueMessage(parsed)}
      >
        {page ? <AuditLogTable page={page} query={filterQuery} isFiltered={isFiltered} /> : null}
      </FilteredView>
    </div>
  );
}
