"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { resetUserPassword } from "@/lib/server/services/users";
import { userIdInput } from "./schemas";

/** "Reset password": a new temporary password (in this answer only); the user's sessions end. */
export const resetUserPasswordAction = defineAction({ permission: "user.manage", input: userIdInput }, async (input, viewer) => {
  const { user, temporaryPassword } = await resetUserPassword(db, { actorUserId: viewer.userId, userId: input.userId });
  revalidatePath("/admin/organizations", "layout");
  return { userId: user.id, email: user.email, temporaryPassword };
});
