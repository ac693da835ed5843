import "@/lib/server/server-only";
import { randomBytes } from "node:crypto";
import { eventIdFromBytes, jitterFromId, retryDecision, serializeWebhookEvent, signatureHeader, SIGNATURE_HEADER, TEST_EVENT_TYPE } from "@/lib/domain/webhooks";
import { openSecret } from "@/lib/server/crypto/secret-box";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { httpPost, type UpstreamHttpResponse } from "@/lib/server/providers/http-client";
import { recordAudit } from "@/lib/server/services/audit";
import { toDeliveryView, type WebhookDeliveryView, DELIVERY_VIEW_SELECT } from "./deliveries";
import { auditActor, endpointNotFound } from "./endpoints";
import { literalDestinationRefusal, NonPublicDestinationError, privateDestinationsAllowed, publicOnlyLookup, type ResolveHost } from "./destination";
import { createDeliveries } from "./enqueue";

// Sends due webhook deliveries. Claiming is one conditional UPDATE per delivery, keyed on the
// attempt count read a moment before: `attempts = n AND status = PENDING AND nextAttemptAt <= now`
// → `attempts = n + 1, nextAttemptAt = now + CLAIM_TTL_MS`. Of two instances (or a background tick
// and a "Send test event") reading the same row, exactly one update matches; the other sees
// count 0 and moves on. The claim also pushes nextAttemptAt forward, so a sender that dies mid-request
// leaves a delivery that becomes due again after CLAIM_TTL_MS (at-least-once; receivers dedupe on
// the event id). Nothing holds a transaction open across the HTTP request.

export const DELIVERY_TIMEOUT_MS = 10_000;
/** Longer than a request can take (timeout + database writes), so a live claim never expires. */
export const CLAIM_TTL_MS = 60_000;
export const DEFAULT_DELIVERY_BATCH = 50;
const DEFAULT_CONCURRENCY = 8;
const MAX_ERROR_CHARS = 500;
const USER_AGENT = "Blockable-Webhooks/1.0";

export type DeliverOptions = {
  now?: Date;
  /** Deliveries to send at most in this call. */
  limit?: number;
  timeoutMs?: number;
  /** Requests in flight at once, so one slow endpoint does not hold up the others. */
  concurrency?: number;
  /** [0, 1) per delivery id; defaults to a stable hash of the id. Tests pass () => 0. */
  jitter?: (deliveryId: string) => number;
  /** The secret box's key; defaults to the app's ENCRYPTION_KEY. */
  encryptionKey?: string;
  /** Deliver to loopback and private addresses too; defaults to BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS. */
  allowPrivateDestinations?: boolean;
  /** How a destination's name is resolved for that check (DNS by default). */
  resolveHost?: ResolveHost;
};

export type DeliveryAttempt = {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  attempt: number;
  status: "DELIVERED" | "PENDING" | "FAILED";
  statusCode: number | null;
  error: string | null;
};

type Candidate = {
  id: string;
  attempts: number;
  eventId: string;
  eventType: string;
  payload: string;
  endpoint: { id: string; url: string; secretEncrypted: string };
};

const CANDIDATE_SELECT = {
  id: true,
  attempts: true,
  eventId: true,
  eventType: true,
  payload: true,
  endpoint: { select: { id: true, url: true, secretEncrypted: true } },
} as const;

/** The conditional update described above; true when this caller now owns the attempt. */
async function claim(db: Db, candidate: Candidate, now: Date): Promise<boolean> {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id: candidate.id, status: "PENDING", attempts: candidate.attempts, nextAttemptAt: { lte: now }, endpoint: { isEnabled: true } },
    data: { attempts: candidate.attempts + 1, nextAttemptAt: new Date(now.getTime() + CLAIM_TTL_MS) },
  });
  return count === 1;
}

const notSent = (refusal: string) => `Not sent: ${refusal}. Webhooks go only to public addresses.`;

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof NonPublicDestinationError) return notSent(error.message);
  if (error instanceof Error && error.name === "TimeoutError") return `No response within ${timeoutMs / 1000} s.`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return `Could not connect: ${code}${error instanceof Error && error.message ? ` (${error.message})` : ""}.`;
  return `Request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** The start of an error response's body, for the log; never reads more than that. */
async function readSnippet(response: UpstreamHttpResponse, maxChars: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length >= maxChars) break;
    }
  } catch {
    // A body cut short still leaves the status code, which is what matters.
  } finally {
    response.destroy();
  }
  return text.slice(0, maxChars);
}

async function post(candidate: Candidate, now: Date, options: DeliverOptions): Promise<{ statusCode: number | null; error: string | null }> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  let secret: string;
  try {
    secret = openSecret(candidate.endpoint.secretEncrypted, options.encryptionKey);
  } catch {
    return { statusCode: null, error: "The endpoint's signing secret cannot be opened with this server's ENCRYPTION_KEY." };
  }
  const publicOnly = !(options.allowPrivateDestinations ?? privateDestinationsAllowed());
  if (publicOnly) {
    const refusal = literalDestinationRefusal(candidate.endpoint.url);
    if (refusal) return { statusCode: null, error: notSent(refusal) };
  }
  try {
    // No redirects are followed: a redirect is a misconfigured endpoint, and following it would
    // re-send the body elsewhere. The timeout covers the whole exchange, error body included.
    const response = await httpPost(candidate.endpoint.url, {
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(now.getTime() / 1000), candidate.payload),
        "blockable-event-id": candidate.eventId,
        "blockable-event-type": candidate.eventType,
      },
      body: candidate.payload,
      signal: AbortSignal.timeout(timeoutMs),
      lookup: publicOnly ? publicOnlyLookup(options.resolveHost) : undefined,
    });
    if (response.ok) {
      response.destroy();
      return { statusCode: response.status, error: null };
    }
    const snippet = (await readSnippet(response, MAX_ERROR_CHARS - 40)).trim();
    return { statusCode: response.status, error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ""}` };
  } catch (error) {
    return { statusCode: null, error: describeFailure(error, timeoutMs).slice(0, MAX_ERROR_CHARS) };
  }
}

/** Claim → POST → record, for one candidate; null when someone else claimed it first. */
async function attempt(db: Db, candidate: Candidate, now: Date, options: DeliverOptions): Promise<DeliveryAttempt | null> {
  if (!(await claim(db, candidate, now))) return null;
  const attemptNumber = candidate.attempts + 1;
  const { statusCode, error } = await post(candidate, now, options);
  const base = { deliveryId: candidate.id, endpointId: candidate.endpoint.id, eventId: candidate.eventId, attempt: attemptNumber, statusCode, error };
  if (error === null) {
    // Success is recorded even if the claim was somehow taken over meanwhile: the receiver has it.
    await db.webhookDelivery.updateMany({ where: { id: candidate.id, status: "PENDING" }, data: { status: "DELIVERED", lastStatusCode: statusCode, lastError: null, deliveredAt: now } });
    return { ...base, status: "DELIVERED" };
  }
  const jitter = (options.jitter ?? jitterFromId)(candidate.id);
  const decision = retryDecision(attemptNumber, now.getTime(), { jitter });
  const status = decision.kind === "retry" ? "PENDING" : "FAILED";
  await db.webhookDelivery.updateMany({
    where: { id: candidate.id, status: "PENDING", attempts: attemptNumber },
    data: { status, lastStatusCode: statusCode, lastError: error, nextAttemptAt: decision.kind === "retry" ? new Date(decision.nextAttemptAtMs) : now },
  });
  return { ...base, status };
}

/**
 * One pass of the delivery job: sends up to `limit` due PENDING deliveries of enabled endpoints,
 * oldest due first, `concurrency` at a time. Safe to run on several instances at once (see the
 * claim above); the background job also holds a lease so normally one instance does it.
 */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions = {}): Promise<{ attempts: DeliveryAttempt[] }> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? DEFAULT_DELIVERY_BATCH;
  // Read a few more than the limit: rows another instance claims first are skipped, not waited on.
  const candidates: Candidate[] = await db.webhookDelivery.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now }, endpoint: { isEnabled: true } },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit * 2,
    select: CANDIDATE_SELECT,
  });
  const attempts: DeliveryAttempt[] = [];
  let next = 0;
  let slotsLeft = limit;
  const worker = async () => {
    while (slotsLeft > 0 && next < candidates.length) {
      slotsLeft--; // taken before the claim so concurrent workers never exceed the limit
      const result = await attempt(db, candidates[next++], now, options);
      if (result) attempts.push(result);
      else slotsLeft++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
  return { attempts };
}

/**
 * "Send test event": queues a `webhook.test` event for this one endpoint (even when it is not
 * subscribed to anything in particular) and sends it right away, so the lender sees the outcome on
 * the page. A failure is retried by the background job like any other delivery.
 */
export async function sendTestEvent(
  db: Db,
  input: { orgId: string; endpointId: string; actorUserId?: string | null },
  options: Omit<DeliverOptions, "limit" | "concurrency"> = {},
): Promise<WebhookDeliveryView> {
  const now = options.now ?? new Date();
  const deliveryId = await db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: input.endpointId, orgId: input.orgId }, select: { id: true, url: true, isEnabled: true } });
    if (!endpoint) throw endpointNotFound();
    if (!endpoint.isEnabled) throw new ApiError(409, "webhook_endpoint_disabled", "This endpoint is disabled; enable it to send a test event.");
    const eventId = eventIdFromBytes(randomBytes(16));
    const payload = serializeWebhookEvent({ id: eventId, type: TEST_EVENT_TYPE, createdAt: now, data: { message: "A test event from Blockable.", endpointId: endpoint.id } });
    const [id] = await createDeliveries(tx, [endpoint.id], { eventId, type: TEST_EVENT_TYPE, payload, now });
    await recordAudit(tx, {
      orgId: input.orgId,
      ...auditActor(input.actorUserId),
      action: "webhookEndpoint.testSent",
      targetType: "WebhookEndpoint",
      targetId: endpoint.id,
      detail: { url: endpoint.url, eventId },
    });
    return id;
  });
  return attemptNow(db, deliveryId, now, options);
}

/** One attempt of the delivery, now, in this call (a test event, a resend); then how it stands. */
async function attemptNow(db: Db, deliveryId: string, now: Date, options: Omit<DeliverOptions, "limit" | "concurrency">): Promise<WebhookDeliveryView> {
  const candidate = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: CANDIDATE_SELECT });
  await attempt(db, candidate, now, options);
  return toDeliveryView(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: DELIVERY_VIEW_SELECT }));
}

export function deliveryNotFound() {
  return new ApiError(404, "webhook_delivery_not_found", "No such webhook delivery.", "deliveryId");
}

/**
 * "Resend": one more attempt of a delivery, right now — the same event id and the same payload
 * bytes (receivers deduplicate on the id), signed afresh with the endpoint's current secret and
 * the current time. Any delivery may be resent: a FAILED one, a DELIVERED one the receiver lost, a
 * PENDING one waiting for its next retry. The attempt counts like any other: if it fails and the
 * retry budget (MAX_ATTEMPTS in all) is not spent, the background job retries it; otherwise it is
 * FAILED again. If another sender claims the delivery between this call's read and its write, the
 * call is refused (409) instead of sending a second request alongside; a request already in flight
 * when the call starts may still overlap it, which the receiver's deduplication absorbs (delivery is
 * at-least-once). If the background job claims it right after the write, it sends it instead and
 * the answer shows it PENDING.
 */
export async function resendDelivery(
  db: Db,
  input: { orgId: string; deliveryId: string; actorUserId?: string | null },
  options: Omit<DeliverOptions, "limit" | "concurrency"> = {},
): Promise<WebhookDeliveryView> {
  const now = options.now ?? new Date();
  await db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id: input.deliveryId, endpoint: { orgId: input.orgId } },
      select: { id: true, eventId: true, eventType: true, status: true, attempts: true, endpoint: { select: { id: true, url: true, isEnabled: true } } },
    });
    if (!delivery) throw deliveryNotFound();
    if (!delivery.endpoint.isEnabled) throw new ApiError(409, "webhook_endpoint_disabled", "This endpoint is disabled; enable it to resend a delivery.");
    const { count } = await tx.webhookDelivery.updateMany({ where: { id: delivery.id, attempts: delivery.attempts }, data: { status: "PENDING", nextAttemptAt: now } });
    if (count !== 1) throw new ApiError(409, "webhook_delivery_in_flight", "This delivery is being sent right now; wait for its outcome and try again.");
    await recordAudit(tx, {
      orgId: input.orgId,
      ...auditActor(input.actorUserId),
      action: "webhookDelivery.resent",
      targetType: "WebhookDelivery",
      targetId: delivery.id,
      detail: { endpointId: delivery.endpoint.id, url: delivery.endpoint.url, eventId: delivery.eventId, eventType: delivery.eventType, previousStatus: delivery.status, attemptsBefore: delivery.attempts },
    });
  });
  return attemptNow(db, input.deliveryId, now, options);
}
