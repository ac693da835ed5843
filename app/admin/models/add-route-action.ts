"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { addRouteSchema } from "@/lib/domain/routing/catalog-inputs";
import { addRoute } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Add route": a provider, its upstream model name, a priority and prices in USD per million tokens. */
export const addRouteAction = defineAction({ permission: "provider.manage", input: addRouteSchema }, async (input, viewer) => {
  const route = await addRoute(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  revalidatePath("/admin/providers");
  return { id: route.id, modelSlug: route.modelSlug, providerSlug: route.providerSlug };
});
