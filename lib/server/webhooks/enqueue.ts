import "@/lib/server/server-only";
import { randomBytes } from "node:crypto";
import { eventIdFromBytes, isSubscribedTo, serializeWebhookEvent, webhookEventTypeSchema, type WebhookEventType } from "@/lib/domain/webhooks";
import type { Db, DbTx } from "@/lib/server/db/client";

export type EnqueuedEvent = { eventId: string; type: WebhookEventType; deliveryIds: string[]; payload: string };

/**
 * Queues one event for every enabled endpoint of `orgId` (the lender organisation) subscribed to
 * its type: one PENDING WebhookDelivery per endpoint, all carrying the same event id and the same
 * payload bytes, due at once. Pass the transaction of the change the event announces (a freeze, an
 * alert) so the event commits with it or not at all; nothing here talks to the network.
 *
 * Only `orgId`'s endpoints are read: an event can never reach another organisation.
 */
export async function enqueueWebhookEvent(
  tx: DbTx | Db,
  input: { orgId: string; type: WebhookEventType; data: Record<string, unknown> },
  options: { now?: Date; eventId?: string } = {},
): Promise<EnqueuedEvent> {
  const type = webhookEventTypeSchema.parse(input.type);
  const now = options.now ?? new Date();
  const eventId = options.eventId ?? eventIdFromBytes(randomBytes(16));
  const payload = serializeWebhookEvent({ id: eventId, type, createdAt: now, data: input.data });
  const endpoints = await tx.webhookEndpoint.findMany({ where: { orgId: input.orgId, isEnabled: true }, select: { id: true, events: true }, orderBy: { id: "asc" } });
  const subscribed = endpoints.filter((endpoint) => isSubscribedTo(endpoint.events, type));
  return { eventId, type, payload, deliveryIds: await createDeliveries(tx, subscribed.map((e) => e.id), { eventId, type, payload, now }) };
}

/** Also used by the test event, which goes to exactly one endpoint. */
export async function createDeliveries(tx: DbTx | Db, endpointIds: string[], event: { eventId: string; type: WebhookEventType; payload: string; now: Date }): Promise<string[]> {
  const ids: string[] = [];
  // One insert per endpoint (at most 16 per org): createMany returns no ids on every provider.
  for (const endpointId of endpointIds) {
    const delivery = await tx.webhookDelivery.create({
      data: { endpointId, eventId: event.eventId, eventType: event.type, payload: event.payload, status: "PENDING", attempts: 0, nextAttemptAt: event.now, createdAt: event.now },
      select: { id: true },
    });
    ids.push(delivery.id);
  }
  return ids;
}
