"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { sendTestEvent } from "@/lib/server/webhooks/deliver";
import { createEndpoint, deleteEndpoint, setEndpointEnabled, webhookEventsSchema, webhookUrlSchema } from "@/lib/server/webhooks/endpoints";

// Lender webhook endpoints. defineAction checks the session and the `webhook.manage` permission
// (lenders only) inside each action; the services scope every id by the viewer's organisation and
// write the audit row in the same transaction as the change.

const WEBHOOKS_PATH = "/lender/webhooks";
const endpointId = z.string().min(1).max(64);

/** The signing secret is in this response and nowhere else, ever. */
export const createWebhookEndpointAction = defineAction(
  { permission: "webhook.manage", input: z.object({ url: webhookUrlSchema, events: webhookEventsSchema }) },
  async (input, viewer) => {
    const { endpoint, secret } = await createEndpoint(db, { orgId: viewer.orgId, url: input.url, events: input.events, createdById: viewer.userId });
    revalidatePath(WEBHOOKS_PATH);
    return { id: endpoint.id, url: endpoint.url, events: endpoint.events, secret };
  },
);

export const deleteWebhookEndpointAction = defineAction({ permission: "webhook.manage", input: z.object({ endpointId }) }, async (input, viewer) => {
  await deleteEndpoint(db, { orgId: viewer.orgId, endpointId: input.endpointId, actorUserId: viewer.userId });
  revalidatePath(WEBHOOKS_PATH);
  return { id: input.endpointId };
});

export const setWebhookEndpointEnabledAction = defineAction(
  { permission: "webhook.manage", input: z.object({ endpointId, isEnabled: z.boolean() }) },
  async (input, viewer) => {
    const endpoint = await setEndpointEnabled(db, { orgId: viewer.orgId, endpointId: input.endpointId, isEnabled: input.isEnabled, actorUserId: viewer.userId });
    revalidatePath(WEBHOOKS_PATH);
    return { id: endpoint.id, isEnabled: endpoint.isEnabled };
  },
);

/** Sends at once and answers with the outcome of the first attempt. */
export const sendTestWebhookAction = defineAction({ permission: "webhook.manage", input: z.object({ endpointId }) }, async (input, viewer) => {
  const delivery = await sendTestEvent(db, { orgId: viewer.orgId, endpointId: input.endpointId, actorUserId: viewer.userId });
  revalidatePath(WEBHOOKS_PATH);
  return {
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    status: delivery.status,
    statusCode: delivery.lastStatusCode,
    error: delivery.lastError,
  };
});
