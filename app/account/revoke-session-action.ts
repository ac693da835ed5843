"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { revokeUserSession } from "@/lib/server/auth/sessions";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { ApiError } from "@/lib/server/http/errors";

/**
 * "Revoke" on one of the user's other sessions: that browser is signed out on its next request.
 * Only the user's own sessions (another user's reads as not found); this browser signs out with
 * "Sign out" instead, which also clears its cookie.
 */
export const revokeSessionAction = defineAction(
  { permission: "session.manage", input: z.object({ sessionId: z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.") }) },
  async (input, viewer) => {
    if (input.sessionId === viewer.sessionId) throw new ApiError(400, "current_session", "This is the session you are using: sign out instead.", "sessionId");
    const isRevoked = await revokeUserSession(db, { userId: viewer.userId, sessionId: input.sessionId, now: new Date() });
    if (!isRevoked) throw new ApiError(404, "session_not_found", "No such session: it may have ended already.", "sessionId");
    revalidatePath("/account");
    return { id: input.sessionId };
  },
);
