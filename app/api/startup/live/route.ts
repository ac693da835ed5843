import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getStartupLive } from "@/lib/server/queries/startup-overview";

export const dynamic = "force-dynamic";

// GET /api/startup/live — the signed-in startup's balances, burn, runway and loan state (with what
// cures an open margin call, and a freeze's reason); the overview polls it every few seconds.
export const GET = authed({ permission: "credits.read" }, async (_request, { viewer }) => {
  const live = await getStartupLive(db, viewer.orgId, new Date());
  return Response.json(live, { headers: { "cache-control": "no-store" } });
});
