import { queryOptions } from "@tanstack/react-query";
import type { AdminQueueSummaryDto } from "@/lib/server/queries/admin-queue";
import type { AlertInboxPageDto, AlertInboxView, AlertSummaryDto } from "@/lib/server/queries/lender-alerts";
import type { NotificationFeedDto } from "@/lib/server/notifications/notifications";
import type { LiveOverviewDto } from "@/lib/server/queries/startup-overview";

export type CreditBalancesDto = { spendableMicros: string; heldMicros: string; frozenMicros: string; pledgedMicros: string; financedMicros: string };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new HttpError(response.status, body?.error?.message ?? `Request failed (${response.status})`);
  }
  return (await response.json()) as T;
}

export const queryKeys = {
  credits: () => ["startup", "credits"] as const,
  /** The overview's live figures: balances, burn, runway, the loan's state. */
  startupLive: () => ["startup", "live"] as const,
  /** The startup's bell: its latest notifications and unread count. "Mark all read" invalidates it. */
  startupNotifications: () => ["startup", "notifications"] as const,
  /** Everything about the lender's alerts: acknowledging invalidates this prefix (the inbox pages and the summary). */
  lenderAlerts: () => ["lender", "alerts"] as const,
  lenderAlertSummary: () => ["lender", "alerts", "summary"] as const,
  lenderAlertPage: (view: AlertInboxView, after: string | null) => ["lender", "alerts", "page", view, after] as const,
  /** What waits on an admin (applications, repayment notices, purchases): decisions invalidate it. */
  adminQueue: () => ["admin", "queue"] as const,
};

/** Balances are live numbers: they poll while the page is open. */
export const creditsQuery = () =>
  queryOptions({
    queryKey: queryKeys.credits(),
    queryFn: () => getJson<CreditBalancesDto>("/api/startup/credits"),
    refetchInterval: 5_000,
  });

/** The overview's live figures poll like the balances: a freeze or margin call shows within this long. */
export const startupLiveQuery = () =>
  queryOptions({
    queryKey: queryKeys.startupLive(),
    queryFn: () => getJson<LiveOverviewDto>("/api/startup/live"),
    refetchInterval: 5_000,
  });

/** The startup's notifications (the bell); new ones also pop a toast while a page is open. */
export const startupNotificationsQuery = () =>
  queryOptions({
    queryKey: queryKeys.startupNotifications(),
    queryFn: () => getJson<NotificationFeedDto>("/api/startup/notifications"),
    refetchInterval: 10_000,
    staleTime: 5_000,
  });

/** How often the lender's alert figures poll: new alerts show within this long, without a reload. */
export const ALERTS_POLL_MS = 10_000;

/** The open-alert count (sidebar badge) and per-severity figures (inbox header). */
export const lenderAlertSummaryQuery = () =>
  queryOptions({
    queryKey: queryKeys.lenderAlertSummary(),
    queryFn: () => getJson<AlertSummaryDto>("/api/lender/alerts/summary"),
    refetchInterval: ALERTS_POLL_MS,
    staleTime: 5_000,
  });

/** One page of the alerts inbox; `after` is the last alert id of the page before (null: the first page). */
export const lenderAlertPageQuery = (view: AlertInboxView, after: string | null) =>
  queryOptions({
    queryKey: queryKeys.lenderAlertPage(view, after),
    queryFn: () => {
      const params = new URLSearchParams({ view });
      if (after) params.set("after", after);
      return getJson<AlertInboxPageDto>(`/api/lender/alerts?${params}`);
    },
    refetchInterval: ALERTS_POLL_MS,
    staleTime: 5_000,
  });

/** Applications and payments waiting on an admin (sidebar badges); polls like the lender's alerts. */
export const adminQueueQuery = () =>
  queryOptions({
    queryKey: queryKeys.adminQueue(),
    queryFn: () => getJson<AdminQueueSummaryDto>("/api/admin/queue"),
    refetchInterval: ALERTS_POLL_MS,
    staleTime: 5_000,
  });
