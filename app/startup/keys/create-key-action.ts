"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createApiKey } from "@/lib/server/services/api-keys";
import { createKeyInput } from "./schemas";

/** "Create key": the plaintext is in this answer and nowhere else, ever (stored as its SHA-256). */
export const createKeyAction = defineAction({ permission: "apiKey.manage", input: createKeyInput }, async (input, viewer) => {
  const { apiKey, plaintext } = await createApiKey(db, {
    orgId: viewer.orgId,
    createdById: viewer.userId,
    name: input.name,
    spendCapMicros: input.spendCapUsd,
    rpmLimit: input.rpmLimit,
  });
  revalidatePath("/startup/keys");
  return { id: apiKey.id, name: apiKey.name, prefix: apiKey.prefix, plaintext };
});
