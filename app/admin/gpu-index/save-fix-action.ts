"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { saveIndexFix } from "@/lib/server/valuation/index-fixes";
import { saveFixInput } from "./inputs";
import { afterIndexWrite } from "./revalidate";

// "Save fix": an admin enters (or corrects) one day's fix. The service validates it, writes it and
// enqueues the coverage recompute in one transaction; the screen then polls the job.
export const saveGpuIndexFixAction = defineAction({ permission: "gpuIndex.manage", input: saveFixInput }, async (input, viewer) => {
  const result = await saveIndexFix(db, { fix: { day: input.day, priceMicrosPerGpuHour: input.priceUsd }, actorUserId: viewer.userId, actorOrgId: viewer.orgId, now: new Date() });
  afterIndexWrite(result.jobId);
  return { day: input.day, priceMicros: input.priceUsd.toString(), inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, jobId: result.jobId };
});
