import Link from "next/link";
import { BurnChart } from "@/components/charts/burn-chart";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { StatCard } from "@/components/dashboard/stat-card";
import { Bps, Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApplicationPageDto } from "@/lib/server/queries/admin-applications";
import { dayText, usd } from "./format";

/** The borrower as the admin decides on it: 90-day burn, balances, and its other loans. Render only. */
export function ApplicationOverview({ page }: { page: ApplicationPageDto }) {
  const { balances, burn, loans, application } = page;
  return (
    <>
      <section aria-labelledby="balances-title" className="space-y-3">
        <h2 id="balances-title" className="text-lg font-semibold">
          {application.startupName}&apos;s credits now
        </h2>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          <StatCard label="Spendable" value={<Money micros={balances.spendableMicros} />} howComputed="The spendable ledger balance: credits the routing API may spend now (USD of credits at par)." />
          <StatCard label="Held" value={<Money micros={balances.heldMicros} />} howComputed="Reserved for requests in flight; released or spent when they settle." />
          <StatCard label="Frozen" value={<Money micros={balances.frozenMicros} />} howComputed="Frozen by a lender: counted as collateral, never spendable." />
          <StatCard label="Pledged" value={<Money micros={balances.pledgedMicros} />} howComputed="Unspent credits in PLEDGED lots of the startup's loans." />
          <StatCard
            label="Own, pledgeable"
            value={<Money micros={balances.ownPledgeableMicros} />}
            hint={`Applied to pledge ${usd(application.pledgedMicros)}.`}
            howComputed="Unfrozen PURCHASED credits (the startup's own money), never more than is spendable: what it could pledge at approval."
          />
          <StatCard label="7-day burn" value={<Money micros={burn.sevenDayBurnMicros} />} hint="per day" howComputed="The average daily spend over the last 7 complete UTC days, from the usage rollups, rounded up." />
        </div>
      </section>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Burn, last 90 days</h2>
          </CardTitle>
          <CardDescription>Daily spend on the routing API (USD, from the daily usage rollups) and its trailing 7-day average.</CardDescription>
        </CardHeader>
        <CardContent>
          <BurnChart points={burn.points} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Other loans and applications</h2>
          </CardTitle>
          <CardDescription>{application.startupName}&apos;s financing history, newest first. A startup has at most one open loan.</CardDescription>
        </CardHeader>
        <CardContent>
          {loans.length === 0 ? (
            <EmptyState title="No other financing">This is {application.startupName}&apos;s first application.</EmptyState>
          ) : (
            <Table scrollLabel="Other loans of this startup">
              <TableHeader>
                <TableRow>
                  <TableHead>Reference</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>Lender</TableHead>
                  <TableHead className="text-right">Principal</TableHead>
                  <TableHead className="text-right">Outstanding</TableHead>
                  <TableHead className="text-right">Coverage</TableHead>
                  <TableHead>Active from</TableHead>
                  <TableHead>Closed</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {loans.map((loan) => (
                  <TableRow key={loan.id}>
                    <TableCell>{loan.state === "SUBMITTED" ? <Link className="text-primary underline underline-offset-4" href={`/admin/applications/${loan.id}`}>{loan.reference}</Link> : loan.reference}</TableCell>
                    <TableCell>
                      <LoanStateBadge state={loan.state} />
                    </TableCell>
                    <TableCell>{loan.lenderName ?? "—"}</TableCell>
                    <TableCell className="text-right">
                      <Money micros={loan.principalMicros} decimals={0} />
                    </TableCell>
                    <TableCell className="text-right">
                      <Money micros={loan.principalOutstandingMicros} decimals={0} />
                    </TableCell>
                    <TableCell className="text-right">{loan.lastCoverageBps === null ? "—" : <Bps bps={loan.lastCoverageBps} />}</TableCell>
                    <TableCell className="num">{loan.activatedAt ? dayText(loan.activatedAt) : "—"}</TableCell>
                    <TableCell className="num">{loan.closedAt ? dayText(loan.closedAt) : "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
