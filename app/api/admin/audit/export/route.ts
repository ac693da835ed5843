import { auditFiltersFromQuery } from "@/lib/domain/audit/filters";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { csvStreamResponse } from "@/lib/server/http/csv-stream";
import { ApiError, errorResponse, zodIssueMessage } from "@/lib/server/http/errors";
import { AUDIT_CSV_HEADERS, auditCsvRecord, iterateAdminAuditEntries } from "@/lib/server/queries/audit";

export const dynamic = "force-dynamic";

/**
 * The audit log as CSV: every entry the page's filters select (all pages), newest first, streamed
 * a batch at a time so memory stays flat however long the log is.
 */
export const GET = authed({ permission: "audit.read" }, async (request) => {
  const parsed = auditFiltersFromQuery(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const { message, param } = zodIssueMessage(parsed.error);
    return errorResponse(new ApiError(400, "invalid_request", message, param));
  }
  return csvStreamResponse({
    filenameStem: "blockable-audit",
    headers: AUDIT_CSV_HEADERS,
    batches: iterateAdminAuditEntries(db, parsed.data),
    toRecord: auditCsvRecord,
    label: "audit",
  });
});
