"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { updateProviderSchema } from "@/lib/domain/routing/catalog-inputs";
import { updateProvider } from "@/lib/server/catalog-admin/providers";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Save provider": every field but the slug; the key is kept, replaced or cleared, never shown. */
export const updateProviderAction = defineAction({ permission: "provider.manage", input: updateProviderSchema }, async (input, viewer) => {
  const provider = await updateProvider(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/providers");
  revalidatePath("/admin/models");
  return provider;
});
