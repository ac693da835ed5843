"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createOrganization } from "@/lib/server/services/organizations";
import { createOrganizationInput } from "./schemas";

/** "Create organisation": a name and a kind; the slug is derived from the name and must be free. */
export const createOrganizationAction = defineAction({ permission: "org.manage", input: createOrganizationInput }, async (input, viewer) => {
  const org = await createOrganization(db, { actorUserId: viewer.userId, name: input.name, kind: input.kind });
  revalidatePath("/admin/organizations");
  return { id: org.id, name: org.name, slug: org.slug, kind: org.kind };
});
