"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { setUserDisabled } from "@/lib/server/services/set-user-access";

export const setUserDisabledAction = defineAction(
  { permission: "user.manage", input: z.object({ userId: z.string().min(1).max(64), isDisabled: z.boolean() }) },
  async (input, viewer) => {
    const user = await setUserDisabled(db, { actorUserId: viewer.userId, userId: input.userId, isDisabled: input.isDisabled });
    revalidatePath("/admin/organizations");
    return { userId: user.id, isDisabled: user.isDisabled };
  },
);
