import { escapeCsvField } from "@/components/ui/csv";
import { auditFiltersFromQuery } from "@/lib/domain/audit/filters";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { ApiError, errorResponse, zodIssueMessage } from "@/lib/server/http/errors";
import { AUDIT_CSV_HEADERS, auditCsvRecord, iterateAdminAuditEntries } from "@/lib/server/queries/audit";

export const dynamic = "force-dynamic";

const csvLine = (fields: readonly string[]) => `${fields.map(escapeCsvField).join(",")}\r\n`;

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
  const batches = iterateAdminAuditEntries(db, parsed.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The BOM makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(AUDIT_CSV_HEADERS)}`));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((entry) => csvLine(auditCsvRecord(entry))).join("")));
      } catch (error) {
        console.error("audit export failed", error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="blockable-audit-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
