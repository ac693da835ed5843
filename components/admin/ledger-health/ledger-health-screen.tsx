"use client";

import { useState, useTransition } from "react";
import { Loader2, Play } from "lucide-react";
import { toast } from "sonner";
import type { runLedgerChecksAction } from "@/app/admin/ledger-health/run-checks-action";
import { StatCard } from "@/components/dashboard/stat-card";
import { RelativeTime, useNow } from "@/components/lender/alerts/relative-time";
import { formatExactUtc } from "@/components/lender/alerts/alert-labels";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/states";
import type { LedgerHealthSummary } from "@/lib/server/ledger/health";
import type { LedgerHealthRunDto } from "@/lib/server/ledger/health-schedule";
import { LedgerChecks, OutcomeBadge, outcomeText } from "./ledger-checks";

type RunChecks = typeof runLedgerChecksAction;

const count = (value: number) => value.toLocaleString("en-US");
const TITLE_CLASS = "leading-none font-semibold tracking-tight";

export function LedgerHealthScreen({ lastRun, runChecks, intervalMinutes }: { lastRun: LedgerHealthRunDto | null; runChecks: RunChecks; intervalMinutes: number }) {
  const [summary, setSummary] = useState<LedgerHealthSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isRunning, startRunning] = useTransition();
  const now = useNow();

  function run() {
    setError(null);
    startRunning(async () => {
      try {
        const result = await runChecks({});
        if (!result.ok) {
          setError(result.error.message);
          toast.error(result.error.message);
          return;
        }
        setSummary(result.data);
        if (result.data.isHealthy) toast.success(`${outcomeText(result.data)}.`);
        else toast.error(`${outcomeText(result.data)}: see the checks below.`);
      } catch {
        const message = "The server could not be reached; the checks did not run. Try again.";
        setError(message);
        toast.error(message);
      }
    });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Ledger health</h1>
          <p className="text-sm text-muted-foreground">
            DESIGN.md&apos;s ledger invariants, checked over one consistent snapshot of every account, transfer and credit lot. Nothing is changed by a check.
          </p>
        </div>
        <Button type="button" onClick={run} disabled={isRunning} aria-busy={isRunning} className="shrink-0">
          {isRunning ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Play aria-hidden="true" />}
          {isRunning ? "Running checks…" : "Run checks"}
        </Button>
      </div>

      <section aria-labelledby="checks-now" className="space-y-4">
        <Card>
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <h2 id="checks-now" className={TITLE_CLASS}>
                Checks now
              </h2>
              {summary && !isRunning ? <OutcomeBadge summary={summary} testId="ledger-health-status" /> : null}
            </div>
            <CardDescription aria-live="polite">
              {isRunning
                ? "Running the checks over the whole ledger…"
                : summary
                  ? `Checked at ${formatExactUtc(new Date(summary.checkedAt))} in ${count(summary.durationMs)} ms.`
                  : "Run the checks to see the ledger as it is at this moment."}
            </CardDescription>
          </CardHeader>
          <CardContent>
            {error && !isRunning ? (
              <ErrorState title="The checks did not run" message={error} onRetry={run} />
            ) : summary ? (
              <div className={isRunning ? "opacity-60" : undefined}>
                <LedgerChecks summary={summary} caption="The checks run now" />
              </div>
            ) : isRunning ? (
              <p className="flex items-center gap-2 text-sm text-muted-foreground">
                <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Reading the ledger…
              </p>
            ) : (
              <EmptyState title="No checks run yet on this page">Press “Run checks”. A full check reads every account, transfer and lot once.</EmptyState>
            )}
          </CardContent>
        </Card>
        {summary ? <Figures summary={summary} /> : null}
      </section>

      <section aria-labelledby="last-scheduled-run">
        <Card>
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <h2 id="last-scheduled-run" className={TITLE_CLASS}>
                Last scheduled run
              </h2>
              <RunStatusBadge run={lastRun} />
            </div>
            <CardDescription>
              {lastRun ? (
                <>
                  {lastRun.status === "RUNNING" ? "Started" : "Ran"} {lastRun.startedAt ? <RelativeTime iso={lastRun.startedAt} now={now} /> : "at an unknown time"}
                  {lastRun.startedAt ? <> ({formatExactUtc(new Date(lastRun.startedAt))})</> : null}
                  {lastRun.summary ? <>, in {count(lastRun.summary.durationMs)} ms</> : null}. The checks run every {intervalMinutes} minutes on one app instance.
                </>
              ) : (
                `The checks run every ${intervalMinutes} minutes on one app instance; the first scheduled run has not happened yet.`
              )}
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            {lastRun?.error ? <p className="text-sm text-destructive">{lastRun.error}</p> : null}
            {lastRun?.summary ? (
              <LedgerChecks summary={lastRun.summary} caption="The checks of the last scheduled run" />
            ) : lastRun ? null : (
              <EmptyState title="No scheduled run yet">A run starts within a minute of the server starting, then every {intervalMinutes} minutes.</EmptyState>
            )}
          </CardContent>
        </Card>
      </section>
    </div>
  );
}

function RunStatusBadge({ run }: { run: LedgerHealthRunDto | null }) {
  if (!run) return null;
  if (run.status === "RUNNING") return <Badge variant="info">Running</Badge>;
  if (run.summary) return <OutcomeBadge summary={run.summary} testId="ledger-last-run-status" />;
  return <Badge variant="destructive">Did not finish</Badge>;
}

function Figures({ summary }: { summary: LedgerHealthSummary }) {
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <StatCard
        label="Transfers"
        value={count(summary.counts.transfers)}
        hint={`${count(summary.counts.accounts)} accounts, ${count(summary.counts.lots)} credit lots`}
        howComputed="Every transfer on the ledger, each checked for two entries summing to zero; every account's balance checked against its entries."
      />
      <StatCard
        label="Startup credits (USD)"
        value={<Money micros={BigInt(summary.totalsMicros.spendable) + BigInt(summary.totalsMicros.held)} />}
        hint={<>spendable + held, in {count(summary.counts.creditOrganizations)} organisations</>}
        howComputed="The STARTUP_SPENDABLE and STARTUP_HELD balances of every organisation, summed; the unfrozen credits in their lots must equal it, organisation by organisation."
      />
      <StatCard
        label="Frozen credits (USD)"
        value={<Money micros={summary.totalsMicros.frozen} />}
        howComputed="The STARTUP_FROZEN balances, summed; the frozen credits in the lots must equal them, organisation by organisation."
      />
      <StatCard
        label="Loan receivables (USD)"
        value={<Money micros={summary.totalsMicros.receivable} />}
        hint={`${count(summary.counts.receivableLoans)} disbursed loans`}
        howComputed="The lenders' LOAN_RECEIVABLE balances, summed; each must equal its loan's principal outstanding."
      />
    </div>
  );
}
