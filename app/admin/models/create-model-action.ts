"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { createModelSchema } from "@/lib/domain/routing/catalog-inputs";
import { createModel } from "@/lib/server/catalog-admin/models";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Create model": clients can call it once it has an enabled route. */
export const createModelAction = defineAction({ permission: "provider.manage", input: createModelSchema }, async (input, viewer) => {
  const model = await createModel(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/models");
  return model;
});
