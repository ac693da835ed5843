"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { defineAction } from "@/lib/server/http/action";
import { importIndexCsv, saveIndexFix, type IndexWriteResult } from "@/lib/server/valuation/index-fixes";

// The GPU price index from the admin's screens: enter (or correct) one day's fix, or import a CSV.
// defineAction checks the session and gpuIndex.manage first; the service validates every row
// (all or nothing) and recomputes every open loan's coverage after a change.

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the day as YYYY-MM-DD.");
const priceUsd = z
  .string()
  .trim()
  .min(1, "Enter the price in USD per GPU-hour, e.g. 2.15.")
  .transform((text, context) => {
    try {
      return parseUsdToMicros(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: error instanceof MoneyParseError ? error.message : "Enter a price in USD, e.g. 2.15." });
      return z.NEVER;
    }
  });
const saveInput = z.object({ day, priceUsd });
const importInput = z.object({ csv: z.string().min(1, "Choose a CSV file.").max(2_000_000, "The file is over 2 MB; split it.") });

function summarise(result: IndexWriteResult) {
  return {
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    fromDay: result.fromDay,
    toDay: result.toDay,
    recomputedLoans: result.recompute?.recorded ?? 0,
    failedLoans: result.recompute?.failed.length ?? 0,
  };
}

function revalidateIndex() {
  revalidatePath("/admin", "layout");
  revalidatePath("/lender", "layout");
}

export const saveGpuIndexFix = defineAction({ permission: "gpuIndex.manage", input: saveInput }, async (input, viewer) => {
  const result = await saveIndexFix(db, { fix: { day: input.day, priceMicrosPerGpuHour: input.priceUsd }, actorUserId: viewer.userId, actorOrgId: viewer.orgId, now: new Date() });
  revalidateIndex();
  return summarise(result);
});

export const importGpuIndexCsv = defineAction({ permission: "gpuIndex.manage", input: importInput }, async (input, viewer) => {
  const result = await importIndexCsv(db, { csv: input.csv, actorUserId: viewer.userId, actorOrgId: viewer.orgId, now: new Date() });
  if (result.inserted + result.updated + result.unchanged === 0) throw new ApiError(422, "invalid_index_fixes", "The file has no rows.");
  revalidateIndex();
  return summarise(result);
});
