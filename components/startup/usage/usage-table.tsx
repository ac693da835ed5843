"use client";

import { useCallback, useState } from "react";
import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import { formatExactUtc } from "@/components/lender/alerts/alert-labels";
import { Money } from "@/components/money";
import { Button } from "@/components/ui/button";
import { ExportCsvLink } from "@/components/ui/export-csv-link";
import { InfoTip } from "@/components/ui/info-tip";
import { FilterSelect, useViewNavigation } from "@/components/ui/server-table";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ariaSortOf, SortButton, type SortDirection } from "@/components/ui/table-parts";
import { usageViewToQuery, type UsageFilterFields, type UsageSort } from "@/lib/domain/usage/explorer";
import type { UsagePageDto } from "@/lib/server/queries/startup-usage";
import { cn } from "@/lib/utils";
import { UsageKeyName, UsageStatusBadge } from "./usage-cells";
import { UsageRequestDialog } from "./usage-request-dialog";

/** The explorer's view as the address holds it: the filters, the sort, and where the page starts. */
export type UsageView = UsageFilterFields & { sort: UsageSort; after: string; before: string };

const SORT_OPTIONS: { value: UsageSort; label: string }[] = [
  { value: "time_desc", label: "Newest first" },
  { value: "time_asc", label: "Oldest first" },
  { value: "cost_desc", label: "Highest cost first" },
];
const SORT_WORDS: Record<UsageSort, string> = { time_desc: "newest first", time_asc: "oldest first", cost_desc: "highest cost first" };

const toQuery = (view: UsageView) => usageViewToQuery(view, { after: view.after, before: view.before }).replace(/^\?/, "");
const count = (n: number) => n.toLocaleString("en-US");

/**
 * One page of requests in the view's sort, each opening its details. Sorting and "Previous page" /
 * "Next page" change the address (keyset cursors `after` / `before`), so every page is a link and
 * the server reads only the page it shows.
 */
export function UsageTable({ page, view, isFiltered }: { page: UsagePageDto; view: UsageView; isFiltered: boolean }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const { navigate, isNavigating } = useViewNavigation(view, toQuery, "/startup/usage");
  const open = page.rows.find((row) => row.id === openId) ?? null;
  const sortBy = useCallback((sort: UsageSort) => navigate({ sort, after: "", before: "" }), [navigate]);
  const exportHref = `/api/startup/usage/export${usageViewToQuery(view)}`;
  const isFirstPage = page.previousCursor === null;

  const timeSorted: SortDirection = view.sort === "time_desc" ? "desc" : view.sort === "time_asc" ? "asc" : false;
  const costSorted: SortDirection = view.sort === "cost_desc" ? "desc" : false;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <FilterSelect label="Sort" value={view.sort} options={SORT_OPTIONS} onChange={sortBy} />
        <ExportCsvLink href={exportHref} />
      </div>

      {page.rows.length === 0 ? (
        <EmptyState title={isFiltered ? "No requests match these filters" : isFirstPage ? "No requests yet" : "No more requests"}>
          {isFiltered
            ? "Widen the date range, pick another model, provider, key or status, or clear the filters."
            : isFirstPage
              ? "Requests made with your API keys appear here as soon as they settle. Create a key under API keys to start."
              : "Go back to the first page."}
        </EmptyState>
      ) : (
        <div className={cn("rounded-lg border bg-card transition-opacity", isNavigating && "opacity-60")} aria-busy={isNavigating}>
          <Table>
            <caption className="sr-only">Usage events, {SORT_WORDS[view.sort]}</caption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead scope="col" aria-sort={ariaSortOf(timeSorted)}>
                  <SortButton sorted={timeSorted} onClick={() => sortBy(view.sort === "time_desc" ? "time_asc" : "time_desc")}>
                    Time (UTC)
                  </SortButton>
                </TableHead>
                <TableHead scope="col">API key</TableHead>
                <TableHead scope="col">Model</TableHead>
                <TableHead scope="col">Provider</TableHead>
                <TableHead scope="col" className="text-right">
                  Tokens in
                </TableHead>
                <TableHead scope="col" className="text-right">
                  Tokens out
                </TableHead>
                <TableHead scope="col" aria-sort={ariaSortOf(costSorted)} className="text-right">
                  <span className="inline-flex flex-row-reverse items-center gap-1">
                    <SortButton sorted={costSorted} isRight onClick={() => sortBy(view.sort === "cost_desc" ? "time_desc" : "cost_desc")}>
                      Cost (USD)
                    </SortButton>
                    <InfoTip label="cost">
                      What the request charged your credits, exact to the µUSD: ⌈(input tokens × input price + output tokens × output price) ÷ 1,000,000⌉, at the route&apos;s prices per million tokens. A failed request costs nothing; one the client broke off pays for the tokens it was sent.
                    </InfoTip>
                  </span>
                </TableHead>
                <TableHead scope="col" className="text-right">
                  <span className="inline-flex flex-row-reverse items-center gap-1">
                    Latency (ms)
                    <InfoTip label="latency">From the request reaching Blockable to its answer settled, failovers included.</InfoTip>
                  </span>
                </TableHead>
                <TableHead scope="col">Status</TableHead>
                <TableHead scope="col">
                  <span className="sr-only">Details</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((row) => (
                <TableRow key={row.id} data-testid="usage-row">
                  <TableCell className="num whitespace-nowrap">{formatExactUtc(new Date(row.at)).replace(" UTC", "")}</TableCell>
                  <TableCell>
                    <UsageKeyName apiKey={row.apiKey} />
                  </TableCell>
                  <TableCell className="font-mono text-xs">{row.modelSlug}</TableCell>
                  <TableCell className="font-mono text-xs">{row.providerSlug}</TableCell>
                  <TableCell className="num text-right">{count(row.inputTokens)}</TableCell>
                  <TableCell className="num text-right">{count(row.outputTokens)}</TableCell>
                  <TableCell className="text-right">
                    <Money micros={row.costMicros} decimals={6} />
                  </TableCell>
                  <TableCell className="num text-right">{count(row.latencyMs)}</TableCell>
                  <TableCell>
                    <UsageStatusBadge status={row.status} />
                  </TableCell>
                  <TableCell className="text-right">
                    <Button type="button" size="sm" variant="outline" onClick={() => setOpenId(row.id)}>
                      Details<span className="sr-only">: request {row.requestId}</span>
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      <nav aria-label="Usage pages" className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {page.rows.length === 0 ? "No requests on this page." : `${count(page.rows.length)} ${page.rows.length === 1 ? "request" : "requests"} on this page, ${SORT_WORDS[view.sort]}.`}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          {isFirstPage ? null : (
            <Button type="button" variant="outline" size="sm" disabled={isNavigating} onClick={() => navigate({ after: "", before: "" })}>
              <ChevronsLeft aria-hidden="true" />
              First page
            </Button>
          )}
          <Button type="button" variant="outline" size="sm" disabled={isNavigating || page.previousCursor === null} onClick={() => page.previousCursor && navigate({ after: "", before: page.previousCursor })}>
            <ChevronLeft aria-hidden="true" />
            Previous page
          </Button>
          <Button type="button" variant="outline" size="sm" disabled={isNavigating || page.nextCursor === null} onClick={() => page.nextCursor && navigate({ after: page.nextCursor, before: "" })}>
            Next page
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      </nav>

      <UsageRequestDialog row={open} onOpenChange={(isOpen) => (isOpen ? undefined : setOpenId(null))} />
    </div>
  );
}
