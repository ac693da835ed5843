import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { listNotifications } from "@/lib/server/notifications/notifications";

export const dynamic = "force-dynamic";

// GET /api/startup/notifications — the signed-in startup's latest notifications and its unread
// count; the bell in the startup shell polls it.
export const GET = authed({ permission: "credits.read" }, async (_request, { viewer }) => {
  const feed = await listNotifications(db, viewer.orgId);
  return Response.json(feed, { headers: { "cache-control": "no-store" } });
});
