"use client";

import { useEffect, useId, useMemo, useRef, useState, type RefObject } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, ChevronLeft, ChevronRight } from "lucide-react";
import { toast } from "sonner";
import type { acknowledgeAlertsAction } from "@/app/lender/alerts/acknowledge-action";
import { StatCard } from "@/components/dashboard/stat-card";
import { Bps } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { InfoTip } from "@/components/ui/info-tip";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ALERTS_POLL_MS, lenderAlertPageQuery, lenderAlertSummaryQuery, queryKeys } from "@/lib/client/query-keys";
import type { AlertInboxPageDto, AlertInboxRowDto, AlertInboxView, AlertSummaryDto } from "@/lib/server/queries/lender-alerts";
import { cn } from "@/lib/utils";
import { acknowledgedToast, alertKindLabel, alertSeverityLabel, alertSeverityVariant, selectAlertLabel } from "./alert-labels";
import { RelativeTime, useNow } from "./relative-time";

type AcknowledgeAction = typeof acknowledgeAlertsAction;

const VIEWS: { value: AlertInboxView; label: string; empty: string; emptyHint: string }[] = [
  { value: "open", label: "Open", empty: "No open alerts", emptyHint: "Nothing needs you right now. A new alert shows here within seconds, and in the sidebar's count." },
  { value: "acknowledged", label: "Acknowledged", empty: "No acknowledged alerts", emptyHint: "An alert you acknowledge stays here until its condition clears." },
  { value: "all", label: "All", empty: "No alerts yet", emptyHint: "Alerts open when a loan's coverage, payments or burn cross a threshold, and on every freeze." },
];

const STATE_BADGE: Record<string, { label: string; variant: "warning" | "secondary" | "outline" }> = {
  OPEN: { label: "Open", variant: "warning" },
  ACKNOWLEDGED: { label: "Acknowledged", variant: "secondary" },
  RESOLVED: { label: "Resolved", variant: "outline" },
};

const pollSeconds = ALERTS_POLL_MS / 1000;

export function AlertsInbox({
  initialView,
  initialPage,
  loadedAtMs,
  initialSummary,
  acknowledge,
}: {
  initialView: AlertInboxView;
  initialPage: AlertInboxPageDto;
  /** When the server read `initialPage`: a remount after a while refetches instead of trusting it. */
  loadedAtMs: number;
  initialSummary: AlertSummaryDto;
  acknowledge: AcknowledgeAction;
}) {
  const [view, setView] = useState<AlertInboxView>(initialView);
  const { data: summary = initialSummary } = useQuery({ ...lenderAlertSummaryQuery(), initialData: initialSummary });

  function changeView(next: string) {
    const value = VIEWS.find((item) => item.value === next)?.value ?? "open";
    setView(value);
    // Keep the view in the address so a reload or a shared link opens the same tab (no server round trip).
    const url = new URL(window.location.href);
    if (value === "open") url.searchParams.delete("view");
    else url.searchParams.set("view", value);
    window.history.replaceState(window.history.state, "", url);
  }

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Alerts</h1>
        <p className="text-sm text-muted-foreground">
          Open alerts across your book, most severe first and newest first within a severity. New alerts appear here within {pollSeconds} seconds.
        </p>
      </div>

      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard
          testId="alerts-open"
          label="Open alerts"
          value={summary.open.total.toLocaleString("en-US")}
          hint={`${summary.open.info.toLocaleString("en-US")} info`}
          howComputed={`Alerts on your loans that nobody has acknowledged yet, all severities; refreshed every ${pollSeconds} s.`}
        />
        <StatCard testId="alerts-critical" label="Critical" value={summary.open.critical.toLocaleString("en-US")} howComputed="Open alerts where your money is at risk now: margin call, liquidation zone, payment overdue past grace, collateral frozen." />
        <StatCard testId="alerts-warning" label="Warning" value={summary.open.warning.toLocaleString("en-US")} howComputed="Open alerts on a trend to watch: coverage below an early-warning level, or a 7-day burn above plan." />
        <StatCard
          testId="alerts-acknowledged"
          label="Acknowledged"
          value={summary.acknowledged.toLocaleString("en-US")}
          howComputed="Alerts you have acknowledged whose condition still holds; each resolves by itself when its condition clears."
        />
      </div>
      <p className="sr-only" aria-live="polite">
        {summary.open.total === 1 ? "1 open alert" : `${summary.open.total.toLocaleString("en-US")} open alerts`}
      </p>

      <Tabs value={view} onValueChange={changeView}>
        <TabsList aria-label="Alerts by state">
          {VIEWS.map((item) => (
            <TabsTrigger key={item.value} value={item.value}>
              {item.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {VIEWS.map((item) => (
          <TabsContent key={item.value} value={item.value}>
            <Card>
              <CardContent className="pt-5">
                <AlertsPager
                  view={item.value}
                  emptyTitle={item.empty}
                  emptyHint={item.emptyHint}
                  summary={summary}
                  initialPage={item.value === initialView ? initialPage : undefined}
                  loadedAtMs={loadedAtMs}
                  acknowledge={acknowledge}
                />
              </CardContent>
            </Card>
          </TabsContent>
        ))}
      </Tabs>
    </div>
  );
}

/** One view's pages (keyset: a stack of "after" cursors), its selection and its acknowledgements. */
function AlertsPager({
  view,
  emptyTitle,
  emptyHint,
  summary,
  initialPage,
  loadedAtMs,
  acknowledge,
}: {
  view: AlertInboxView;
  emptyTitle: string;
  emptyHint: string;
  summary: AlertSummaryDto;
  initialPage: AlertInboxPageDto | undefined;
  loadedAtMs: number;
  acknowledge: AcknowledgeAction;
}) {
  const queryClient = useQueryClient();
  const now = useNow();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [pending, setPending] = useState<ReadonlySet<string>>(() => new Set());
  const after = cursors[cursors.length - 1];
  const pageIndex = cursors.length - 1;

  const page = useQuery({
    ...lenderAlertPageQuery(view, after),
    initialData: after === null ? initialPage : undefined,
    initialDataUpdatedAt: loadedAtMs,
    // While the next page loads, keep showing this one (same view only).
    placeholderData: (previous) => previous,
  });
  const rows = useMemo(() => page.data?.data ?? [], [page.data]);
  const openRows = rows.filter((row) => row.state === "OPEN");
  const selectedOpen = openRows.filter((row) => selected.has(row.id));

  // Acknowledging every row of a later page leaves it empty: step back to the page before.
  useEffect(() => {
    if (page.isSuccess && !page.isPlaceholderData && rows.length === 0 && cursors.length > 1) setCursors((stack) => stack.slice(0, -1));
  }, [page.isSuccess, page.isPlaceholderData, rows.length, cursors.length]);

  // After a row's own Acknowledge, focus moves to the next open row's button (the clicked one is
  // gone); after "Acknowledge selected" it stays on that button, or, when no open row is left and
  // the toolbar goes with them, lands on the list itself.
  const ackButtons = useRef(new Map<string, HTMLButtonElement>());
  const focusRequest = useRef<{ fromRowIndex: number } | "keep" | null>(null);
  const regionRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const request = focusRequest.current;
    if (request === null) return;
    focusRequest.current = null;
    if (request === "keep") {
      if (!document.activeElement || document.activeElement === document.body) regionRef.current?.focus();
      return;
    }
    const candidates = rows.filter((row) => row.state === "OPEN");
    const next = candidates.find((row) => rows.indexOf(row) >= request.fromRowIndex) ?? candidates[candidates.length - 1];
    const target = next ? ackButtons.current.get(next.id) : undefined;
    (target ?? regionRef.current)?.focus();
  }, [rows]);

  async function acknowledgeRows(targets: AlertInboxRowDto[], options: { fromRowIndex?: number } = {}) {
    if (targets.length === 0) {
      toast.info("Select the alerts to acknowledge first.");
      return;
    }
    const ids = targets.map((row) => row.id);
    setPending((current) => new Set([...current, ...ids]));
    let result: Awaited<ReturnType<AcknowledgeAction>>;
    try {
      result = await acknowledge({ alertIds: ids });
    } catch {
      // The request or its answer was lost: say so, and show the list as the server has it.
      toast.error("The server could not be reached, so it is not known whether the alerts were acknowledged. The list is refreshing; try again if they are still open.");
      await queryClient.invalidateQueries({ queryKey: queryKeys.lenderAlerts() });
      return;
    } finally {
      setPending((current) => new Set([...current].filter((id) => !ids.includes(id))));
    }
    if (!result.ok) {
      toast.error(result.error.message);
      // The alert may have resolved or changed under us: show the list as it is now.
      await queryClient.invalidateQueries({ queryKey: queryKeys.lenderAlerts() });
      return;
    }
    toast.success(acknowledgedToast(targets));
    const changed = new Set(result.data.changedIds);
    const acknowledgedAt = new Map(result.data.alerts.map((alert) => [alert.id, alert.acknowledgedAt]));
    // Show the result at once, then let the server confirm it.
    await queryClient.cancelQueries({ queryKey: queryKeys.lenderAlerts() });
    queryClient.setQueryData<AlertInboxPageDto>(queryKeys.lenderAlertPage(view, after), (current) => {
      if (!current) return current;
      if (view === "open") return { ...current, data: current.data.filter((row) => !ids.includes(row.id)) };
      return { ...current, data: current.data.map((row) => (ids.includes(row.id) ? { ...row, state: "ACKNOWLEDGED", acknowledgedAt: acknowledgedAt.get(row.id) ?? row.acknowledgedAt } : row)) };
    });
    queryClient.setQueryData<AlertSummaryDto>(queryKeys.lenderAlertSummary(), (current) => {
      if (!current) return current;
      const open = { ...current.open };
      for (const row of targets) {
        if (!changed.has(row.id)) continue;
        open.total -= 1;
        if (row.severity === "critical" || row.severity === "warning" || row.severity === "info") open[row.severity] -= 1;
      }
      return { open, acknowledged: current.acknowledged + changed.size };
    });
    setSelected((current) => new Set([...current].filter((id) => !ids.includes(id))));
    focusRequest.current = options.fromRowIndex !== undefined ? { fromRowIndex: options.fromRowIndex } : "keep";
    void queryClient.invalidateQueries({ queryKey: queryKeys.lenderAlerts() });
  }

  function toggle(id: string, isChecked: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (isChecked) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function goTo(stack: (string | null)[]) {
    setSelected(new Set());
    setCursors(stack);
  }

  const total = view === "open" ? summary.open.total : view === "acknowledged" ? summary.acknowledged : null;
  const canSelect = view !== "acknowledged";
  const isBulkPending = selectedOpen.some((row) => pending.has(row.id));

  if (page.isPending) return <AlertsTableSkeleton />;
  if (page.isError && !page.data) {
    return <ErrorState title="The alerts could not be loaded" message={page.error.message} onRetry={() => void page.refetch()} />;
  }

  return (
    <div className="space-y-3">
      {page.isError ? (
        <p role="status" className="text-sm text-muted-foreground">
          Could not refresh just now ({page.error.message}); showing the last list.{" "}
          <Button variant="link" size="sm" className="h-auto p-0" onClick={() => void page.refetch()}>
            Retry
          </Button>
        </p>
      ) : null}

      {canSelect && openRows.length > 0 ? (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="button"
            size="sm"
            aria-disabled={selectedOpen.length === 0 || isBulkPending}
            className={cn((selectedOpen.length === 0 || isBulkPending) && "opacity-50")}
            onClick={() => {
              if (!isBulkPending) void acknowledgeRows(selectedOpen);
            }}
          >
            <Check aria-hidden="true" />
            Acknowledge selected
          </Button>
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {isBulkPending ? "Acknowledging…" : selectedOpen.length === 0 ? "No alert selected" : `${selectedOpen.length.toLocaleString("en-US")} selected`}
          </p>
        </div>
      ) : null}

      <div ref={regionRef} tabIndex={-1} aria-label={`${VIEWS.find((item) => item.value === view)?.label} alerts`} role="region" className="outline-none">
        {rows.length === 0 ? (
          <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>
        ) : (
          <AlertsTable
            rows={rows}
            view={view}
            now={now}
            selected={selected}
            pending={pending}
            canSelect={canSelect}
            onToggle={toggle}
            onToggleAll={(isChecked) => setSelected(isChecked ? new Set(openRows.map((row) => row.id)) : new Set())}
            onAcknowledge={(row, index) => void acknowledgeRows([row], { fromRowIndex: index })}
            ackButtons={ackButtons}
          />
        )}
      </div>

      {rows.length > 0 || pageIndex > 0 ? (
        <nav aria-label={`${VIEWS.find((item) => item.value === view)?.label} alerts pages`} className="flex flex-wrap items-center justify-between gap-2 pt-1">
          <p className="num text-sm text-muted-foreground">
            Page {(pageIndex + 1).toLocaleString("en-US")} · {rows.length.toLocaleString("en-US")} shown
            {total !== null ? ` of ${total.toLocaleString("en-US")}` : ""}
          </p>
          <div className="flex items-center gap-2">
            <Button type="button" variant="outline" size="sm" disabled={pageIndex === 0} onClick={() => goTo(cursors.slice(0, -1))}>
              <ChevronLeft aria-hidden="true" />
              Previous page
            </Button>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={!page.data?.hasMore || !page.data.nextCursor || page.isPlaceholderData}
              onClick={() => page.data?.nextCursor && goTo([...cursors, page.data.nextCursor])}
            >
              Next page
              <ChevronRight aria-hidden="true" />
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}

function AlertsTable({
  rows,
  view,
  now,
  selected,
  pending,
  canSelect,
  onToggle,
  onToggleAll,
  onAcknowledge,
  ackButtons,
}: {
  rows: AlertInboxRowDto[];
  view: AlertInboxView;
  now: Date;
  selected: ReadonlySet<string>;
  pending: ReadonlySet<string>;
  canSelect: boolean;
  onToggle: (id: string, isChecked: boolean) => void;
  onToggleAll: (isChecked: boolean) => void;
  onAcknowledge: (row: AlertInboxRowDto, index: number) => void;
  ackButtons: RefObject<Map<string, HTMLButtonElement>>;
}) {
  const baseId = useId();
  const openRows = rows.filter((row) => row.state === "OPEN");
  const selectedCount = openRows.filter((row) => selected.has(row.id)).length;
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selectedCount > 0 && selectedCount < openRows.length;
  }, [selectedCount, openRows.length]);
  const showsAcknowledged = view !== "open";

  return (
    <Table>
      <TableHeader>
        <TableRow>
          {canSelect ? (
            <TableHead className="w-10">
              <input
                ref={allRef}
                type="checkbox"
                aria-label="Select all open alerts on this page"
                className="size-4 accent-primary align-middle"
                disabled={openRows.length === 0}
                checked={openRows.length > 0 && selectedCount === openRows.length}
                onChange={(event) => onToggleAll(event.target.checked)}
              />
            </TableHead>
          ) : null}
          <TableHead>Severity</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>Loan</TableHead>
          <TableHead>Message</TableHead>
          <TableHead className="text-right whitespace-normal">
            <span className="inline-flex items-center gap-1">
              Coverage at alert
              <InfoTip label="coverage at the alert">Collateral × mark ÷ debt, in %, when the alert opened (∞ when the loan had no debt). The loan page shows it now.</InfoTip>
            </span>
          </TableHead>
          <TableHead>Opened</TableHead>
          {showsAcknowledged ? <TableHead>Acknowledged</TableHead> : null}
          {view === "all" ? <TableHead>State</TableHead> : null}
          {canSelect ? (
            <TableHead>
              <span className="sr-only">Action</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row, index) => {
          const isOpen = row.state === "OPEN";
          const isSelected = selected.has(row.id);
          const isPending = pending.has(row.id);
          const describedBy = `${baseId}-${row.id}`;
          const state = STATE_BADGE[row.state] ?? { label: row.state, variant: "outline" as const };
          return (
            <TableRow key={row.id} data-state={isSelected ? "selected" : undefined} data-testid="alert-row" data-alert-id={row.id}>
              {canSelect ? (
                <TableCell>
                  {isOpen ? (
                    <input
                      type="checkbox"
                      aria-label={selectAlertLabel(row)}
                      className="size-4 accent-primary align-middle"
                      checked={isSelected}
                      onChange={(event) => onToggle(row.id, event.target.checked)}
                    />
                  ) : null}
                </TableCell>
              ) : null}
              <TableCell>
                <Badge variant={alertSeverityVariant(row.severity)}>{alertSeverityLabel(row.severity)}</Badge>
              </TableCell>
              <TableCell className="font-medium">
{alertKindLabel(row.kind)}
              </TableCell>
              <TableCell>
                <div className="flex flex-col">
                  <Link href={`/lender/loans/${row.loanId}`} className="num font-medium text-primary underline-offset-4 outline-none hover:underline focus-visible:rounded-sm focus-visible:ring-[3px] focus-visible:ring-ring/50">
                    {row.loanReference}
                  </Link>
                  <span className="text-xs text-muted-foreground">{row.startupName}</span>
                </div>
              </TableCell>
              <TableCell className="max-w-sm min-w-56 text-sm whitespace-normal">{row.message}</TableCell>
              <TableCell className="text-right">
                <Bps bps={row.coverageBps} />
              </TableCell>
              <TableCell className="text-sm">
                <RelativeTime iso={row.openedAt} now={now} />
              </TableCell>
              {showsAcknowledged ? <TableCell className="text-sm">{row.acknowledgedAt ? <RelativeTime iso={row.acknowledgedAt} now={now} /> : "—"}</TableCell> : null}
              {view === "all" ? (
                <TableCell>
                  <Badge variant={state.variant}>{state.label}</Badge>
                </TableCell>
              ) : null}
              {canSelect ? (
                <TableCell className="text-right">
                  <span id={describedBy} hidden>
                    {`${alertKindLabel(row.kind)} on ${row.loanReference}, ${row.startupName}`}
                  </span>
                  {isOpen ? (
                    <Button
                      ref={(element) => {
                        if (element) ackButtons.current.set(row.id, element);
                        else ackButtons.current.delete(row.id);
                      }}
                      type="button"
                      variant="outline"
                      size="sm"
                      aria-describedby={describedBy}
                      aria-disabled={isPending}
                      className={cn(isPending && "opacity-50")}
                      onClick={() => {
                        if (!isPending) onAcknowledge(row, index);
                      }}
                    >
                      {isPending ? "Acknowledging…" : "Acknowledge"}
                    </Button>
                  ) : null}
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

export function AlertsTableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label="Loading alerts" role="status">
      <Skeleton className="h-8 w-44" />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className="h-11 w-full" />
      ))}
    </div>
  );
}
