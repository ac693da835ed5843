"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { importIndexCsv } from "@/lib/server/valuation/index-fixes";
import { csvInput } from "./inputs";
import { afterIndexWrite } from "./revalidate";

// "Import": the previewed file, checked again and written all or nothing in one transaction with
// the recompute job; a file with any bad line is refused whole (invalid_index_fixes, by line).
export const importGpuIndexCsvAction = defineAction({ permission: "gpuIndex.manage", input: csvInput }, async (input, viewer) => {
  const result = await importIndexCsv(db, { csv: input.csv, actorUserId: viewer.userId, actorOrgId: viewer.orgId, now: new Date() });
  afterIndexWrite(result.jobId);
  return { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, fromDay: result.fromDay, toDay: result.toDay, jobId: result.jobId };
});
