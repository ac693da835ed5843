"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { changeRoutePriceSchema } from "@/lib/domain/routing/catalog-inputs";
import { changeRoutePrice } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Change price": billed from the next request on every instance; recorded usage keeps its cost. */
export const changeRoutePriceAction = defineAction({ permission: "provider.manage", input: changeRoutePriceSchema }, async (input, viewer) => {
  const route = await changeRoutePrice(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  return {
    id: route.id,
    modelSlug: route.modelSlug,
    providerSlug: route.providerSlug,
    inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens.toString(),
    outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens.toString(),
  };
});
