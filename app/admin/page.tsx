import type { Metadata } from "next";
import Link from "next/link";
import { CoverageDistributionCard } from "@/components/lender/portfolio/coverage-distribution-card";
import { StatCard } from "@/components/dashboard/stat-card";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatBps, formatMicros } from "@/lib/domain/money";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getAdminHome } from "@/lib/server/queries/admin-home";

export const metadata: Metadata = { title: "Admin" };

const count = (n: number) => n.toLocaleString("en-US");

/** One queue that waits on an admin: how many, and the way to it. */
function QueueCard({ title, waiting, noun, href, action, description }: { title: string; waiting: number; noun: string; href: string; action: string; description: string }) {
  return (
    <Card data-testid={`queue-${href.split("/").pop()}`}>
      <CardHeader className="pb-2">
        <CardDescription>{title}</CardDescription>
        <CardTitle className="num text-2xl">
          {count(waiting)} <span className="text-sm font-normal text-muted-foreground">{noun}</span>
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-wrap items-center justify-between gap-2 pt-0 text-xs text-muted-foreground">
        <span>{description}</span>
        <Button asChild size="sm" variant={waiting > 0 ? "default" : "outline"}>
          <Link href={href}>{action}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}

export default async function AdminOverviewPage() {
  await requirePageViewer("org.manage");
  const home = await getAdminHome(db);
  const { queue, book, platform } = home;
  const watch = book.loansByWatchStatus;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Platform</h1>
        <p className="text-sm text-muted-foreground">What waits on an admin, then every lender&apos;s book at today&apos;s mark.</p>
      </div>

      <section aria-labelledby="queues-title" className="space-y-3">
        <h2 id="queues-title" className="text-lg font-semibold tracking-tight">Waiting on you</h2>
        <div className="grid gap-4 md:grid-cols-3">
          <QueueCard title="Financing applications" waiting={queue.pendingApplications} noun="waiting" href="/admin/applications" action="Review applications" description="Approve with terms or reject with a reason." />
          <QueueCard title="Repayment notices" waiting={queue.pendingPaymentNotices} noun="to confirm" href="/admin/payments" action="Review payments" description="Confirm receipt before any debt falls." />
          <QueueCard title="Credit purchases" waiting={queue.pendingPurchases} noun="to confirm" href="/admin/payments#purchases" action="Review purchases" description="Credits are issued once payment is confirmed." />
        </div>
      </section>

      <section aria-labelledby="book-title" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <h2 id="book-title" className="text-lg font-semibold tracking-tight">The book</h2>
          <Link className="text-sm text-primary underline underline-offset-4" href="/admin/loans">
            All loans
          </Link>
        </div>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <StatCard label="Open loans" value={count(book.openLoans)} hint={`${count(book.lenders)} ${book.lenders === 1 ? "lender" : "lenders"}`} testId="open-loans" />
          <StatCard label="Debt outstanding (USD)" value={formatMicros(BigInt(book.totalDebtMicros))} howComputed="Σ over open loans of principal outstanding plus interest accrued to now." />
          <StatCard
            label="Debt-weighted coverage"
            value={book.debtWeightedCoverageBps === null ? "—" : formatBps(book.debtWeightedCoverageBps, 1)}
            howComputed="Σ(coverage × debt) ÷ Σ debt over open loans with debt; each loan's coverage is collateral × today's mark ÷ debt."
          />
          <StatCard
            label="Uncovered at the mark (USD)"
            value={formatMicros(BigInt(book.uncoveredDebtMicros))}
            howComputed="Σ max(0, debt − collateral × mark): what selling every loan's collateral at today's mark would not repay."
          />
        </div>
        <p className="text-sm text-muted-foreground">
          In early warning {count(watch.EARLY_WARNING)} · margin call {count(watch.MARGIN_CALL)} · frozen {count(watch.FROZEN)} · delinquent {count(watch.DELINQUENT)}
        </p>
        <CoverageDistributionCard distribution={home.distribution} />
      </section>

      <section aria-labelledby="platform-title" className="space-y-3">
        <h2 id="platform-title" className="text-lg font-semibold tracking-tight">The platform</h2>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <StatCard label="Startups" value={count(platform.startups)} />
          <StatCard label="Lenders" value={count(platform.lenders)} />
          <StatCard label="Users" value={count(platform.users)} hint={platform.disabledUsers ? `${count(platform.disabledUsers)} disabled` : undefined} />
          <StatCard
            label="API spend, last 30 days (USD)"
            value={formatMicros(BigInt(platform.spend30dMicros))}
            hint={`${count(platform.requests30d)} requests`}
            howComputed="From the daily usage rollup: every startup's metered spend on the routing API over the last 30 UTC days."
          />
        </div>
      </section>
    </div>
  );
}
