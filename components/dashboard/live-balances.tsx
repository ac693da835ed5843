"use client";

import type { ReactNode } from "react";
import { Money } from "@/components/money";
import { StatCard } from "@/components/dashboard/stat-card";
import type { LiveOverviewDto } from "@/lib/server/queries/startup-overview";

/** A money figure whose exact µUSD is on the element too (data-micros), for checks that compare to the API. */
function Exact({ micros }: { micros: string }) {
  return <Money micros={micros} data-micros={micros} />;
}

/** A daily rate: the exact figure, then "/ day". */
function PerDay({ micros }: { micros: string }) {
  return (
    <>
      <Exact micros={micros} /> <span className="text-sm font-normal text-muted-foreground">/ day</span>
    </>
  );
}

/** A titled group of figures, named by its heading. */
function FigureGroup({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold tracking-tight">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The startup's headline figures: what it holds (balances) and how fast it spends (burn, runway).
 * Plain props: the overview polls /api/startup/live and passes each answer down.
 */
export function LiveBalances({ data }: { data: LiveOverviewDto }) {
  const b = data.balances;
  return (
    <div className="space-y-4">
      <FigureGroup id="balances-heading" title="Balances">
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-5">
          <StatCard testId="balance-spendable" label="Spendable" value={<Exact micros={b.spendableMicros} />} hint="USD of credits the routing API can spend now" howComputed="The balance of your spendable ledger account: every credit in, less what requests spent, what is held for requests in flight and what is frozen." />
          <StatCard testId="balance-held" label="Held" value={<Exact micros={b.heldMicros} />} hint="Reserved by requests in flight" howComputed="Each request reserves its worst-case cost before it runs; the unused part returns to spendable when it settles." />
          <StatCard testId="balance-frozen" label="Frozen" value={<Exact micros={b.frozenMicros} />} hint="Blocked by your lender" howComputed="Collateral your lender (or auto-freeze) froze: it still counts as collateral but no request can spend it." />
          <StatCard
            testId="balance-collateral"
            label="Collateral"
            value={<Exact micros={data.collateralMicros} />}
            hint={
              <>
                Pledged <Money micros={b.pledgedMicros} /> + financed <Money micros={b.financedMicros} />
              </>
            }
            howComputed="The unspent credits of your loan's FINANCED lot (issued by the lender) and PLEDGED lot (your own, pledged), frozen ones included. Usage spends financed credits first."
          />
          <StatCard testId="balance-own" label="Own credits" value={<Exact micros={data.ownCreditsMicros} />} hint="Yours outside any loan, spendable now" howComputed="Unfrozen credits you bought (PURCHASED lots), capped at what is spendable: what you can pledge to your loan right now." />
        </div>
      </FigureGroup>
      <FigureGroup id="burn-rate-heading" title="Burn and runway">
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <StatCard testId="burn-today" label="Burn today" value={<Exact micros={data.burnTodayMicros} />} hint={`USD spent so far on ${data.today} (UTC)`} howComputed="The cost of today's settled requests, from the daily usage rollups. Updates as requests settle." />
          <StatCard testId="burn-avg-7" label="7-day average" value={<PerDay micros={data.burnAvg7Micros} />} howComputed="Spend over the 7 complete UTC days before today, divided by 7 and rounded up to the µUSD. Days without usage count as 0." />
          <StatCard testId="burn-avg-30" label="30-day average" value={<PerDay micros={data.burnAvg30Micros} />} howComputed="Spend over the 30 complete UTC days before today, divided by 30 and rounded up to the µUSD." />
          <StatCard
            testId="runway"
            label="Runway"
            value={data.runwayDays === null ? "No burn" : `${data.runwayDays.toLocaleString("en-US")} ${data.runwayDays === 1 ? "day" : "days"}`}
            hint={data.runsOutOn ? `Spendable credits run out around ${data.runsOutOn} at the 7-day average` : "Nothing spent in the last 7 days"}
            howComputed="Spendable credits ÷ the 7-day average burn, rounded down to whole days. Held and frozen credits are not counted."
          />
        </div>
      </FigureGroup>
    </div>
  );
}
