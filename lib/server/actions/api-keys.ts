"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createApiKey, MAX_RPM_LIMIT, revokeApiKey } from "@/lib/server/services/api-keys";

const API_KEYS_PATH = "/startup/api-keys";

// A blank form field means "no cap"; anything else must be a dollar amount.
const spendCapUsd = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === "") return null;
    try {
      return parseUsdToMicros(value);
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
      return z.NEVER;
    }
  });

const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(64, "Keep the name to 64 characters."),
  spendCapUsd,
  rpmLimit: z.number().int().min(1).max(MAX_RPM_LIMIT).nullish(),
});

/** The plaintext is in this response and nowhere else, ever. */
export const createApiKeyAction = defineAction({ permission: "apiKey.manage", input: createApiKeyInput }, async (input, viewer) => {
  const { apiKey, plaintext } = await createApiKey(db, {
    orgId: viewer.orgId,
    createdById: viewer.userId,
    name: input.name,
    spendCapMicros: input.spendCapUsd,
    rpmLimit: input.rpmLimit ?? null,
  });
  revalidatePath(API_KEYS_PATH);
  return { id: apiKey.id, prefix: apiKey.prefix, plaintext };
});

export const revokeApiKeyAction = defineAction({ permission: "apiKey.manage", input: z.object({ apiKeyId: z.string().min(1).max(64) }) }, async (input, viewer) => {
  const apiKey = await revokeApiKey(db, { orgId: viewer.orgId, apiKeyId: input.apiKeyId, actorUserId: viewer.userId });
  revalidatePath(API_KEYS_PATH);
  return { id: apiKey.id, revokedAt: apiKey.revokedAt?.toISOString() ?? null };
});
