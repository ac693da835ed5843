"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { markNotificationsRead } from "@/lib/server/notifications/notifications";

// The bell's "Mark all read" (no ids) or one notification opened (its id). Scoped to the viewer's
// organisation: another organisation's ids change nothing.

const markReadInput = z.object({ ids: z.array(z.string().trim().min(1).max(64)).max(100, "At most 100 at a time.").optional() });

export const markNotificationsReadAction = defineAction({ permission: "credits.read", input: markReadInput }, async (input, viewer) => {
  const changed = await markNotificationsRead(db, { orgId: viewer.orgId, ids: input.ids, now: new Date() });
  return { changed };
});
