import { escapeCsvField } from "@/components/ui/csv";
import { usageFiltersFromQuery } from "@/lib/domain/usage/explorer";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { ApiError, errorResponse, zodIssueMessage } from "@/lib/server/http/errors";
import { iterateUsageEvents, USAGE_CSV_HEADERS, usageCsvRecord } from "@/lib/server/queries/startup-usage";

export const dynamic = "force-dynamic";

const csvLine = (fields: readonly string[]) => `${fields.map(escapeCsvField).join(",")}\r\n`;

/**
 * The caller's usage events as CSV: every row the explorer's filters select (all pages), in its
 * sort, streamed a keyset batch at a time as the client reads, so memory stays flat at millions of
 * rows. Always the caller's own organisation.
 */
export const GET = authed({ permission: "usage.read" }, async (request, { viewer }) => {
  const parsed = usageFiltersFromQuery(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const { message, param } = zodIssueMessage(parsed.error);
    return errorResponse(new ApiError(400, "invalid_request", message, param));
  }
  const batches = iterateUsageEvents(db, { orgId: viewer.orgId, filters: parsed.data });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The BOM makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(USAGE_CSV_HEADERS)}`));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((row) => csvLine(usageCsvRecord(row))).join("")));
      } catch (error) {
        console.error("usage export failed", error);
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
      "content-disposition": `attachment; filename="blockable-usage-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
