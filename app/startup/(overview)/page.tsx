import type { Metadata } from "next";
import { BurnSection } from "@/components/startup/overview/burn-section";
import { OverviewLive } from "@/components/startup/overview/overview-live";
import { SpendTables } from "@/components/startup/overview/spend-tables";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getStartupBurn, getStartupLive } from "@/lib/server/queries/startup-overview";

export const metadata: Metadata = { title: "Overview" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

// The startup's home: the live figures (balances, burn, runway, the loan and any margin call or
// freeze) come with the HTML and then poll /api/startup/live; the burn chart and spend tables are
// for the range in the URL (?range=7d|30d|90d, or ?start=…&end=…), read from the daily rollups.
export default async function StartupOverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requirePageViewer("credits.read");
  const params = await searchParams;
  const now = new Date();
  const [live, burn] = await Promise.all([
    getStartupLive(db, viewer.orgId, now),
    getStartupBurn(db, viewer.orgId, now, { range: first(params.range), start: first(params.start), end: first(params.end) }),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{viewer.orgName}</h1>
        <p className="text-sm text-muted-foreground">Credits, burn and financing at a glance. Balances, burn and the loan&apos;s state refresh every few seconds. Amounts in USD.</p>
      </div>
      <OverviewLive initial={live} />
      <BurnSection burn={burn} />
      <SpendTables burn={burn} />
    </div>
  );
}
