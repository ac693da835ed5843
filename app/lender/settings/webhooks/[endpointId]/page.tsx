import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveryLog } from "@/components/lender/settings/delivery-log";
import { formatUtc } from "@/components/lender/settings/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findEndpointDeliveryLog } from "@/lib/server/queries/lender-settings";
import { resendWebhookDeliveryAction } from "./resend-delivery-action";

export const metadata: Metadata = { title: "Webhook deliveries" };

export default async function WebhookDeliveriesPage({ params, searchParams }: { params: Promise<{ endpointId: string }>; searchParams: Promise<{ page?: string | string[] }> }) {
  const viewer = await requirePageViewer("webhook.manage");
  const [{ endpointId }, { page }] = await Promise.all([params, searchParams]);
  const requested = Number.parseInt(Array.isArray(page) ? page[0] : (page ?? "1"), 10);
  const log = await findEndpointDeliveryLog(db, { orgId: viewer.orgId, endpointId, page: Number.isSafeInteger(requested) ? requested : 1 });
  if (!log) notFound();
  const { endpoint } = log;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
        <ol className="flex flex-wrap items-center gap-1">
          <li>
            <Link href="/lender/settings" className="underline-offset-4 hover:text-foreground hover:underline">
              Settings
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li>Webhooks</li>
        </ol>
      </nav>
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Webhook deliveries</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <span className="font-mono break-all text-foreground">{endpoint.url}</span>
          {endpoint.isEnabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>}
        </p>
      </div>
      <Card>
        <CardContent className="grid gap-3 pt-5 text-sm">
          <p>
            {endpoint.events === "*" ? "Subscribed to every event." : `Subscribed to: ${endpoint.events.join(", ")}.`} Added {formatUtc(endpoint.createdAt)}.{" "}
            {endpoint.isEnabled ? null : "Disabled: pending deliveries wait, and nothing can be resent until you enable it on the Settings page."}
          </p>
          <p className="text-muted-foreground">
            “Resend” sends the same event again — same event id, same body, signed afresh with the current secret — so a receiver that deduplicates on{" "}
            <code className="font-mono text-xs">blockable-event-id</code> processes it once.
          </p>
        </CardContent>
      </Card>
      <DeliveryLog log={log} resendDelivery={resendWebhookDeliveryAction} />
    </div>
  );
}
