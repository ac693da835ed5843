"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acknowledgeAlerts, MAX_ACKNOWLEDGE_BATCH, serializeLenderAlert } from "@/lib/server/alerts/service";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

// The lender acknowledges one alert (the row's "Acknowledge") or many ("Acknowledge selected"),
// all or nothing. defineAction checks the session and alert.acknowledge first; the service scopes
// every id by the viewer's organisation, so another lender's alert is "not found" and stops the batch.

const acknowledgeInput = z.object({
  alertIds: z
    .array(z.string().trim().min(1, "Pick an alert.").max(64, "That is not an alert id."))
    .min(1, "Pick at least one alert.")
    .max(MAX_ACKNOWLEDGE_BATCH, `At most ${MAX_ACKNOWLEDGE_BATCH} alerts at a time.`),
});

export const acknowledgeAlertsAction = defineAction({ permission: "alert.acknowledge", input: acknowledgeInput }, async (input, viewer) => {
  const { alerts, changedIds } = await acknowledgeAlerts(db, { alertIds: input.alertIds, lenderOrgId: viewer.orgId, userId: viewer.userId });
  // The portfolio's open-alert figure is server-rendered; the inbox and the sidebar badge refetch.
  revalidatePath("/lender", "layout");
  return { changedIds, alerts: alerts.map(serializeLenderAlert) };
});
