import { usageFiltersFromQuery } from "@/lib/domain/usage/explorer";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { csvStreamResponse } from "@/lib/server/http/csv-stream";
import { ApiError, errorResponse, zodIssueMessage } from "@/lib/server/http/errors";
import { iterateUsageEvents, USAGE_CSV_HEADERS, usageCsvRecord } from "@/lib/server/queries/startup-usage";

export const dynamic = "force-dynamic";

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
  return csvStreamResponse({
    filenameStem: "blockable-usage",
    headers: USAGE_CSV_HEADERS,
    batches: iterateUsageEvents(db, { orgId: viewer.orgId, filters: parsed.data }),
    toRecord: usageCsvRecord,
    label: "usage",
  });
});
