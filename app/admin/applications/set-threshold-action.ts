"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { setFourEyesThreshold } from "@/lib/server/settings/platform-settings";

/** Dollars as typed ("250,000", "$1,000,000.00"), parsed exactly to µUSD. */
const thresholdUsdInput = z.string({ error: "enter an amount in dollars." }).transform((text, context) => {
  try {
    return parseUsdToMicros(text);
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    context.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});

/** "Second approval above $X": an admin sets the four-eyes threshold (audited with before and after). */
export const setFourEyesThresholdAction = defineAction({ permission: "application.decide", input: z.object({ thresholdUsd: thresholdUsdInput }) }, async (input, viewer) => {
  const setting = await setFourEyesThreshold(db, { actor: { userId: viewer.userId, orgId: viewer.orgId, role: viewer.role }, thresholdMicros: input.thresholdUsd });
  revalidatePath("/admin/applications", "layout");
  return { thresholdMicros: setting.thresholdMicros.toString(), changed: setting.changed };
});
