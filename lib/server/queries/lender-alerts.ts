import "@/lib/server/server-only";
import { ALERT_SEVERITIES } from "@/lib/domain/alerts";
import { alertWithLoan, serializeLenderAlert, toLenderAlert } from "@/lib/server/alerts/service";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";

// The lender's alerts inbox (/lender/alerts) and the sidebar's open-alert count. Every query puts
// the lender's organisation in the `where`: another lender's alert never shows, and its id as a
// paging cursor is an invalid cursor. The inbox reads most severe first, newest first within a
// severity, paged by keyset so a book with thousands of alerts reads a page at a time.

export const ALERT_INBOX_VIEWS = ["open", "acknowledged", "all"] as const;
export type AlertInboxView = (typeof ALERT_INBOX_VIEWS)[number];

export const ALERT_INBOX_PAGE_SIZE = 50;
export const ALERT_INBOX_MAX_PAGE_SIZE = 100;

const VIEW_STATES: Record<AlertInboxView, readonly string[] | null> = { open: ["OPEN"], acknowledged: ["ACKNOWLEDGED"], all: null };

/** Most severe first; an alert of a severity the domain does not know sorts last rather than vanishing. */
type AlertWhere = NonNullable<NonNullable<Parameters<Db["alert"]["findMany"]>[0]>["where"]>;
const SEVERITY_BUCKETS: AlertWhere[] = [{ severity: "critical" }, { severity: "warning" }, { severity: "info" }, { severity: { notIn: [...ALERT_SEVERITIES] } }];

function bucketOf(severity: string): number {
  const index = ["critical", "warning", "info"].indexOf(severity);
  return index === -1 ? SEVERITY_BUCKETS.length - 1 : index;
}

function findAlertsWithLoan(db: Db, where: AlertWhere, take: number) {
  return db.alert.findMany({ where, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take, include: alertWithLoan });
}
type AlertWithLoan = Awaited<ReturnType<typeof findAlertsWithLoan>>[number];

/** An inbox row: the lender's alert on the wire (dates as ISO 8601). */
export type AlertInboxRowDto = ReturnType<typeof serializeLenderAlert>;

export type AlertInboxPageDto = { view: AlertInboxView; data: AlertInboxRowDto[]; hasMore: boolean; nextCursor: string | null };

/**
 * One page of the lender's alerts in `view` (open, acknowledged, or all states): critical, then
 * warning, then info; newest first within a severity (id breaks ties). `after` is the last id of
 * the previous page. At most three indexed reads per page, one per severity the page reaches.
 */
export async function listLenderAlertInboxPage(
  db: Db,
  lenderOrgId: string,
  input: { view?: AlertInboxView; after?: string | null; limit?: number } = {},
): Promise<AlertInboxPageDto> {
  const view = input.view ?? "open";
  const limit = input.limit ?? ALERT_INBOX_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > ALERT_INBOX_MAX_PAGE_SIZE) {
    throw new ApiError(400, "invalid_request", `limit must be a whole number from 1 to ${ALERT_INBOX_MAX_PAGE_SIZE}.`, "limit");
  }
  const states = VIEW_STATES[view];
  const stateWhere = states ? { state: { in: [...states] } } : {};

  let cursor: { id: string; severity: string; openedAt: Date } | null = null;
  if (input.after) {
    cursor = input.after.length <= 64 ? await db.alert.findFirst({ where: { id: input.after, lenderOrgId }, select: { id: true, severity: true, openedAt: true } }) : null;
    if (!cursor) throw new ApiError(400, "invalid_request", "after is not an alert from this list.", "after");
  }

  const rows: AlertWithLoan[] = [];
  for (let bucket = cursor ? bucketOf(cursor.severity) : 0; bucket < SEVERITY_BUCKETS.length && rows.length <= limit; bucket++) {
    const isCursorBucket = cursor !== null && bucket === bucketOf(cursor.severity);
    const afterCursor = isCursorBucket ? { OR: [{ openedAt: { lt: cursor!.openedAt } }, { openedAt: cursor!.openedAt, id: { lt: cursor!.id } }] } : {};
    rows.push(...(await findAlertsWithLoan(db, { lenderOrgId, ...SEVERITY_BUCKETS[bucket], ...stateWhere, ...afterCursor }, limit + 1 - rows.length)));
  }

  const hasMore = rows.length > limit;
  const data = (hasMore ? rows.slice(0, limit) : rows).map((row): AlertInboxRowDto => serializeLenderAlert(toLenderAlert(row)));
  return { view, data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
}

export type AlertSummaryDto = {
  /** Alerts nobody has acknowledged yet (state OPEN), by severity: the sidebar badge shows `total`. */
  open: { total: number; critical: number; warning: number; info: number };
  /** Acknowledged and not yet resolved (the condition still holds). */
  acknowledged: number;
};

/** The lender's open and acknowledged alert counts, in one grouped read. */
export async function getLenderAlertSummary(db: Db, lenderOrgId: string): Promise<AlertSummaryDto> {
  const groups = await db.alert.groupBy({ by: ["state", "severity"], where: { lenderOrgId, state: { in: ["OPEN", "ACKNOWLEDGED"] } }, _count: { _all: true } });
  const summary: AlertSummaryDto = { open: { total: 0, critical: 0, warning: 0, info: 0 }, acknowledged: 0 };
  for (const group of groups) {
    const count = group._count._all;
    if (group.state === "ACKNOWLEDGED") {
      summary.acknowledged += count;
      continue;
    }
    summary.open.total += count;
    if (group.severity === "critical" || group.severity === "warning" || group.severity === "info") summary.open[group.severity] += count;
  }
  return summary;
}
