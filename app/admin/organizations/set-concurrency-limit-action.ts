"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { setOrgConcurrencyLimit } from "@/lib/server/limits/org-concurrency";
import { setConcurrencyLimitInput } from "./schemas";

/** "Concurrency limit" on an organisation: its routed requests in flight at once, or blank for the default. */
export const setConcurrencyLimitAction = defineAction({ permission: "org.manage", input: setConcurrencyLimitInput }, async (input, viewer) => {
  const org = await setOrgConcurrencyLimit(db, { actorUserId: viewer.userId, orgId: input.orgId, maxConcurrentRequests: input.maxConcurrentRequests });
  revalidatePath("/admin/organizations", "layout");
  return { orgId: org.id, maxConcurrentRequests: org.maxConcurrentRequests };
});
