import "@/lib/server/server-only";
import { alertMessage, evaluateFreezeAlerts, isAlertKind } from "@/lib/domain/alerts";
import type { LoanActorRole } from "@/lib/domain/loans/lifecycle";
import { loadUnresolvedAlerts, openLoanAlert, resolveLoanAlert } from "@/lib/server/alerts/rows";
import type { Db, DbTx } from "@/lib/server/db/client";
import type { DatabaseProvider } from "@/lib/server/db/config";
import { ApiError } from "@/lib/server/http/errors";
import { ensureStartupAccounts, type StartupAccounts } from "@/lib/server/ledger/ledger";
import type { LoanRow, TransitionActor } from "@/lib/server/loans/transition";

// What freeze, unfreeze and liquidation share: finding and locking the loan in the ledger's lock
// order, who the actor is, the FROZEN/UNFROZEN alerts and the FreezeEvent's wire shape.

/** Who asks: a signed-in user, a lender API token, or the system (auto-freeze, the monitor). */
export type CollateralActor = {
  kind: "user" | "api" | "system";
  userId?: string | null;
  /** The actor's organisation (audit log); null for the system. */
  orgId: string | null;
  /** The lender API token that acted (kind "api"), recorded on the audit row and the FreezeEvent. */
  tokenId?: string | null;
};

export function loanNotFound(loanId: string): ApiError {
  return new ApiError(404, "loan_not_found", `No loan ${loanId} here.`, "loanId");
}

export function invalidRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, "invalid_request", message, param);
}

/** A reason is required from people and API callers: it goes to the audit log, the alert and the webhook. */
export function normaliseReason(reason: unknown): string {
  const text = typeof reason === "string" ? reason.trim() : "";
  if (text === "") throw invalidRequest("reason: say why (it is audited and sent to the lender's webhooks).", "reason");
  if (text.length > 500) throw invalidRequest("reason: keep it to 500 characters.", "reason");
  return text;
}

export function transitionActor(actor: CollateralActor, role: LoanActorRole): TransitionActor {
  return { role, userId: actor.userId ?? null, kind: actor.kind, orgId: actor.orgId, tokenId: actor.tokenId ?? null };
}

export type LockedLoan = {
  loan: LoanRow;
  accounts: StartupAccounts;
  spendableMicros: bigint;
  /** Holds marked (capture) or unmarked (release) for the loan; 0 when `holds` was not asked for. */
  holdsChanged: number;
};

export type HoldAction = { provider: DatabaseProvider; action: "capture" | "release"; allowSkipped: boolean };

/**
 * Finds the loan (scoped to `lenderOrgId` when given: another lender's loan is "not found") and
 * locks it in the ledger's lock order: the startup's STARTUP_SPENDABLE row first — every freeze,
 * unfreeze, liquidation, reservation and settlement of that startup's credits serialises on it —
 * then the loan row. The loan and the spendable balance are read after both locks, so what the
 * caller decides on is what it will write against.
 */
export async function lockLoanForCollateral(
  tx: DbTx,
  input: {
    loanId: string;
    lenderOrgId?: string;
    /**
     * capture: mark the startup's requests in flight to freeze their unused part for this loan (a
     * full freeze); release: unmark those marked for it (a full unfreeze or liquidation).
     */
    holds?: HoldAction;
  },
): Promise<LockedLoan> {
  if (typeof input.loanId !== "string" || input.loanId.length === 0 || input.loanId.length > 64) throw loanNotFound(String(input.loanId));
  const scope = input.lenderOrgId !== undefined ? { lenderOrgId: input.lenderOrgId } : {};
  const head = await tx.loan.findFirst({ where: { id: input.loanId, ...scope }, select: { id: true, startupOrgId: true } });
  if (!head) throw loanNotFound(input.loanId);
  const accounts = await ensureStartupAccounts(tx, head.startupOrgId);
  // Settling or voiding a hold claims the Hold row and then locks the spendable row; taking the
  // org's active holds first keeps this transaction in that same order (a request settling right
  // now finishes first, and its hold is no longer active). See markActiveHolds for the rest.
  if (input.holds) await tx.$executeRaw`UPDATE "Hold" SET "freezeLoanId" = "freezeLoanId" WHERE "orgId" = ${head.startupOrgId} AND "status" = 'ACTIVE'`;
  await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" WHERE "id" = ${accounts.spendable.id}`;
  await tx.$executeRaw`UPDATE "Loan" SET "version" = "version" WHERE "id" = ${head.id}`;
  const [loan, spendable] = await Promise.all([
    tx.loan.findUniqueOrThrow({ where: { id: head.id } }),
    tx.ledgerAccount.findUniqueOrThrow({ where: { id: accounts.spendable.id }, select: { balanceMicros: true } }),
  ]);
  let holdsChanged = 0;
  if (input.holds) {
    holdsChanged = await markActiveHolds(tx, input.holds, input.holds.action === "capture" ? { orgId: head.startupOrgId, freezeLoanId: head.id } : { orgId: head.startupOrgId, freezeLoanId: null, onlyMarkedFor: head.id });
  }
  return { loan, accounts, spendableMicros: spendable.balanceMicros, holdsChanged };
}

/** A request's settlement holds one of the holds to mark; the caller rolls back and tries again. */
export class HoldsSettlingError extends Error {
  constructor(readonly skipped: number) {
    super(`${skipped} request(s) of this organisation are settling this instant.`);
    this.name = "HoldsSettlingError";
  }
}

/**
 * Marks the startup's requests in flight to freeze what they leave unspent for `freezeLoanId` as
 * they resolve (a full freeze), or unmarks those marked for `onlyMarkedFor` (a full unfreeze or
 * liquidation) — what freezeCreditsInTx's `captureInFlight` does, without the deadlock it can run
 * into: a settlement claims its Hold row and then waits for the spendable row this transaction
 * holds, so waiting here for that Hold row would wait forever. On PostgreSQL such a hold is skipped
 * (SKIP LOCKED) and, unless `allowSkipped`, HoldsSettlingError makes the caller roll back — the
 * settlement then finishes — and try again. SQLite runs one write transaction at a time.
 */
export async function markActiveHolds(tx: DbTx, holds: Omit<HoldAction, "action">, input: { orgId: string; freezeLoanId: string | null; onlyMarkedFor?: string }): Promise<number> {
  if (holds.provider !== "postgresql") {
    const where = { orgId: input.orgId, status: "ACTIVE", ...(input.onlyMarkedFor !== undefined ? { freezeLoanId: input.onlyMarkedFor } : {}) };
    return (await tx.hold.updateMany({ where, data: { freezeLoanId: input.freezeLoanId } })).count;
  }
  let changed: number;
  let left: { n: number }[];
  if (input.onlyMarkedFor !== undefined) {
    changed = await tx.$executeRaw`UPDATE "Hold" SET "freezeLoanId" = ${input.freezeLoanId} WHERE "id" IN (SELECT "id" FROM "Hold" WHERE "orgId" = ${input.orgId} AND "status" = 'ACTIVE' AND "freezeLoanId" = ${input.onlyMarkedFor} FOR UPDATE SKIP LOCKED)`;
    left = await tx.$queryRaw`SELECT COUNT(*)::int AS "n" FROM "Hold" WHERE "orgId" = ${input.orgId} AND "status" = 'ACTIVE' AND "freezeLoanId" = ${input.onlyMarkedFor}`;
  } else {
    changed = await tx.$executeRaw`UPDATE "Hold" SET "freezeLoanId" = ${input.freezeLoanId} WHERE "id" IN (SELECT "id" FROM "Hold" WHERE "orgId" = ${input.orgId} AND "status" = 'ACTIVE' FOR UPDATE SKIP LOCKED)`;
    const active: { n: number }[] = await tx.$queryRaw`SELECT COUNT(*)::int AS "n" FROM "Hold" WHERE "orgId" = ${input.orgId} AND "status" = 'ACTIVE'`;
    left = [{ n: Number(active[0]?.n ?? 0) - changed }];
  }
  const skipped = Number(left[0]?.n ?? 0);
  if (skipped > 0 && !holds.allowSkipped) throw new HoldsSettlingError(skipped);
  return changed;
}

const MAX_ATTEMPTS = 6;

/**
 * Runs a collateral transaction, again (up to 6 times, a few ms apart) when a request was settling
 * at the very moment its hold had to be marked. The last attempt accepts the rare hold it skips:
 * that request then resolves as if it had finished just before the freeze.
 */
export async function runCollateralTransaction<T>(db: Db, run: (tx: DbTx, isLastAttempt: boolean) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => run(tx, attempt === MAX_ATTEMPTS));
    } catch (error) {
      if (!(error instanceof HoldsSettlingError) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 * attempt));
    }
  }
}

/** The loan's collateral lots (FINANCED and PLEDGED) with something left, oldest id first. */
export function loadCollateralLots(tx: DbTx, loanId: string) {
  return tx.creditLot.findMany({ where: { loanId, kind: { in: ["FINANCED", "PLEDGED"] }, remainingMicros: { gt: 0n } }, orderBy: { id: "asc" } });
}

/** "Kestrel Capital" for a lender's user or token, "auto-freeze" for the system. */
export async function actorDisplayName(tx: DbTx, actor: CollateralActor): Promise<string> {
  if (actor.kind === "system" || !actor.orgId) return "auto-freeze";
  const org = await tx.organization.findUnique({ where: { id: actor.orgId }, select: { name: true } });
  return org?.name ?? "the lender";
}

/**
 * The FROZEN / UNFROZEN alerts after a freeze or unfreeze (lib/domain/alerts/freeze-alerts.ts):
 * a freeze opens FROZEN (one open per loan, `openKey = loanId:FROZEN`) and resolves UNFROZEN; an
 * unfreeze opens UNFROZEN and resolves FROZEN once nothing is frozen. Rows and webhooks through
 * lib/server/alerts/rows.ts, in the caller's transaction (which holds the loan's row lock).
 */
export async function applyFreezeAlerts(
  tx: DbTx,
  input: { loan: LoanRow; action: "FREEZE" | "UNFREEZE"; amountMicros: bigint; frozenAfterMicros: bigint; actorName: string; reason: string; coverageBps: number | null; now: Date },
): Promise<{ opened: string[]; resolved: string[] }> {
  const { loan, now, coverageBps } = input;
  if (!loan.lenderOrgId) return { opened: [], resolved: [] };
  const open = await loadUnresolvedAlerts(tx, loan.id);
  const changes = evaluateFreezeAlerts({ action: input.action, frozenAfterMicros: input.frozenAfterMicros, openKinds: open.map((alert) => alert.kind).filter(isAlertKind) });
  const resolved: string[] = [];
  for (const alert of open.filter((row) => (changes.resolve as string[]).includes(row.kind))) {
    await resolveLoanAlert(tx, { loan, alert, coverageBps, now });
    resolved.push(alert.id);
  }
  const opened: string[] = [];
  for (const kind of changes.open) {
    const message =
      kind === "FROZEN"
        ? alertMessage({ kind, amountMicros: input.amountMicros, actor: input.actorName, reason: input.reason })
        : alertMessage({ kind: "UNFROZEN", amountMicros: input.amountMicros, actor: input.actorName, frozenAfterMicros: input.frozenAfterMicros, reason: input.reason });
    opened.push(await openLoanAlert(tx, { loan, kind, message, coverageBps, now }));
  }
  return { opened, resolved };
}

/** A closed loan keeps no unresolved alert: each one left is resolved (and announced). */
export async function resolveAllOpenAlerts(tx: DbTx, loan: LoanRow, input: { coverageBps: number | null; now: Date }): Promise<string[]> {
  const open = await loadUnresolvedAlerts(tx, loan.id);
  for (const alert of open) await resolveLoanAlert(tx, { loan, alert, coverageBps: input.coverageBps, now: input.now });
  return open.map((alert) => alert.id);
}

// ───────────────────────────── FreezeEvent on the wire ─────────────────────────────

export type FreezeEventRow = Awaited<ReturnType<DbTx["freezeEvent"]["findUniqueOrThrow"]>>;

export type FreezeEventDto = {
  id: string;
  loanId: string;
  action: string;
  mode: string;
  requestedMicros: string | null;
  amountMicros: string;
  actorKind: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  reason: string;
  requestedAt: string;
  committedAt: string;
  latencyMs: number;
};

/** Money as strings of µUSD, times as ISO 8601. */
export function serializeFreezeEvent(event: FreezeEventRow): FreezeEventDto {
  return {
    id: event.id,
    loanId: event.loanId,
    action: event.action,
    mode: event.mode,
    requestedMicros: event.requestedMicros === null ? null : event.requestedMicros.toString(),
    amountMicros: event.amountMicros.toString(),
    actorKind: event.actorKind,
    actorUserId: event.actorUserId,
    actorTokenId: event.actorTokenId,
    reason: event.reason,
    requestedAt: event.requestedAt.toISOString(),
    committedAt: event.committedAt.toISOString(),
    latencyMs: event.latencyMs,
  };
}

/** committedAt − requestedAt in whole ms, never negative (a request stamped by a skewed clock). */
export function latencyMsBetween(requestedAt: Date, committedAt: Date): number {
  const ms = committedAt.getTime() - requestedAt.getTime();
  return ms > 0 ? Math.min(ms, 2_147_483_647) : 0;
}
