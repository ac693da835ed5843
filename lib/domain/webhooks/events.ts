// The events a lender's webhook endpoints can receive, and the envelope every delivery carries:
// `{ id: "evt_…", type, created: <unix seconds>, data: {…} }`. The event id is the same on every
// endpoint and every retry of one event, so receivers deduplicate on it.
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = [
  "alert.opened",
  "alert.resolved",
  "alert.acknowledged",
  "loan.state_changed",
  "loan.frozen",
  "loan.unfrozen",
  "loan.liquidated",
  "loan.repaid",
  "payment.received",
  "webhook.test",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "Send test event", to the one endpoint asked; nobody subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test" satisfies WebhookEventType;
export const SUBSCRIBABLE_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter((type) => type !== TEST_EVENT_TYPE);
/** Stored in WebhookEndpoint.events for "every event". */
export const ALL_EVENTS = "*";

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const EVENT_ID_PREFIX = "evt_";
const EVENT_ID = /^evt_[0-9a-f]{32}$/;

export const webhookEventSchema = z.object({
  id: z.string().regex(EVENT_ID, "an event id is evt_ followed by 32 hex digits"),
  type: webhookEventTypeSchema,
  created: z.number().int().nonnegative(),
  data: z.record(z.string(), z.unknown()),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** `evt_` + 32 hex digits from 16 random bytes (injected: the caller owns randomness). */
export function eventIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`an event id takes 16 random bytes, got ${bytes.length}`);
  return EVENT_ID_PREFIX + Buffer.from(bytes).toString("hex");
}

/**
 * The exact bytes that are signed, stored and sent. BigInts (µUSD amounts) become decimal strings,
 * as everywhere in Blockable's JSON.
 */
export function serializeWebhookEvent(event: { id: string; type: WebhookEventType; createdAt: Date; data: Record<string, unknown> }): string {
  const envelope: WebhookEvent = webhookEventSchema.parse({
    id: event.id,
    type: event.type,
    created: Math.floor(event.createdAt.getTime() / 1000),
    data: JSON.parse(JSON.stringify(event.data, (_key, value) => (typeof value === "bigint" ? value.toString() : value))),
  });
  return JSON.stringify(envelope);
}

/** Endpoint subscriptions as stored: "*" or a comma-separated list. */
export function parseSubscribedEvents(stored: string): WebhookEventType[] | typeof ALL_EVENTS {
  if (stored.trim() === ALL_EVENTS) return ALL_EVENTS;
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  return stored
    .split(",")
    .map((type) => type.trim())
    .filter((type): type is WebhookEventType => known.has(type));
}

export function formatSubscribedEvents(events: readonly WebhookEventType[] | typeof ALL_EVENTS): string {
  if (events === ALL_EVENTS) return ALL_EVENTS;
  return [...new Set(events)].sort().join(",");
}

/** Does an endpoint subscribed to `stored` get events of `type`? The test event is never broadcast. */
export function isSubscribedTo(stored: string, type: WebhookEventType): boolean {
  if (type === TEST_EVENT_TYPE) return false;
  const events = parseSubscribedEvents(stored);
  return events === ALL_EVENTS || events.includes(type);
}
