"use server";
import "@/lib/server/server-only";
import { homePathForRole } from "@/lib/domain/auth/permissions";
import { AuthError, getViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import type { ActionResult } from "@/lib/server/http/action";
import { toApiError } from "@/lib/server/http/errors";
import { changeOwnPassword } from "@/lib/server/services/users";
import { changePasswordInput } from "./schema";

/**
 * "Change password" for whoever is signed in, including a user who must replace a temporary
 * password (the one action such a user may call, so it does not go through defineAction, whose
 * guard refuses them). This browser stays signed in; every other session of the user ends.
 * Answers with the role's home to go to next.
 */
export async function changePasswordAction(raw: unknown): Promise<ActionResult<{ homePath: string }>> {
  try {
    const viewer = await getViewer();
    if (!viewer) throw new AuthError(401, "Sign in to continue.");
    const input = changePasswordInput.parse(raw);
    await changeOwnPassword(db, { userId: viewer.userId, currentPassword: input.currentPassword, newPassword: input.newPassword, keepSessionId: viewer.sessionId });
    return { ok: true, data: { homePath: homePathForRole(viewer.role) } };
  } catch (error) {
    const apiError = toApiError(error);
    return { ok: false, error: { message: apiError.message, code: apiError.code, field: apiError.param } };
  }
}
