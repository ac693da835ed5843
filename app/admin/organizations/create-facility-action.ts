"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createFacility } from "@/lib/server/services/organizations";
import { createFacilityInput } from "./schemas";

/** "Create facility" on a lender: a name, a limit in USD and the default APR in percent. */
export const createFacilityAction = defineAction({ permission: "org.manage", input: createFacilityInput }, async (input, viewer) => {
  const facility = await createFacility(db, { actorUserId: viewer.userId, lenderOrgId: input.orgId, name: input.name, limitMicros: input.limitUsd, defaultAprBps: input.defaultAprPercent });
  revalidatePath("/admin/organizations", "layout");
  return { id: facility.id, name: facility.name };
});
