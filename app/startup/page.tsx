import type { Metadata } from "next";
import Link from "next/link";
import { LiveBalances } from "@/components/dashboard/live-balances";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { StatCard } from "@/components/dashboard/stat-card";
import { UsageChart } from "@/components/charts/usage-chart";
import { Bps, Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getStartupOverview } from "@/lib/server/queries/startup";
import { serializeBalances } from "@/lib/server/queries/serialize";

export const metadata: Metadata = { title: "Overview" };

export default async function StartupOverviewPage() {
  const viewer = await requirePageViewer("credits.read");
  const overview = await getStartupOverview(db, viewer.orgId, new Date());
  const loan = overview.loan;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{viewer.orgName}</h1>
        <p className="text-sm text-muted-foreground">Credits, burn and financing at a glance. Balances refresh every few seconds.</p>
      </div>
      <LiveBalances initial={serializeBalances(overview.balances)} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Spend, last 30 days</CardTitle>
            <CardDescription>Daily cost of routed requests, from the usage rollups.</CardDescription>
          </CardHeader>
          <CardContent>
            <UsageChart series={overview.series.map((point) => ({ day: point.day, costUsd: Number(point.costMicros) / 1e6, requests: point.requests }))} />
          </CardContent>
        </Card>
        <div className="grid gap-4">
          <StatCard label="Burn rate (7-day average)" value={<><Money micros={overview.burnPerDayMicros.toString()} /> / day</>} />
          <StatCard label="Runway at this burn" value={overview.runwayDays === null ? "—" : `${overview.runwayDays} days`} hint="Spendable credits ÷ 7-day average burn" />
        </div>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Financing</CardTitle>
          <CardDescription>{loan ? `${loan.reference}${loan.lender ? ` with ${loan.lender.name}` : ""}` : "No open financing arrangement."}</CardDescription>
        </CardHeader>
        {loan ? (
          <CardContent className="flex flex-wrap items-center gap-6 text-sm">
            <LoanStateBadge state={loan.state} />
            <span>
              Principal <Money micros={loan.principalMicros.toString()} />
            </span>
            <span>
              Coverage <Bps bps={loan.coverage[0]?.coverageBps ?? null} />
            </span>
            <Link className="text-primary underline underline-offset-4" href={`/startup/financing/${loan.id}`}>
              Details
            </Link>
          </CardContent>
        ) : null}
      </Card>
    </div>
  );
}
