"use client";

import type { ReactNode } from "react";
import { formatExactUtc } from "@/components/lender/alerts/alert-labels";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AdminAuditEntryDto } from "@/lib/server/queries/audit";
import { cn } from "@/lib/utils";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[8rem_minmax(0,1fr)]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** One entry in full: who, what, to what, the request, and its before and after field by field. */
export function AuditEntryDialog({ entry, onOpenChange }: { entry: AdminAuditEntryDto | null; onOpenChange: (isOpen: boolean) => void }) {
  return (
    <Dialog open={entry !== null} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
        {entry ? (
          <>
            <DialogHeader>
              <DialogTitle>{entry.what}</DialogTitle>
              <DialogDescription>
                {formatExactUtc(new Date(entry.at))} · <span className="font-mono">{entry.action}</span>
              </DialogDescription>
            </DialogHeader>
            <dl className="space-y-2 text-sm">
              <Row label="Who">
                {entry.actor.label}
                {entry.actor.kind === "token" && entry.actor.email ? <span className="block text-xs text-muted-foreground">token made by {entry.actor.email}</span> : null}
              </Row>
              <Row label="Target">
                {entry.target.type} {entry.target.id ? <span className="font-mono text-xs break-all">{entry.target.id}</span> : null}
              </Row>
              <Row label="Organisation">{entry.org?.name ?? "None (platform-wide)"}</Row>
              <Row label="Request ID">
                {entry.requestId ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-xs break-all">{entry.requestId}</span>
                    <CopyButton value={entry.requestId} label="Copy request ID" />
                  </span>
                ) : (
                  <span className="text-muted-foreground">Not recorded (a background job, or written before request ids)</span>
                )}
              </Row>
            </dl>

            <section aria-labelledby="audit-before-after" className="space-y-2">
              <h3 id="audit-before-after" className="text-sm font-semibold">
                Before and after
              </h3>
              {entry.changes.length > 0 ? (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead scope="col">Field</TableHead>
                      <TableHead scope="col">Before</TableHead>
                      <TableHead scope="col">After</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {entry.changes.map((change) => (
                      <TableRow key={change.field} className={cn(change.isChanged && "bg-muted/60")}>
                        <TableCell className="whitespace-normal">
                          {change.label}
                          {change.isChanged ? <span className="sr-only"> (changed)</span> : <span className="block text-xs text-muted-foreground">unchanged</span>}
                        </TableCell>
                        <TableCell className="font-mono text-xs whitespace-normal break-all">{change.before}</TableCell>
                        <TableCell className={cn("font-mono text-xs whitespace-normal break-all", change.isChanged && "font-semibold")}>{change.after}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              ) : (
                <p className="text-sm text-muted-foreground">This entry records no change of a setting or state; its details are below.</p>
              )}
            </section>

            {entry.details.length > 0 ? (
              <section aria-labelledby="audit-details" className="space-y-2">
                <h3 id="audit-details" className="text-sm font-semibold">
                  Details
                </h3>
                <ul className="space-y-1 text-sm">
                  {entry.details.map((line, index) => (
                    <li key={index} className="break-words">
                      {line}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}

            <details className="text-sm">
              <summary className="cursor-pointer text-muted-foreground">Stored JSON</summary>
              <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-all">{entry.detailJson}</pre>
            </details>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
