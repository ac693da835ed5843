"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { deleteEndpoint } from "@/lib/server/webhooks/endpoints";

/** "Delete": the endpoint and its delivery log go; pending deliveries are never sent. */
export const deleteWebhookEndpointAction = defineAction({ permission: "webhook.manage", input: z.object({ endpointId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) }, async (input, viewer) => {
  await deleteEndpoint(db, { orgId: viewer.orgId, endpointId: input.endpointId, actorUserId: viewer.userId });
  revalidatePath("/lender/settings", "layout");
  return { id: input.endpointId };
});
