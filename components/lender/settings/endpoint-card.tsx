"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { ListChecks, RotateCw, Send, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { InfoTip } from "@/components/ui/info-tip";
import type { WebhookEndpointDto } from "@/lib/server/queries/lender-settings";
import { formatUtc, plural } from "./format";
import { SecretWithInstructions } from "./secret-with-instructions";
import type { SendTestEventAction, WebhookActions } from "./types";

type TestOutcome = Extract<Awaited<ReturnType<SendTestEventAction>>, { ok: true }>["data"];

/** What a test event did, in words: delivered with its status code, or why not. */
export function describeTestOutcome(outcome: TestOutcome): { text: string; isDelivered: boolean } {
  if (outcome.status === "DELIVERED") return { text: `Delivered: your endpoint answered HTTP ${outcome.statusCode ?? "2xx"} (event ${outcome.eventId}).`, isDelivered: true };
  const reason = outcome.error ?? (outcome.statusCode ? `HTTP ${outcome.statusCode}` : "no answer");
  if (outcome.status === "PENDING" && outcome.nextAttemptAt) return { text: `Not delivered: ${reason} Retried automatically from ${formatUtc(outcome.nextAttemptAt)}.`, isDelivered: false };
  if (outcome.status === "PENDING") return { text: "Queued: the delivery job is sending it now; see the delivery log.", isDelivered: false };
  return { text: `Not delivered: ${reason}`, isDelivered: false };
}

export function EndpointCard({ endpoint, actions }: { endpoint: WebhookEndpointDto; actions: WebhookActions }) {
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);
  const [isSending, startSending] = useTransition();
  const [isToggling, startToggling] = useTransition();
  const urlId = `endpoint-${endpoint.id}-url`;
  const { pending, delivered, failed } = endpoint.deliveries;
  const total = pending + delivered + failed;

  function sendTest() {
    startSending(async () => {
      const result = await actions.sendTestEvent({ endpointId: endpoint.id });
      if (!result.ok) {
        setOutcome(null);
        toast.error(result.error.message);
        return;
      }
      setOutcome(result.data);
      const { text, isDelivered } = describeTestOutcome(result.data);
      if (isDelivered) toast.success(text);
      else toast.error(text);
    });
  }

  function toggleEnabled() {
    startToggling(async () => {
      const result = await actions.setEndpointEnabled({ endpointId: endpoint.id, isEnabled: !endpoint.isEnabled });
      if (!result.ok) toast.error(result.error.message);
      else toast.success(result.data.isEnabled ? "Endpoint enabled: new events and waiting deliveries go out again." : "Endpoint disabled: it gets no new events; pending deliveries wait.");
    });
  }

  return (
    <Card>
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h3 id={urlId} className="min-w-0 font-mono text-sm font-semibold break-all">
            {endpoint.url}
          </h3>
          {endpoint.isEnabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>}
        </div>
        <p className="text-sm text-muted-foreground">
          {endpoint.events === "*" ? (
            "Every event, including types added later."
          ) : (
            <>
              {plural(endpoint.events.length, "event")}: <span className="font-mono text-xs">{endpoint.events.join(", ")}</span>
            </>
          )}{" "}
          Added {formatUtc(endpoint.createdAt)}.
        </p>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Figure label="Delivered" value={delivered} how="Deliveries your endpoint answered with a 2xx, counting events, not attempts." />
          <Figure label="Pending" value={pending} how="Deliveries waiting for their next attempt (retries back off from 30 s to 1 h, 10 attempts in all)." />
          <Figure label="Failed" value={failed} how="Deliveries that failed all 10 attempts. Resend one from the delivery log." />
          <div className="grid gap-1">
            <dt className="text-muted-foreground">Last event (UTC)</dt>
            <dd className="num">{formatUtc(endpoint.deliveries.lastCreatedAt, "None yet")}</dd>
          </div>
        </dl>

        <div className="flex flex-wrap gap-2">
          <Button type="button" size="sm" onClick={sendTest} disabled={isSending || !endpoint.isEnabled} aria-describedby={urlId}>
            <Send aria-hidden="true" />
            {isSending ? "Sending…" : "Send test event"}
          </Button>
          <Button type="button" size="sm" variant="outline" onClick={toggleEnabled} disabled={isToggling} aria-describedby={urlId}>
            {endpoint.isEnabled ? "Disable" : "Enable"}
          </Button>
          <ConfirmDialog
            trigger={
              <Button type="button" size="sm" variant="outline" aria-describedby={urlId}>
                <RotateCw aria-hidden="true" />
                Rotate secret
              </Button>
            }
            title="Rotate the signing secret?"
            description={
              <span className="break-all">
                A new secret for {endpoint.url} is made and shown once. The current secret stops working at once: every delivery from now on
                {pending > 0 ? `, the ${plural(pending, "pending delivery", "pending deliveries")} included,` : ""} is signed only with the new secret, so your receiver rejects them
                until you install it.
              </span>
            }
            confirmLabel="Rotate"
            pendingLabel="Rotating…"
            confirmVariant="default"
            onConfirm={async () => {
              const result = await actions.rotateSecret({ endpointId: endpoint.id });
              if (!result.ok) {
                toast.error(result.error.message);
                return false;
              }
              setRotatedSecret(result.data.secret);
              toast.success("Signing secret rotated: the old one no longer verifies.");
              return true;
            }}
          />
          <Button asChild size="sm" variant="outline">
            <Link href={`/lender/settings/webhooks/${endpoint.id}`} aria-describedby={urlId}>
              <ListChecks aria-hidden="true" />
              Delivery log
            </Link>
          </Button>
          <ConfirmDialog
            trigger={
              <Button type="button" size="sm" variant="outline" aria-describedby={urlId}>
                <Trash2 aria-hidden="true" className="text-destructive" />
                Delete
              </Button>
            }
            title="Delete this endpoint?"
            description={
              <span className="break-all">
                {endpoint.url} gets no more events. Its delivery log ({plural(total, "delivery", "deliveries")}) is deleted with it, and{" "}
                {pending === 0 ? "no delivery is pending" : `the ${plural(pending, "pending delivery", "pending deliveries")} will never be sent`}. This cannot be undone.
              </span>
            }
            confirmLabel="Delete endpoint"
            pendingLabel="Deleting…"
            onConfirm={async () => {
              const result = await actions.deleteEndpoint({ endpointId: endpoint.id });
              if (!result.ok) {
                toast.error(result.error.message);
                return false;
              }
              toast.success(`Endpoint deleted: ${endpoint.url}`);
              return true;
            }}
          />
        </div>
        {!endpoint.isEnabled ? <p className="text-xs text-muted-foreground">Enable the endpoint to send a test event.</p> : null}

        <p role="status" aria-live="polite" className={outcome ? "rounded-md border p-2 text-sm" : "sr-only"}>
          {outcome ? <TestOutcomeText outcome={outcome} /> : null}
        </p>
      </CardContent>

      <Dialog open={rotatedSecret !== null} onOpenChange={(isOpen) => !isOpen && setRotatedSecret(null)}>
        <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>New signing secret</DialogTitle>
            <DialogDescription className="break-all">Install it in the receiver at {endpoint.url}; the old secret no longer verifies.</DialogDescription>
          </DialogHeader>
          {rotatedSecret ? <SecretWithInstructions secret={rotatedSecret} /> : null}
          <DialogFooter>
            <Button type="button" onClick={() => setRotatedSecret(null)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}

function TestOutcomeText({ outcome }: { outcome: TestOutcome }) {
  const { text, isDelivered } = describeTestOutcome(outcome);
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge variant={isDelivered ? "success" : "destructive"}>{isDelivered ? "Test delivered" : "Test not delivered"}</Badge>
      <span className="break-all">{text}</span>
    </span>
  );
}

function Figure({ label, value, how }: { label: string; value: number; how: string }) {
  return (
    <div className="grid gap-1">
      <dt className="flex items-center gap-1 text-muted-foreground">
        {label}
        <InfoTip label={label.charAt(0).toLowerCase() + label.slice(1)}>{how}</InfoTip>
      </dt>
      <dd className="num font-medium">{plural(value, "delivery", "deliveries")}</dd>
    </div>
  );
}
