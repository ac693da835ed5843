"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { revokeApiKey } from "@/lib/server/services/api-keys";
import { revokeKeyInput } from "./schemas";

/** "Revoke": the key's next request is a 401. Revoking twice is a no-op; another organisation's key is not found. */
export const revokeKeyAction = defineAction({ permission: "apiKey.manage", input: revokeKeyInput }, async (input, viewer) => {
  const apiKey = await revokeApiKey(db, { orgId: viewer.orgId, apiKeyId: input.apiKeyId, actorUserId: viewer.userId });
  revalidatePath("/startup/keys");
  return { id: apiKey.id, name: apiKey.name, revokedAt: apiKey.revokedAt?.toISOString() ?? null };
});
