"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { toDeliveryDto } from "@/lib/server/queries/lender-settings";
import { resendDelivery } from "@/lib/server/webhooks/deliver";

/** "Resend": one more attempt of the same event (same id, same body), sent now; answers with its outcome. */
export const resendWebhookDeliveryAction = defineAction({ permission: "webhook.manage", input: z.object({ deliveryId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) }, async (input, viewer) => {
  const delivery = await resendDelivery(db, { orgId: viewer.orgId, deliveryId: input.deliveryId, actorUserId: viewer.userId });
  revalidatePath("/lender/settings", "layout");
  return toDeliveryDto(delivery);
});
