import "@/lib/server/server-only";
import { auditDetailString, describeAuditAction, describeAuditDetail } from "@/lib/domain/audit/describe";
import type { Db } from "@/lib/server/db/client";
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
export async function resolveActors<T extends ActorFields>(db: Db, rows: readonly T[], options: { tokenOrgId: string }): Promise<(row: T) => AuditActorDto> {
  const tokenIdOf = (row: T) => row.actorTokenId ?? (row.detailJson ? (auditDetailString(row.detailJson, "tokenId") ?? auditDetailString(row.detailJson, "actorTokenId")) : null);
  const tokenIds = [...new Set(rows.map(tokenIdOf).filter((id): id is string => id !== null))];
  const tokens = tokenIds.length ? await db.lenderApiToken.findMany({ where: { id: { in: tokenIds }, orgId: options.tokenOrgId }, select: { id: true, name: true, prefix: true, createdById: true } }) : [];
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
