"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { setUserDisabled } from "@/lib/server/services/set-user-access";
import { setUserDisabledInput } from "./schemas";

/** "Disable" / "Enable": effective on the user's next request. */
export const setUserDisabledAction = defineAction({ permission: "user.manage", input: setUserDisabledInput }, async (input, viewer) => {
  const user = await setUserDisabled(db, { actorUserId: viewer.userId, userId: input.userId, isDisabled: input.isDisabled });
  revalidatePath("/admin/organizations", "layout");
  return { userId: user.id, email: user.email, isDisabled: user.isDisabled };
});
