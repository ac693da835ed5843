"use client";

import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { WebhookEndpointDto } from "@/lib/server/queries/lender-settings";
import { AddEndpointDialog } from "./add-endpoint-dialog";
import { EndpointCard } from "./endpoint-card";
import type { WebhookActions } from "./types";

/** The lender's webhook endpoints: add (secret shown once), test, enable/disable, rotate, delete, and each one's log. */
export function WebhooksSection({ endpoints, maxEndpoints, actions }: { endpoints: WebhookEndpointDto[]; maxEndpoints: number; actions: WebhookActions }) {
  const isAtLimit = endpoints.length >= maxEndpoints;
  return (
    <section aria-labelledby="webhooks-heading">
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="space-y-1.5">
            <h2 id="webhooks-heading" className="text-lg leading-none font-semibold tracking-tight">
              Webhooks
            </h2>
            <CardDescription>
              Alerts, freezes, liquidations and payments pushed to your systems as signed JSON, retried with backoff, deduplicated by event id. {endpoints.length} of {maxEndpoints} endpoints.
            </CardDescription>
            {isAtLimit ? <p className="text-sm text-muted-foreground">You have {maxEndpoints} endpoints, the most an organisation can have: delete one to add another.</p> : null}
          </div>
          <AddEndpointDialog addEndpoint={actions.addEndpoint} isAtLimit={isAtLimit} />
        </CardHeader>
        <CardContent>
          {endpoints.length === 0 ? (
            <EmptyState title="No webhook endpoints yet">Add one to receive alerts, freezes and payments as they happen; its signing secret is shown once.</EmptyState>
          ) : (
            <ul className="grid gap-4" aria-label="Webhook endpoints">
              {endpoints.map((endpoint) => (
                <li key={endpoint.id}>
                  <EndpointCard endpoint={endpoint} actions={actions} />
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </section>
  );
}
