import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { serializeBalances } from "@/lib/server/queries/serialize";

export const GET = authed({ permission: "credits.read" }, async (_request, { viewer }) => {
  const balances = await getCreditBalances(db, viewer.orgId);
  return Response.json(serializeBalances(balances), { headers: { "cache-control": "no-store" } });
});
