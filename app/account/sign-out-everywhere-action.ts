"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { signOutEverywhere } from "@/lib/server/auth/sessions";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/**
 * "Sign out everywhere": every session of the signed-in user ends on its next request, this one
 * included (the page then signs this browser out, which clears its cookie). Audited.
 */
export const signOutEverywhereAction = defineAction({ permission: "session.manage", input: z.object({}).strict() }, async (_input, viewer) => {
  return signOutEverywhere(db, { userId: viewer.userId, now: new Date() });
});
