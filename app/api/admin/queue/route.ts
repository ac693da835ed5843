import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getAdminQueueSummary } from "@/lib/server/queries/admin-queue";

export const dynamic = "force-dynamic";

// GET /api/admin/queue — applications, repayment notices and credit purchases waiting on an admin;
// the sidebar badges poll it.
export const GET = authed({ permission: "application.decide" }, async () => {
  const summary = await getAdminQueueSummary(db);
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
