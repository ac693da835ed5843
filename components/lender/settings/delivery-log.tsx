"use client";

import { useEffect, useTransition, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ChevronLeft, ChevronRight, RotateCcw } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DeliveryLogDto, WebhookDeliveryDto } from "@/lib/server/queries/lender-settings";
import type { ActionResult } from "@/lib/server/http/action";
import { formatUtc, plural } from "./format";

export type ResendDeliveryAction = (input: { deliveryId: string }) => Promise<ActionResult<WebhookDeliveryDto>>;

const REFRESH_WHILE_PENDING_MS = 5_000;

const STATUS_BADGE = {
  DELIVERED: { variant: "success", label: "Delivered" },
  PENDING: { variant: "warning", label: "Pending" },
  FAILED: { variant: "destructive", label: "Failed" },
} as const;

/** One endpoint's deliveries, newest first, a page at a time, each with "Resend". */
export function DeliveryLog({ log, resendDelivery }: { log: DeliveryLogDto; resendDelivery: ResendDeliveryAction }) {
  const router = useRouter();
  const hasPending = log.deliveries.some((delivery) => delivery.status === "PENDING");

  // Pending deliveries change as the background job retries them: keep this page current meanwhile.
  useEffect(() => {
    if (!hasPending) return;
    const timer = setInterval(() => router.refresh(), REFRESH_WHILE_PENDING_MS);
    return () => clearInterval(timer);
  }, [hasPending, router]);

  if (log.total === 0) {
    return <EmptyState title="No deliveries yet">Events you subscribed to will appear here as they happen; “Send test event” on the Settings page sends one now.</EmptyState>;
  }

  const first = (log.page - 1) * log.pageSize + 1;
  const last = first + log.deliveries.length - 1;
  const base = `/lender/settings/webhooks/${log.endpoint.id}`;
  return (
    <div className="grid gap-3">
      <div className="rounded-lg border bg-card">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Time (UTC)</TableHead>
              <TableHead>Event type</TableHead>
              <TableHead>Event ID</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="text-right">
                <span className="inline-flex items-center gap-1">
                  Attempts (count)
                  <InfoTip label="attempts">Requests sent for this delivery so far, resends included. Failures are retried after 30 s, 1 min, 2 min… up to hourly, 10 attempts in all.</InfoTip>
                </span>
              </TableHead>
              <TableHead className="text-right">
                <span className="inline-flex items-center gap-1">
                  Last response (HTTP)
                  <InfoTip label="last response">The HTTP status code your endpoint answered on the latest attempt; none when it could not be reached.</InfoTip>
                </span>
              </TableHead>
              <TableHead>Last error</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {log.deliveries.map((delivery) => (
              <DeliveryRow key={delivery.id} delivery={delivery} resendDelivery={resendDelivery} isEndpointEnabled={log.endpoint.isEnabled} />
            ))}
          </TableBody>
        </Table>
      </div>
      <nav aria-label="Delivery log pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground">
        <p>
          {first}–{last} of {plural(log.total, "delivery", "deliveries")} · page {log.page} of {log.pageCount}
        </p>
        <div className="flex gap-2">
          <PageLink href={log.page > 1 ? `${base}?page=${log.page - 1}` : null} label="Previous page">
            <ChevronLeft aria-hidden="true" />
            Previous
          </PageLink>
          <PageLink href={log.page < log.pageCount ? `${base}?page=${log.page + 1}` : null} label="Next page">
            Next
            <ChevronRight aria-hidden="true" />
          </PageLink>
        </div>
      </nav>
    </div>
  );
}

function PageLink({ href, label, children }: { href: string | null; label: string; children: ReactNode }) {
  if (!href) {
    return (
      <Button type="button" size="sm" variant="outline" disabled aria-label={label}>
        {children}
      </Button>
    );
  }
  return (
    <Button asChild size="sm" variant="outline">
      <Link href={href} aria-label={label}>
        {children}
      </Link>
    </Button>
  );
}

function DeliveryRow({ delivery, resendDelivery, isEndpointEnabled }: { delivery: WebhookDeliveryDto; resendDelivery: ResendDeliveryAction; isEndpointEnabled: boolean }) {
  const [isPending, startTransition] = useTransition();
  const badge = STATUS_BADGE[delivery.status];
  const eventCellId = `delivery-${delivery.id}-event`;

  function resend() {
    startTransition(async () => {
      const result = await resendDelivery({ deliveryId: delivery.id });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      const sent = result.data;
      if (sent.status === "DELIVERED") toast.success(`Resent ${sent.eventId}: delivered, HTTP ${sent.lastStatusCode ?? "2xx"} (attempt ${sent.attempts}).`);
      else toast.error(`Resent ${sent.eventId}: not delivered — ${sent.lastError ?? "no answer"}${sent.nextAttemptAt ? ` Retried from ${formatUtc(sent.nextAttemptAt)}.` : ""}`);
    });
  }

  return (
    <TableRow>
      <TableCell className="num">{formatUtc(delivery.createdAt)}</TableCell>
      <TableCell>
        <code className="font-mono text-xs">{delivery.eventType}</code>
      </TableCell>
      <TableCell id={eventCellId}>
        <code className="font-mono text-xs">{delivery.eventId}</code>
      </TableCell>
      <TableCell>
        <div className="grid gap-0.5">
          <Badge variant={badge.variant}>{badge.label}</Badge>
          {delivery.status === "DELIVERED" && delivery.deliveredAt ? <span className="text-xs text-muted-foreground">{formatUtc(delivery.deliveredAt)}</span> : null}
          {delivery.status === "PENDING" && delivery.nextAttemptAt ? <span className="text-xs text-muted-foreground">next {formatUtc(delivery.nextAttemptAt)}</span> : null}
        </div>
      </TableCell>
      <TableCell className="num text-right">{delivery.attempts}</TableCell>
      <TableCell className="num text-right">{delivery.lastStatusCode ?? "—"}</TableCell>
      <TableCell className="max-w-xs whitespace-normal break-words text-xs">{delivery.lastError ?? "—"}</TableCell>
      <TableCell className="text-right">
        <Button type="button" size="sm" variant="outline" onClick={resend} disabled={isPending || !isEndpointEnabled} aria-describedby={eventCellId}>
          <RotateCcw aria-hidden="true" />
          {isPending ? "Resending…" : "Resend"}
        </Button>
      </TableCell>
    </TableRow>
  );
}
