"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { revokeLenderApiToken } from "@/lib/server/lender-api/tokens";

/** "Revoke": the token's next API call is a 401. Revoking twice is a no-op; another lender's token is not found. */
export const revokeLenderApiTokenAction = defineAction({ permission: "lenderToken.manage", input: z.object({ tokenId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) }, async (input, viewer) => {
  const token = await revokeLenderApiToken(db, { orgId: viewer.orgId, tokenId: input.tokenId, actorUserId: viewer.userId });
  revalidatePath("/lender/settings");
  return { id: token.id, name: token.name, revokedAt: token.revokedAt?.toISOString() ?? null };
});
