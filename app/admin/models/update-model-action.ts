"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { updateModelSchema } from "@/lib/domain/routing/catalog-inputs";
import { updateModel } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Save model": name, kind, context window, routing policy, enabled; the id clients send never changes. */
export const updateModelAction = defineAction({ permission: "provider.manage", input: updateModelSchema }, async (input, viewer) => {
  const model = await updateModel(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  return model;
});
