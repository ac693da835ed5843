import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getLenderAlertSummary } from "@/lib/server/queries/lender-alerts";

export const dynamic = "force-dynamic";

// GET /api/lender/alerts/summary — the signed-in lender's open alerts by severity and its
// acknowledged count; the sidebar badge and the inbox poll it.
export const GET = authed({ permission: "portfolio.read" }, async (_request, { viewer }) => {
  const summary = await getLenderAlertSummary(db, viewer.orgId);
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
