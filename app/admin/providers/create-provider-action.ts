"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { createProviderSchema } from "@/lib/domain/routing/catalog-inputs";
import { createProvider } from "@/lib/server/catalog-admin/providers";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Create provider": the API key, if given, is sealed before it is stored and never comes back. */
export const createProviderAction = defineAction({ permission: "provider.manage", input: createProviderSchema }, async (input, viewer) => {
  const provider = await createProvider(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/providers");
  revalidatePath("/admin/models");
  return provider;
});
