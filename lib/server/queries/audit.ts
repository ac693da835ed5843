import "@/lib/server/server-only";
import { describeAuditChanges, readAuditDetail, type AuditChange } from "@/lib/domain/audit/changes";
import { auditDetailString, describeAuditAction, describeAuditDetail } from "@/lib/domain/audit/describe";
import { auditTimeBounds, encodeAuditCursor, type AuditCursor, type AuditFilters } from "@/lib/domain/audit/filters";
import type { Db } from "@/lib/server/db/client";
import { providerOfDb } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";

// Who did what to a loan, named the way a person reads it: a user by name and email, a lender API
// token by its name and prefix (and the user who made it), the platform's own jobs as such.

export const DEFAULT_AUDIT_LIMIT = 200;
export const MAX_AUDIT_LIMIT = 1_000;
/** The audit log's target types for a loan ("loan" is how older rows spelled it). */
const LOAN_TARGET_TYPES = ["Loan", "loan"];
/** Alerts whose acknowledgements join the loan's trail (a loan has few; the newest are enough). */
const MAX_ALERTS_IN_TRAIL = 500;

export type AuditActorDto = {
  kind: "user" | "token" | "system" | "unknown";
  /** The person (or, for a token, the token's name); "Blockable" for the system. */
  name: string;
  /** The person's email: the user who acted, or the user who made the token. */
  email: string | null;
  tokenName: string | null;
  tokenPrefix: string | null;
  /** The whole actor in one line, for tables and CSV: "Ana Analyst <ana@…>", "API token “risk desk” (lk-bl-3f9a…) by …". */
  label: string;
};

type ActorFields = { actorKind: string; actorUserId: string | null; actorTokenId?: string | null; detailJson?: string };
type UserName = { name: string; email: string };
type TokenName = { name: string; prefix: string; createdBy: UserName | null };

const userLabel = (user: UserName) => `${user.name} <${user.email}>`;

/**
 * Names the actors of audit-like rows (AuditLog, FreezeEvent) in two reads: their users, and their
 * lender API tokens — only tokens of `tokenOrgId`, so a row can never reveal another
 * organisation's token. The token comes from the row's `actorTokenId`, or, for a row written before
 * that column, from a `tokenId` its details kept; an API action with neither reads as "Lender API".
 */
export async function resolveActors<T extends ActorFields>(db: Db, rows: readonly T[], options: { tokenOrgId: string } | { isPlatformWide: true }): Promise<(row: T) => AuditActorDto> {
  const tokenIdOf = (row: T) => row.actorTokenId ?? (row.detailJson ? (auditDetailString(row.detailJson, "tokenId") ?? auditDetailString(row.detailJson, "actorTokenId")) : null);
  const tokenIds = [...new Set(rows.map(tokenIdOf).filter((id): id is string => id !== null))];
  // Only the admin's audit log reads every organisation's tokens ({ isPlatformWide: true }).
  const tokenOrgWhere = "tokenOrgId" in options ? { orgId: options.tokenOrgId } : {};
  const tokens = tokenIds.length ? await db.lenderApiToken.findMany({ where: { id: { in: tokenIds }, ...tokenOrgWhere }, select: { id: true, name: true, prefix: true, createdById: true } }) : [];
  const userIds = [...new Set([...rows.map((row) => row.actorUserId), ...tokens.map((token) => token.createdById)].filter((id): id is string => id !== null))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [];
  const userById = new Map(users.map((user) => [user.id, { name: user.name, email: user.email }]));
  const tokenById = new Map<string, TokenName>(tokens.map((token) => [token.id, { name: token.name, prefix: token.prefix, createdBy: token.createdById ? (userById.get(token.createdById) ?? null) : null }]));

  return (row) => {
    const tokenId = tokenIdOf(row);
    const token = tokenId ? tokenById.get(tokenId) : undefined;
    if (token) {
      const by = token.createdBy ? ` by ${userLabel(token.createdBy)}` : "";
      return { kind: "token", name: token.name, email: token.createdBy?.email ?? null, tokenName: token.name, tokenPrefix: token.prefix, label: `API token “${token.name}” (${token.prefix}…)${by}` };
    }
    const user = row.actorUserId ? userById.get(row.actorUserId) : undefined;
    if (user) {
      const via = row.actorKind === "api" ? " via the lender API" : "";
      return { kind: "user", name: user.name, email: user.email, tokenName: null, tokenPrefix: null, label: `${userLabel(user)}${via}` };
    }
    if (row.actorKind === "system") return { kind: "system", name: "Blockable", email: null, tokenName: null, tokenPrefix: null, label: "Blockable (automatic)" };
    if (row.actorKind === "api") return { kind: "token", name: "Lender API", email: null, tokenName: null, tokenPrefix: null, label: "Lender API (token not recorded)" };
    return { kind: "unknown", name: row.actorUserId ? "Former user" : "Unknown", email: null, tokenName: null, tokenPrefix: null, label: row.actorUserId ? "Former user (no longer on record)" : "Unknown" };
  };
}

export type AuditEntryDto = {
  id: string;
  at: string;
  action: string;
  /** The action in words ("Froze collateral"). */
  what: string;
  actorKind: string;
  actor: AuditActorDto;
  /** The details with their units, one "Label: value" per line. */
  details: string[];
  /** The stored details as written (JSON), for the CSV. */
  detailJson: string;
};

type AuditRow = Awaited<ReturnType<typeof findLoanAuditRows>>[number];

/**
 * The audit rows of a loan and of its alerts, newest first. No scoping of its own: the caller has
 * already found the loan among the lender's (listLoanAuditTrail, the loan page's query).
 */
export function findLoanAuditRows(db: Db, input: { loanId: string; alertIds: readonly string[]; limit: number }) {
  return db.auditLog.findMany({
    where: {
      OR: [{ targetType: { in: LOAN_TARGET_TYPES }, targetId: input.loanId }, ...(input.alertIds.length ? [{ targetType: "Alert", targetId: { in: [...input.alertIds] } }] : [])],
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: input.limit,
  });
}

export function toAuditEntry(row: AuditRow, actorOf: (row: AuditRow) => AuditActorDto): AuditEntryDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    what: describeAuditAction(row.action),
    actorKind: row.actorKind,
    actor: actorOf(row),
    details: describeAuditDetail(row.detailJson),
    detailJson: row.detailJson,
  };
}

/**
 * The audit trail of one of the lender's loans, newest first: what was done to the loan (approval,
 * payments, pledges, state changes, freezes, liquidations) and to its alerts (acknowledgements).
 * Another lender's loan — or an id that is no loan — is a 404, as everywhere.
 */
export async function listLoanAuditTrail(db: Db, input: { lenderOrgId: string; loanId: string; limit?: number }): Promise<AuditEntryDto[]> {
  const limit = input.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) throw new ApiError(400, "invalid_request", `limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}.`, "limit");
  const loan =
    typeof input.loanId === "string" && input.loanId.length > 0 && input.loanId.length <= 64
      ? await db.loan.findFirst({ where: { id: input.loanId, lenderOrgId: input.lenderOrgId }, select: { id: true } })
      : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${String(input.loanId)} here.`, "loanId");

  const alerts = await db.alert.findMany({ where: { loanId: loan.id, lenderOrgId: input.lenderOrgId }, orderBy: { openedAt: "desc" }, take: MAX_ALERTS_IN_TRAIL, select: { id: true } });
  const rows = await findLoanAuditRows(db, { loanId: loan.id, alertIds: alerts.map((alert) => alert.id), limit });
  const actorOf = await resolveActors(db, rows, { tokenOrgId: input.lenderOrgId });
  return rows.map((row) => toAuditEntry(row, actorOf));
}

// ───────────────────────── The admin's audit log: every organisation ─────────────────────────

export const ADMIN_AUDIT_PAGE_SIZE = 50;
/** Rows per read when the CSV export walks the filtered set (memory stays at one batch). */
export const AUDIT_EXPORT_BATCH_SIZE = 500;
/** At most this many people (and their tokens) match one "who" search. */
const MAX_ACTOR_MATCHES = 500;

export type AdminAuditEntryDto = {
  id: string;
  at: string;
  action: string;
  what: string;
  actor: AuditActorDto;
  target: { type: string; id: string | null };
  org: { id: string; name: string } | null;
  requestId: string | null;
  /** Before and after, field by field (empty when the entry records no change of settings or state). */
  changes: AuditChange[];
  /** The other details, "Label: value" each. */
  details: string[];
  detailJson: string;
};

export type AdminAuditPageDto = {
  entries: AdminAuditEntryDto[];
  /** The page before this one (newer entries), or null at the newest. */
  newerCursor: string | null;
  /** The page after this one (older entries), or null at the oldest. */
  olderCursor: string | null;
};

type AuditWhere = NonNullable<NonNullable<Parameters<Db["auditLog"]["findMany"]>[0]>["where"]>;

/**
 * The filters as a `where`; null when no entry can match (nobody's name or email contains the
 * "who" text). "Who" matches people by name or email — their own entries and those of the lender
 * API tokens they made — and tokens by name; "system" or "blockable" also match the platform's own.
 */
export async function adminAuditWhere(db: Db, filters: AuditFilters): Promise<AuditWhere | null> {
  const and: AuditWhere[] = [];
  if (filters.action) and.push({ action: filters.action });
  if (filters.org) and.push({ orgId: filters.org });
  const { atOrAfter, before } = auditTimeBounds(filters);
  if (atOrAfter || before) and.push({ at: { ...(atOrAfter ? { gte: atOrAfter } : {}), ...(before ? { lt: before } : {}) } });
  if (filters.actor) {
    // SQLite's LIKE ignores ASCII case already; PostgreSQL is asked to.
    const contains = (providerOfDb(db) === "postgresql" ? { contains: filters.actor, mode: "insensitive" } : { contains: filters.actor }) as { contains: string };
    const users = await db.user.findMany({ where: { OR: [{ name: contains }, { email: contains }] }, select: { id: true }, take: MAX_ACTOR_MATCHES });
    const userIds = users.map((user) => user.id);
    const tokens = await db.lenderApiToken.findMany({
      where: { OR: [{ name: contains }, ...(userIds.length ? [{ createdById: { in: userIds } }] : [])] },
      select: { id: true },
      take: MAX_ACTOR_MATCHES,
    });
    const needle = filters.actor.toLowerCase();
    const isSystem = needle.length >= 3 && ("system".startsWith(needle) || "blockable".startsWith(needle));
    const or: AuditWhere[] = [
      ...(userIds.length ? [{ actorUserId: { in: userIds } }] : []),
      ...(tokens.length ? [{ actorTokenId: { in: tokens.map((token) => token.id) } }] : []),
      ...(isSystem ? [{ actorKind: "system" }] : []),
    ];
    if (or.length === 0) return null;
    and.push({ OR: or });
  }
  return and.length ? { AND: and } : {};
}

// The leading `at <= cursor` (or `>=`) bounds the index range: with the OR alone SQLite reads and
// sorts every older row for each page (31 ms a page at 120,000 entries against 0.4 ms).
const olderThan = (cursor: AuditCursor): AuditWhere => ({ at: { lte: cursor.at }, OR: [{ at: { lt: cursor.at } }, { id: { lt: cursor.id } }] });
const newerThan = (cursor: AuditCursor): AuditWhere => ({ at: { gte: cursor.at }, OR: [{ at: { gt: cursor.at } }, { id: { gt: cursor.id } }] });

function findAdminAuditRows(db: Db, where: AuditWhere, options: { take: number; direction: "older" | "newer"; cursor: AuditCursor | null }) {
  const position = options.cursor ? [options.direction === "older" ? olderThan(options.cursor) : newerThan(options.cursor)] : [];
  const order = options.direction === "older" ? "desc" : "asc";
  return db.auditLog.findMany({
    where: { AND: [where, ...position] },
    orderBy: [{ at: order }, { id: order }],
    take: options.take,
    include: { org: { select: { id: true, name: true } } },
  });
}

type AdminAuditRow = Awaited<ReturnType<typeof findAdminAuditRows>>[number];

async function toAdminAuditEntries(db: Db, rows: readonly AdminAuditRow[]): Promise<AdminAuditEntryDto[]> {
  const actorOf = await resolveActors(db, rows, { isPlatformWide: true });
  return rows.map((row) => {
    const { changes, details } = readAuditDetail(row.detailJson);
    return {
      id: row.id,
      at: row.at.toISOString(),
      action: row.action,
      what: describeAuditAction(row.action),
      actor: actorOf(row),
      target: { type: row.targetType, id: row.targetId },
      org: row.org ? { id: row.org.id, name: row.org.name } : null,
      requestId: row.requestId,
      changes,
      details,
      detailJson: row.detailJson,
    };
  });
}

const cursorOf = (entry: AdminAuditEntryDto) => encodeAuditCursor({ at: new Date(entry.at), id: entry.id });

/**
 * One page of the audit log, newest first, ordered by (at, id) so entries written in the same
 * millisecond keep their place across pages. `after` pages on to older entries, `before` back to
 * newer ones; with neither, the newest page.
 */
export async function listAdminAuditPage(
  db: Db,
  input: { filters: AuditFilters; after?: AuditCursor | null; before?: AuditCursor | null; limit?: number },
): Promise<AdminAuditPageDto> {
  const limit = input.limit ?? ADMIN_AUDIT_PAGE_SIZE;
  const where = await adminAuditWhere(db, input.filters);
  if (!where) return { entries: [], newerCursor: null, olderCursor: null };
  if (input.before && !input.after) {
    const rows = await findAdminAuditRows(db, where, { take: limit + 1, direction: "newer", cursor: input.before });
    const hasNewer = rows.length > limit;
    const entries = await toAdminAuditEntries(db, rows.slice(0, limit).reverse());
    // Coming back from an older page: the entry the cursor names (or one older) is still there.
    return { entries, newerCursor: hasNewer && entries.length ? cursorOf(entries[0]) : null, olderCursor: entries.length ? cursorOf(entries[entries.length - 1]) : null };
  }
  const after = input.after ?? null;
  const rows = await findAdminAuditRows(db, where, { take: limit + 1, direction: "older", cursor: after });
  const hasOlder = rows.length > limit;
  const entries = await toAdminAuditEntries(db, rows.slice(0, limit));
  return { entries, newerCursor: after && entries.length ? cursorOf(entries[0]) : null, olderCursor: hasOlder && entries.length ? cursorOf(entries[entries.length - 1]) : null };
}

/**
 * Every entry the filters select, newest first, a batch at a time (keyset, so the export's memory
 * stays at one batch however long the log is).
 */
export async function* iterateAdminAuditEntries(db: Db, filters: AuditFilters, batchSize = AUDIT_EXPORT_BATCH_SIZE): AsyncGenerator<AdminAuditEntryDto[]> {
  const where = await adminAuditWhere(db, filters);
  if (!where) return;
  let cursor: AuditCursor | null = null;
  for (;;) {
    const rows = await findAdminAuditRows(db, where, { take: batchSize, direction: "older", cursor });
    if (rows.length === 0) return;
    yield await toAdminAuditEntries(db, rows);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    cursor = { at: last.at, id: last.id };
  }
}

export const AUDIT_CSV_HEADERS = ["When (UTC)", "Who", "Email", "Action", "What", "Target type", "Target ID", "Organisation", "Request ID", "Before → after", "Details (JSON)"];

/** One CSV record per entry, in AUDIT_CSV_HEADERS' order (amounts stay as the entry stored them, exact µUSD). */
export function auditCsvRecord(entry: AdminAuditEntryDto): string[] {
  return [
    entry.at,
    entry.actor.label,
    entry.actor.email ?? "",
    entry.action,
    entry.what,
    entry.target.type,
    entry.target.id ?? "",
    entry.org?.name ?? "",
    entry.requestId ?? "",
    describeAuditChanges(entry.changes),
    entry.detailJson,
  ];
}

/** The filter choices: every action the log holds, and every organisation. */
export async function getAdminAuditFilterOptions(db: Db): Promise<{ actions: { action: string; what: string }[]; organizations: { id: string; name: string; kind: string }[] }> {
  const [actions, organizations] = await Promise.all([
    // GROUP BY on the (action, at) index, not a read of every row.
    db.auditLog.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
    db.organization.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true } }),
  ]);
  return { actions: actions.map((row) => ({ action: row.action, what: describeAuditAction(row.action) })), organizations };
}
