"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createLenderApiToken, revokeLenderApiToken } from "@/lib/server/lender-api/tokens";

// Lender API tokens. defineAction checks the session and `lenderToken.manage` (lenders only);
// the services scope by the viewer's organisation and audit in the same transaction.

const TOKENS_PATH = "/lender/api-tokens";

/** The plaintext is in this response and nowhere else, ever. */
export const createLenderApiTokenAction = defineAction(
  { permission: "lenderToken.manage", input: z.object({ name: z.string().trim().min(1, "Give the token a name.").max(64, "Keep the name to 64 characters.") }) },
  async (input, viewer) => {
    const { token, plaintext } = await createLenderApiToken(db, { orgId: viewer.orgId, name: input.name, createdById: viewer.userId });
    revalidatePath(TOKENS_PATH);
    return { id: token.id, prefix: token.prefix, plaintext };
  },
);

export const revokeLenderApiTokenAction = defineAction({ permission: "lenderToken.manage", input: z.object({ tokenId: z.string().min(1).max(64) }) }, async (input, viewer) => {
  const token = await revokeLenderApiToken(db, { orgId: viewer.orgId, tokenId: input.tokenId, actorUserId: viewer.userId });
  revalidatePath(TOKENS_PATH);
  return { id: token.id, revokedAt: token.revokedAt?.toISOString() ?? null };
});
