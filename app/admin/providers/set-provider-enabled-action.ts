"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { setProviderEnabledSchema } from "@/lib/domain/routing/catalog-inputs";
import { setProviderEnabled } from "@/lib/server/catalog-admin/providers";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Disable" / "Enable": from the next request on every instance, routes through it are skipped (or used again). */
export const setProviderEnabledAction = defineAction({ permission: "provider.manage", input: setProviderEnabledSchema }, async (input, viewer) => {
  const provider = await setProviderEnabled(db, input, { actorUserId: viewer.userId });
  revalidatePath("/admin/providers");
  revalidatePath("/admin/models");
  return provider;
});
