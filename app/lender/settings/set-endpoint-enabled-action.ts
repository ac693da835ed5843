"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { setEndpointEnabled } from "@/lib/server/webhooks/endpoints";

/** "Disable" / "Enable": a disabled endpoint gets no new events; its pending deliveries wait. */
export const setWebhookEndpointEnabledAction = defineAction(
  { permission: "webhook.manage", input: z.object({ endpointId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters."), isEnabled: z.boolean() }) },
  async (input, viewer) => {
    const endpoint = await setEndpointEnabled(db, { orgId: viewer.orgId, endpointId: input.endpointId, isEnabled: input.isEnabled, actorUserId: viewer.userId });
    revalidatePath("/lender/settings", "layout");
    return { id: endpoint.id, isEnabled: endpoint.isEnabled };
  },
);
