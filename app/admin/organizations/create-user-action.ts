"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { createUser } from "@/lib/server/services/users";
import { createUserInput } from "./schemas";

/** "Create user": the role follows the organisation's kind; the temporary password is in this answer only. */
export const createUserAction = defineAction({ permission: "user.manage", input: createUserInput }, async (input, viewer) => {
  const { user, temporaryPassword } = await createUser(db, { actorUserId: viewer.userId, orgId: input.orgId, name: input.name, email: input.email });
  revalidatePath("/admin/organizations", "layout");
  return { id: user.id, email: user.email, role: user.role, temporaryPassword };
});
