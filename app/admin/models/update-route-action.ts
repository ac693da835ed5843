"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { updateRouteSchema } from "@/lib/domain/routing/catalog-inputs";
import { updateRoute } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Save route": upstream model, priority, enabled (prices have their own action). */
export const updateRouteAction = defineAction({ permission: "provider.manage", input: updateRouteSchema }, async (input, viewer) => {
  const route = await updateRoute(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  return { id: route.id, modelSlug: route.modelSlug, providerSlug: route.providerSlug };
});
