"use client";

import type { ReactNode } from "react";
import { formatExactUtc } from "@/components/lender/alerts/alert-labels";
import { Money } from "@/components/money";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { UsageDetailDto, UsageRowDto } from "@/lib/server/queries/startup-usage";
import { UsageKeyName, UsageStatusBadge } from "./usage-cells";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_minmax(0,1fr)]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const count = (n: number) => n.toLocaleString("en-US");

/** A titled part of the request's details, named by its heading. */
function DetailSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="text-sm font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * One request in full: its id (to quote to support), the key, the route it took, what it cost and
 * how its hold was resolved — and, said plainly, what Blockable does not record about it.
 */
export function UsageRequestDialog({ row, onOpenChange }: { row: (UsageRowDto & { detail: UsageDetailDto }) | null; onOpenChange: (isOpen: boolean) => void }) {
  return (
    <Dialog open={row !== null} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
        {row ? (
          <>
            <DialogHeader>
              <DialogTitle>Request details</DialogTitle>
              <DialogDescription>
                {formatExactUtc(new Date(row.at))} · {row.modelSlug} via {row.providerSlug}
              </DialogDescription>
            </DialogHeader>
            <dl className="space-y-2 text-sm">
              <Row label="Request ID">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-xs break-all" data-testid="usage-request-id">
                    {row.requestId}
                  </span>
                  <CopyButton value={row.requestId} label="Copy request ID" />
                </span>
              </Row>
              <Row label="Status">
                <UsageStatusBadge status={row.status} />
              </Row>
              <Row label="API key">
                <UsageKeyName apiKey={row.apiKey} />
              </Row>
              <Row label="Endpoint">
                <span className="font-mono text-xs">{row.endpoint}</span>
              </Row>
              <Row label="Tokens">
                <span className="num">
                  {count(row.inputTokens)} in · {count(row.outputTokens)} out
                </span>
              </Row>
              <Row label="Cost">
                <Money micros={row.costMicros} decimals={6} /> <span className="text-xs text-muted-foreground">(exact, charged to your credits)</span>
              </Row>
              <Row label="Latency">
                <span className="num">{count(row.latencyMs)} ms</span> <span className="text-xs text-muted-foreground">(from the request arriving to the answer settled)</span>
              </Row>
            </dl>

            <DetailSection id="usage-route" title="Route taken">
              <dl className="space-y-2 text-sm">
                <Row label="Provider">
                  {row.detail.route ? `${row.detail.route.providerName} (${row.providerSlug})` : row.providerSlug}
                  {row.status === "error" ? <span className="block text-xs text-muted-foreground">For a failed request, the last provider tried.</span> : null}
                </Row>
                <Row label="Upstream model">
                  {row.detail.route ? (
                    <>
                      <span className="font-mono text-xs break-all">{row.detail.route.upstreamModel}</span>
                      <span className="block text-xs text-muted-foreground">
                        As the catalog maps {row.modelSlug} on this provider today{row.detail.route.isEnabled ? "" : " (route now disabled)"}; the event does not store it.
                      </span>
                    </>
                  ) : (
                    <span className="text-muted-foreground">Not recorded, and no longer in the catalog.</span>
                  )}
                </Row>
                <Row label="Failovers">
                  <span className="text-muted-foreground">
                    Not recorded. Blockable tries the model&apos;s providers in order and fails over on a connect error, timeout, 429 or 5xx before the first byte; the usage event keeps only the provider that answered, not the attempts before it.
                  </span>
                </Row>
              </dl>
            </DetailSection>

            <DetailSection id="usage-hold" title="Credit hold">
              {row.detail.hold ? (
                <dl className="space-y-2 text-sm">
                  <Row label="Reserved (worst case)">
                    <Money micros={row.detail.hold.reservedMicros} decimals={6} />
                  </Row>
                  <Row label="Settled">
                    {row.detail.hold.settledMicros !== null ? <Money micros={row.detail.hold.settledMicros} decimals={6} /> : "—"} <span className="text-xs text-muted-foreground">({row.detail.hold.status.toLowerCase()}: the actual cost was charged, the rest released)</span>
                  </Row>
                  <Row label="Held">
                    {formatExactUtc(new Date(row.detail.hold.startedAt))} → {row.detail.hold.resolvedAt ? formatExactUtc(new Date(row.detail.hold.resolvedAt)) : "still open"}
                  </Row>
                </dl>
              ) : (
                <p className="text-sm text-muted-foreground">No hold is on record for this request (imported usage, or a request refused before credits were reserved).</p>
              )}
            </DetailSection>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
