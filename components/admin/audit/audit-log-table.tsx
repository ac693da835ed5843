"use client";

import { useState } from "react";
import Link from "next/link";
import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import { formatExactUtc } from "@/components/lender/alerts/alert-labels";
import { RelativeTime, useNow } from "@/components/lender/alerts/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ExportCsvLink } from "@/components/ui/export-csv-link";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AdminAuditEntryDto, AdminAuditPageDto } from "@/lib/server/queries/audit";
import { AuditEntryDialog } from "./audit-entry-dialog";

function Who({ entry }: { entry: AdminAuditEntryDto }) {
  const { actor } = entry;
  if (actor.kind === "token") {
    return (
      <div className="min-w-44">
        <span className="block">
          API token “{actor.tokenName ?? actor.name}” {actor.tokenPrefix ? <span className="font-mono text-xs text-muted-foreground">{actor.tokenPrefix}…</span> : null}
        </span>
        <span className="block text-xs text-muted-foreground">{actor.email ? `made by ${actor.email}` : "maker unknown"}</span>
      </div>
    );
  }
  if (actor.kind === "system") return <span>System</span>;
  return (
    <div className="min-w-44">
      <span className="block">{actor.name}</span>
      {actor.email ? <span className="block text-xs text-muted-foreground">{actor.email}</span> : null}
    </div>
  );
}

/**
 * The page's entries, newest first, each opening its details; "Newer" and "Older" move by keyset
 * cursors in the address (`before` / `after`), so every page is a link.
 */
export function AuditLogTable({ page, query, isFiltered }: { page: AdminAuditPageDto; query: string; isFiltered: boolean }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const now = useNow();
  const open = page.entries.find((entry) => entry.id === openId) ?? null;
  const withCursor = (key: "after" | "before", cursor: string) => {
    const params = new URLSearchParams(query.replace(/^\?/, ""));
    params.delete("after");
    params.delete("before");
    params.set(key, cursor);
    return `/admin/audit?${params.toString()}`;
  };
  const newestHref = `/admin/audit${query}`;
  const exportHref = `/api/admin/audit/export${query}`;
  const isFirstPage = page.newerCursor === null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {page.entries.length === 0 ? "No entries on this page." : `${page.entries.length.toLocaleString("en-US")} entries on this page, newest first.`}
        </p>
        <ExportCsvLink href={exportHref} />
      </div>

      {page.entries.length === 0 ? (
        <EmptyState title={isFiltered ? "No entries match these filters" : "No audit entries yet"}>
          {isFiltered ? "Widen the date range, pick another action or organisation, or clear the filters." : "Every change made on the platform is recorded here as it happens."}
        </EmptyState>
      ) : (
        <Table>
          <caption className="sr-only">Audit entries, newest first</caption>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">When (UTC)</TableHead>
              <TableHead scope="col">Who</TableHead>
              <TableHead scope="col">What</TableHead>
              <TableHead scope="col">Target</TableHead>
              <TableHead scope="col">Organisation</TableHead>
              <TableHead scope="col">Request ID</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Details</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.entries.map((entry) => (
              <TableRow key={entry.id} data-testid="audit-row">
                <TableCell className="align-top">
                  <span className="block num">{formatExactUtc(new Date(entry.at)).replace(" UTC", "")}</span>
                  <span className="block text-xs text-muted-foreground">
                    <RelativeTime iso={entry.at} now={now} />
                  </span>
                </TableCell>
                <TableCell className="align-top">
                  <Who entry={entry} />
                </TableCell>
                <TableCell className="align-top">
                  <span className="block">{entry.what}</span>
                  <span className="block font-mono text-xs text-muted-foreground">{entry.action}</span>
                  {entry.changes.some((change) => change.isChanged) ? (
                    <Badge variant="info" className="mt-1">
                      before/after
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell className="align-top">
                  <span className="block">{entry.target.type}</span>
                  {entry.target.id ? (
                    <span className="block max-w-40 truncate font-mono text-xs text-muted-foreground" title={entry.target.id}>
                      {entry.target.id}
                    </span>
                  ) : null}
                </TableCell>
                <TableCell className="align-top">{entry.org?.name ?? <span className="text-muted-foreground">Platform</span>}</TableCell>
                <TableCell className="align-top">
                  {entry.requestId ? (
                    <span className="block max-w-36 truncate font-mono text-xs" title={entry.requestId}>
                      {entry.requestId}
                    </span>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </TableCell>
                <TableCell className="text-right align-top">
                  <Button type="button" size="sm" variant="outline" onClick={() => setOpenId(entry.id)}>
                    Details<span className="sr-only">: {entry.what}, {formatExactUtc(new Date(entry.at))}</span>
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <nav aria-label="Audit log pages" className="flex flex-wrap items-center justify-end gap-2">
        {isFirstPage ? null : (
          <Button asChild variant="outline" size="sm">
            <Link href={newestHref} prefetch={false}>
              <ChevronsLeft aria-hidden="true" />
              Newest
            </Link>
          </Button>
        )}
        {page.newerCursor ? (
          <Button asChild variant="outline" size="sm">
            <Link href={withCursor("before", page.newerCursor)} prefetch={false}>
              <ChevronLeft aria-hidden="true" />
              Newer
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            <ChevronLeft aria-hidden="true" />
            Newer
          </Button>
        )}
        {page.olderCursor ? (
          <Button asChild variant="outline" size="sm">
            <Link href={withCursor("after", page.olderCursor)} prefetch={false}>
              Older
              <ChevronRight aria-hidden="true" />
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Older
            <ChevronRight aria-hidden="true" />
          </Button>
        )}
      </nav>

      <AuditEntryDialog entry={open} onOpenChange={(isOpen) => (isOpen ? undefined : setOpenId(null))} />
    </div>
  );
}
