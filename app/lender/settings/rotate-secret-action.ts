"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { rotateEndpointSecret } from "@/lib/server/webhooks/endpoints";

/** "Rotate secret": the new signing secret is in this answer and nowhere else; the old one stops verifying at once. */
export const rotateWebhookSecretAction = defineAction({ permission: "webhook.manage", input: z.object({ endpointId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) }, async (input, viewer) => {
  const { endpoint, secret } = await rotateEndpointSecret(db, { orgId: viewer.orgId, endpointId: input.endpointId, actorUserId: viewer.userId });
  revalidatePath("/lender/settings", "layout");
  return { id: endpoint.id, url: endpoint.url, secret };
});
