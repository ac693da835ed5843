"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { removeRouteSchema } from "@/lib/domain/routing/catalog-inputs";
import { removeRoute } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Remove route": the model stops using that provider from the next request; past usage is unchanged. */
export const removeRouteAction = defineAction({ permission: "provider.manage", input: removeRouteSchema }, async (input, viewer) => {
  const route = await removeRoute(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  revalidatePath("/admin/providers");
  return { id: route.id, modelSlug: route.modelSlug, providerSlug: route.providerSlug };
});
