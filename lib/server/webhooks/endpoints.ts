import "@/lib/server/server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ALL_EVENTS, formatSubscribedEvents, parseSubscribedEvents, SUBSCRIBABLE_EVENT_TYPES, type WebhookEventType } from "@/lib/domain/webhooks";
import { sealSecret } from "@/lib/server/crypto/secret-box";
import type { Db } from "@/lib/server/db/client";
import { ApiError, zodIssueMessage } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";
import { literalDestinationRefusal, privateDestinationsAllowed } from "./destination";

// A lender organisation's webhook endpoints. The signing secret is returned once, by
// createEndpoint, and stored only sealed (AES-256-GCM, secret-box.ts): the deliverer opens it to
// sign, nothing ever sends it back. Every read and write is scoped by the caller's organisation,
// so another organisation's endpoint id reads as not found.

export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const MAX_ENDPOINTS_PER_ORG = 16;
const MAX_URL_LENGTH = 2_048;

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `Keep the URL under ${MAX_URL_LENGTH} characters.`)
  .pipe(z.url({ protocol: /^https?$/, message: "Enter an http:// or https:// URL." }))
  .refine((url) => {
    if (!URL.canParse(url)) return true; // already reported by z.url()
    const parsed = new URL(url);
    return parsed.username === "" && parsed.password === "";
  }, "Put no user name or password in the URL; the signature authenticates the request.");

export const webhookEventsSchema = z.union([z.literal(ALL_EVENTS), z.array(z.enum(SUBSCRIBABLE_EVENT_TYPES)).min(1, "Choose at least one event.")], {
  error: `Choose "${ALL_EVENTS}" or events from: ${SUBSCRIBABLE_EVENT_TYPES.join(", ")}.`,
});

export type WebhookEndpointView = {
  id: string;
  orgId: string;
  url: string;
  events: WebhookEventType[] | typeof ALL_EVENTS;
  isEnabled: boolean;
  createdAt: Date;
};

type EndpointRow = { id: string; orgId: string; url: string; events: string; isEnabled: boolean; createdAt: Date };
const VIEW_SELECT = { id: true, orgId: true, url: true, events: true, isEnabled: true, createdAt: true } as const;

function toView(row: EndpointRow): WebhookEndpointView {
  return { ...row, events: parseSubscribedEvents(row.events) };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, param: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message } = zodIssueMessage(parsed.error);
  throw new ApiError(400, "invalid_request", `${param}: ${message}`, param);
}

/** `whsec_` + 32 random bytes, base64url: 256 bits. */
export function generateWebhookSecret(random: (byteCount: number) => Uint8Array = randomBytes): string {
  return WEBHOOK_SECRET_PREFIX + Buffer.from(random(32)).toString("base64url");
}

export async function createEndpoint(
  db: Db,
  input: { orgId: string; url: string; events: readonly string[] | string; createdById?: string | null },
  options: { encryptionKey?: string; allowPrivateDestinations?: boolean } = {},
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const url = parseOrThrow(webhookUrlSchema, input.url, "url");
  if (!(options.allowPrivateDestinations ?? privateDestinationsAllowed())) {
    // Names are resolved when each delivery is sent; a literal address or localhost is refused now.
    const refusal = literalDestinationRefusal(url);
    if (refusal) throw new ApiError(400, "invalid_request", `url: ${refusal}; webhooks go only to public addresses.`, "url");
  }
  const events = parseOrThrow(webhookEventsSchema, input.events, "events");
  const secret = generateWebhookSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: input.orgId }, select: { kind: true } });
    if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
    if (org.kind !== "LENDER") throw new ApiError(403, "forbidden", "Only lenders have webhook endpoints.");
    if ((await tx.webhookEndpoint.count({ where: { orgId: input.orgId } })) >= MAX_ENDPOINTS_PER_ORG) {
      throw new ApiError(409, "too_many_endpoints", `An organisation can have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints; delete one first.`);
    }
    const created = await tx.webhookEndpoint.create({
      data: { orgId: input.orgId, url, events: formatSubscribedEvents(events), secretEncrypted: sealSecret(secret, options.encryptionKey) },
      select: VIEW_SELECT,
    });
    await recordAudit(tx, {
      orgId: input.orgId,
      ...auditActor(input.createdById),
      action: "webhookEndpoint.created",
      targetType: "WebhookEndpoint",
      targetId: created.id,
      detail: { url, events: created.events },
    });
    return created;
  });
  return { endpoint: toView(endpoint), secret };
}

/** Newest first; never the secret. */
export async function listEndpoints(db: Db, orgId: string): Promise<WebhookEndpointView[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: VIEW_SELECT });
  return rows.map(toView);
}

export async function getEndpointOrThrow(db: Db, input: { orgId: string; endpointId: string }): Promise<WebhookEndpointView> {
  const row = await db.webhookEndpoint.findFirst({ where: { id: input.endpointId, orgId: input.orgId }, select: VIEW_SELECT });
  if (!row) throw endpointNotFound();
  return toView(row);
}

/** Who a webhook change is audited as: the user who made it, else the system. */
export function auditActor(userId: string | null | undefined): { actorUserId: string | null; actorKind: "user" | "system" } {
  return { actorUserId: userId ?? null, actorKind: userId ? "user" : "system" };
}

export function endpointNotFound() {
  return new ApiError(404, "webhook_endpoint_not_found", "No such webhook endpoint.");
}

/**
 * Deletes the endpoint and its delivery log. A delivery being sent at this moment finishes its
 * request; its result finds no row and is dropped.
 */
export async function deleteEndpoint(db: Db, input: { orgId: string; endpointId: string; actorUserId?: string | null }): Promise<void> {
  await db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: input.endpointId, orgId: input.orgId }, select: VIEW_SELECT });
    if (!endpoint) throw endpointNotFound();
    const { count: deliveries } = await tx.webhookDelivery.deleteMany({ where: { endpointId: endpoint.id } });
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await recordAudit(tx, {
      orgId: input.orgId,
      ...auditActor(input.actorUserId),
      action: "webhookEndpoint.deleted",
      targetType: "WebhookEndpoint",
      targetId: endpoint.id,
      detail: { url: endpoint.url, deliveriesDeleted: deliveries },
    });
  });
}

/**
 * A disabled endpoint gets no new events and its pending deliveries wait (they are not sent, not
 * failed); enabling it again sends them. Setting the state it already has writes nothing.
 */
export async function setEndpointEnabled(db: Db, input: { orgId: string; endpointId: string; isEnabled: boolean; actorUserId?: string | null }): Promise<WebhookEndpointView> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id: input.endpointId, orgId: input.orgId, isEnabled: !input.isEnabled }, data: { isEnabled: input.isEnabled } });
    const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: input.endpointId, orgId: input.orgId }, select: VIEW_SELECT });
    if (!endpoint) throw endpointNotFound();
    if (count === 1) {
      await recordAudit(tx, {
        orgId: input.orgId,
        ...auditActor(input.actorUserId),
        action: input.isEnabled ? "webhookEndpoint.enabled" : "webhookEndpoint.disabled",
        targetType: "WebhookEndpoint",
        targetId: endpoint.id,
        detail: { url: endpoint.url, before: { isEnabled: !input.isEnabled }, after: { isEnabled: input.isEnabled } },
      });
    }
    return toView(endpoint);
  });
}

export function disableEndpoint(db: Db, input: { orgId: string; endpointId: string; actorUserId?: string | null }) {
  return setEndpointEnabled(db, { ...input, isEnabled: false });
}

/**
 * "Rotate secret": a new signing secret for the endpoint, returned once (like createEndpoint's) and
 * stored only sealed. The old secret stops working at once: every attempt from now on — retries of
 * deliveries queued before the rotation included — is signed with the new one, since the deliverer
 * reads the secret when it sends. There is no overlap window: a leaked secret is the usual reason
 * to rotate, and it must not keep verifying.
 */
export async function rotateEndpointSecret(
  db: Db,
  input: { orgId: string; endpointId: string; actorUserId?: string | null },
  options: { encryptionKey?: string; random?: (byteCount: number) => Uint8Array } = {},
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const secret = generateWebhookSecret(options.random);
  const endpoint = await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id: input.endpointId, orgId: input.orgId }, data: { secretEncrypted: sealSecret(secret, options.encryptionKey) } });
    if (count !== 1) throw endpointNotFound();
    const row = await tx.webhookEndpoint.findFirstOrThrow({ where: { id: input.endpointId, orgId: input.orgId }, select: VIEW_SELECT });
    await recordAudit(tx, {
      orgId: input.orgId,
      ...auditActor(input.actorUserId),
      action: "webhookEndpoint.secretRotated",
      targetType: "WebhookEndpoint",
      targetId: row.id,
      detail: { url: row.url },
    });
    return row;
  });
  return { endpoint: toView(endpoint), secret };
}
