"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { sendTestEvent } from "@/lib/server/webhooks/deliver";

/** "Send test event": sends at once and answers with the outcome of that first attempt. */
export const sendTestWebhookAction = defineAction({ permission: "webhook.manage", input: z.object({ endpointId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) }, async (input, viewer) => {
  const delivery = await sendTestEvent(db, { orgId: viewer.orgId, endpointId: input.endpointId, actorUserId: viewer.userId });
  revalidatePath("/lender/settings", "layout");
  return {
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    status: delivery.status,
    statusCode: delivery.lastStatusCode,
    error: delivery.lastError,
    nextAttemptAt: delivery.status === "PENDING" ? delivery.nextAttemptAt.toISOString() : null,
  };
});
