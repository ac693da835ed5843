"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { previewIndexCsv } from "@/lib/server/valuation/index-fixes";
import { csvInput } from "./inputs";

// The CSV import's preview: parsed and compared with the stored fixes, nothing written. Every
// problem comes back with its line; the screen enables "Import" only when there is none.

/** Rows sent back for the preview table (the counts always cover the whole file). */
const MAX_PREVIEW_ROWS = 2_000;
const MAX_PREVIEW_ISSUES = 500;

export const previewGpuIndexCsvAction = defineAction({ permission: "gpuIndex.manage", input: csvInput }, async (input) => {
  const preview = await previewIndexCsv(db, { csv: input.csv, now: new Date() });
  return {
    counts: preview.counts,
    rowCount: preview.rows.length,
    rows: preview.rows.slice(0, MAX_PREVIEW_ROWS).map((row) => ({ line: row.line, day: row.day, priceMicros: row.priceMicros.toString(), beforeMicros: row.beforeMicros?.toString() ?? null, change: row.change })),
    issueCount: preview.issues.length,
    issues: preview.issues.slice(0, MAX_PREVIEW_ISSUES).map((issue) => ({ line: issue.line ?? null, label: issue.label, message: issue.message })),
    fromDay: preview.fromDay,
    toDay: preview.toDay,
  };
});
