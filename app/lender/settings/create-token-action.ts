"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createLenderApiToken } from "@/lib/server/lender-api/tokens";

/** "Create token": the plaintext is in this answer and nowhere else, ever (stored as its SHA-256). */
export const createLenderApiTokenAction = defineAction(
  { permission: "lenderToken.manage", input: z.object({ name: z.string().trim().min(1, "Give the token a name.").max(64, "Keep the name to 64 characters.") }) },
  async (input, viewer) => {
    const { token, plaintext } = await createLenderApiToken(db, { orgId: viewer.orgId, name: input.name, createdById: viewer.userId });
    revalidatePath("/lender/settings");
    return { id: token.id, name: token.name, prefix: token.prefix, plaintext };
  },
);
