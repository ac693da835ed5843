"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acknowledgeAlert as acknowledge, serializeLenderAlert } from "@/lib/server/alerts/service";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

// The lender acknowledges an alert from its screens. defineAction checks the session and
// alert.acknowledge first; the service scopes the alert by the viewer's organisation, so another
// lender's alert is "not found".

const acknowledgeInput = z.object({ alertId: z.string().trim().min(1, "Pick an alert.").max(64) });

export const acknowledgeAlert = defineAction({ permission: "alert.acknowledge", input: acknowledgeInput }, async (input, viewer) => {
  const { alert, isChanged } = await acknowledge(db, { alertId: input.alertId, lenderOrgId: viewer.orgId, userId: viewer.userId });
  revalidatePath("/lender", "layout");
  return { isChanged, alert: serializeLenderAlert(alert) };
});
