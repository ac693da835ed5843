"use client";

import { useEffect, useId, useRef } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { alertKindLabel } from "@/components/lender/alerts/alert-labels";
import { Bps, Money } from "@/components/money";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { InfoTip } from "@/components/ui/info-tip";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { INDEX_PRICE_DECIMALS } from "./fixes-table";
import { isJobActive, jobQuery } from "./job-query";
import { ProgressBar } from "./progress-bar";
import type { IndexRecomputeResult, JobDto } from "./types";

// The coverage recompute an index change started, polled until it ends: a progress bar while it
// runs, then the loans whose coverage moved and the alerts it opened.

type Move = IndexRecomputeResult["moved"][number];
type Opened = IndexRecomputeResult["alertsOpened"][number];

const STATUS: Record<JobDto["status"], { label: string; variant: BadgeProps["variant"] }> = {
  QUEUED: { label: "Queued", variant: "secondary" },
  RUNNING: { label: "Running", variant: "info" },
  SUCCEEDED: { label: "Done", variant: "success" },
  FAILED: { label: "Failed", variant: "destructive" },
};

const pctCsv = (bps: number | null) => (bps === null ? "" : (bps / 100).toFixed(2));
const loanLink = (loanId: string, reference: string) => (
  <Link href={`/admin/loans/${loanId}`} className="font-medium text-primary underline-offset-4 hover:underline">
    {reference}
  </Link>
);
const stateText = (from: string, to: string) => (from === to ? from.replace(/_/g, " ").toLowerCase() : `${from.replace(/_/g, " ").toLowerCase()} → ${to.replace(/_/g, " ").toLowerCase()}`);

const moveColumns: ColumnDef<Move>[] = [
  { accessorKey: "reference", header: "Loan", cell: ({ row }) => loanLink(row.original.loanId, row.original.reference) },
  { id: "before", header: "Coverage before", accessorFn: (row) => row.beforeBps ?? Infinity, cell: ({ row }) => <Bps bps={row.original.beforeBps} />, meta: { align: "right", csv: (row) => pctCsv(row.beforeBps) } },
  { id: "after", header: "Coverage after", accessorFn: (row) => row.afterBps ?? Infinity, cell: ({ row }) => <Bps bps={row.original.afterBps} />, meta: { align: "right", csv: (row) => pctCsv(row.afterBps) } },
  {
    id: "change",
    header: "Change (points)",
    accessorFn: (row) => (row.beforeBps === null || row.afterBps === null ? 0 : row.afterBps - row.beforeBps),
    cell: ({ row }) => {
      const { beforeBps, afterBps } = row.original;
      if (beforeBps === null || afterBps === null) return "—";
      const points = (afterBps - beforeBps) / 100;
      return <span className="num">{`${points > 0 ? "+" : points < 0 ? "−" : ""}${Math.abs(points).toFixed(2)}`}</span>;
    },
    meta: { align: "right", csv: (row) => (row.beforeBps === null || row.afterBps === null ? "" : ((row.afterBps - row.beforeBps) / 100).toFixed(2)) },
  },
  { id: "state", header: "State", accessorFn: (row) => stateText(row.fromState, row.state), cell: ({ row }) => <span className="whitespace-nowrap capitalize">{stateText(row.original.fromState, row.original.state)}</span> },
];

const alertColumns: ColumnDef<Opened>[] = [
  { accessorKey: "reference", header: "Loan", cell: ({ row }) => loanLink(row.original.loanId, row.original.reference) },
  { id: "kind", header: "Alert", accessorFn: (row) => alertKindLabel(row.kind) },
  { id: "coverage", header: "Coverage", accessorFn: (row) => row.coverageBps ?? Infinity, cell: ({ row }) => <Bps bps={row.original.coverageBps} />, meta: { align: "right", csv: (row) => pctCsv(row.coverageBps) } },
];

export function RecomputeJob({ jobId, initialJob }: { jobId: string; initialJob: JobDto | null }) {
  const router = useRouter();
  const query = useQuery({ ...jobQuery(jobId), initialData: initialJob?.id === jobId ? initialJob : undefined });
  const job = query.data;
  // When a job this screen watched finishes, the server-rendered parts (fixes, chart) are fetched again.
  const wasActive = useRef(isJobActive(job));
  useEffect(() => {
    if (wasActive.current && job && !isJobActive(job)) router.refresh();
    wasActive.current = isJobActive(job);
  }, [job, router]);

  if (query.isError && !job) return <ErrorState title="The recompute's status could not be loaded" message={query.error.message} onRetry={() => void query.refetch()} />;
  if (!job) return <Skeleton className="h-24" />;

  const status = STATUS[job.status];
  const result = job.status === "SUCCEEDED" ? (job.result as IndexRecomputeResult | null) : null;
  return (
    <div className="space-y-4" aria-live="polite">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge variant={status.variant}>{status.label}</Badge>
        <span className="text-muted-foreground">
          Started {new Date(job.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC
          {job.finishedAt ? `, finished in ${Math.max(0, (Date.parse(job.finishedAt) - Date.parse(job.startedAt ?? job.createdAt)) / 1000).toFixed(1)} s` : ""}
        </span>
      </div>
      {isJobActive(job) ? (
        <ProgressBar
          label={job.status === "QUEUED" ? "Waiting for a runner" : `Recomputing loans: ${job.progressDone.toLocaleString("en-US")} of ${job.progressTotal.toLocaleString("en-US")}`}
          done={job.progressDone}
          total={job.progressTotal}
          isIndeterminate={job.status === "QUEUED"}
        />
      ) : null}
      {job.status === "FAILED" ? <ErrorState title="The recompute failed" message={`${job.error ?? "Unknown error."} The fixes are saved; the coverage monitor revalues every loan within a minute.`} /> : null}
      {result ? <RecomputeReport result={result} /> : null}
    </div>
  );
}

function RecomputeReport({ result }: { result: IndexRecomputeResult }) {
  const id = useId();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        {result.loans.toLocaleString("en-US")} open {result.loans === 1 ? "loan" : "loans"} revalued
        {result.indexMicros ? (
          <>
            {" "}
            at <Money micros={result.indexMicros} decimals={INDEX_PRICE_DECIMALS} />
            /GPU-hour
          </>
        ) : null}
        : {result.moved.length.toLocaleString("en-US")} moved, {result.alertsOpened.length.toLocaleString("en-US")} {result.alertsOpened.length === 1 ? "alert" : "alerts"} opened, {result.resolved.toLocaleString("en-US")} resolved
        {result.autoFrozen.length ? `, auto-frozen: ${result.autoFrozen.join(", ")}` : ""}
        {result.failed.length ? `; ${result.failed.length} could not be revalued (${result.failed.map((f) => f.reference ?? f.loanId).join(", ")}), the monitor retries them` : ""}.
        <InfoTip label="coverage after an index change">
          Coverage = collateral × mark ÷ debt, with mark = min(1, index now ÷ index at origination) × (1 − redistribution fee). Before is the loan&apos;s last recorded coverage; after is at the latest fix on or before today.
        </InfoTip>
      </p>
      <section className="space-y-2" aria-labelledby={`${id}-moved`}>
        <h3 id={`${id}-moved`} className="font-medium">
          Loans whose coverage moved
        </h3>
        {result.moved.length ? (
          <DataTable columns={moveColumns} data={result.moved} filename="blockable-index-recompute-moved.csv" initialSorting={[{ id: "change", desc: false }]} filterPlaceholder="Filter loans…" />
        ) : (
          <EmptyState title="No loan's coverage moved">The change did not touch the fix the loans are valued at (the latest one), or no loan is open.</EmptyState>
        )}
      </section>
      <section className="space-y-2" aria-labelledby={`${id}-alerts`}>
        <h3 id={`${id}-alerts`} className="font-medium">
          Alerts opened
        </h3>
        {result.alertsOpened.length ? (
          <DataTable columns={alertColumns} data={result.alertsOpened} filename="blockable-index-recompute-alerts.csv" filterPlaceholder="Filter alerts…" />
        ) : (
          <EmptyState title="No alerts opened" />
        )}
      </section>
    </div>
  );
}
