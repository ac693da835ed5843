"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createEndpoint, webhookEventsSchema, webhookUrlSchema } from "@/lib/server/webhooks/endpoints";

/**
 * "Add endpoint": the signing secret is in this answer and nowhere else, ever (stored sealed). A URL
 * at a loopback, private or metadata address is refused with a message on the `url` field.
 */
export const createWebhookEndpointAction = defineAction(
  { permission: "webhook.manage", input: z.object({ url: webhookUrlSchema, events: webhookEventsSchema }) },
  async (input, viewer) => {
    const { endpoint, secret } = await createEndpoint(db, { orgId: viewer.orgId, url: input.url, events: input.events, createdById: viewer.userId });
    revalidatePath("/lender/settings");
    return { id: endpoint.id, url: endpoint.url, events: endpoint.events, secret };
  },
);
