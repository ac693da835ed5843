import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { ALERT_INBOX_MAX_PAGE_SIZE, ALERT_INBOX_VIEWS, listLenderAlertInboxPage } from "@/lib/server/queries/lender-alerts";

export const dynamic = "force-dynamic";

const pageQuery = z.object({
  view: z.enum(ALERT_INBOX_VIEWS).default("open"),
  after: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(ALERT_INBOX_MAX_PAGE_SIZE).optional(),
});

// GET /api/lender/alerts?view=open|acknowledged|all&after=<alert id>&limit — one page of the
// signed-in lender's alerts inbox, most severe and newest first (session-authenticated; the lender
// API's token-authenticated list is /api/lender/v1/alerts).
export const GET = authed({ permission: "portfolio.read" }, async (request, { viewer }) => {
  const params = new URL(request.url).searchParams;
  const input = pageQuery.parse({ view: params.get("view") ?? undefined, after: params.get("after") ?? undefined, limit: params.get("limit") ?? undefined });
  const page = await listLenderAlertInboxPage(db, viewer.orgId, input);
  return Response.json(page, { headers: { "cache-control": "no-store" } });
});
