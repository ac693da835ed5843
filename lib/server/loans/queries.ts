import "@/lib/server/server-only";
import { z } from "zod";
import { unfrozenMicros } from "@/lib/domain/ledger/lots";
import { isCollateralLive, OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { formatMicros } from "@/lib/domain/money";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError, zodIssueMessage } from "@/lib/server/http/errors";
import { getSpendableMicros } from "@/lib/server/ledger/ledger";
import { recomputeCoverage, type RecomputeCoverageResult } from "@/lib/server/valuation/coverage";
import { loadLoanFigures } from "./figures";
import type { LoanRow, TransitionActor } from "./transition";

// Reads behind the financing workflow (apply, approve, pay, pledge) and the scoping every service
// here shares: a startup sees only its own loans (a foreign id reads as "not found"), an admin sees
// all. Money leaves as strings of µUSD.

/** Who calls a loan service: a startup's user (its own loans only) or a platform admin (any loan). */
export type LoanCaller = {
  role: "startup" | "admin";
  userId: string | null;
  /** The caller's organisation: the startup, or the platform. */
  orgId: string;
  kind?: "user" | "api";
};

export function loanNotFound(loanId: string): ApiError {
  return new ApiError(404, "loan_not_found", `No loan ${loanId} here.`, "loanId");
}

/** The `where` that keeps a caller to the loans it may touch. */
export function loanScope(caller: LoanCaller): { startupOrgId?: string } {
  return caller.role === "admin" ? {} : { startupOrgId: caller.orgId };
}

function checkLoanId(loanId: unknown): string {
  if (typeof loanId !== "string" || loanId.length === 0 || loanId.length > 64) throw loanNotFound(String(loanId));
  return loanId;
}

/** The loan's id and borrower if the caller may see it; otherwise "not found" (never "forbidden"). */
export async function findCallerLoanHeadOrThrow(db: Db | DbTx, caller: LoanCaller, loanId: string): Promise<{ id: string; startupOrgId: string; reference: string }> {
  const id = checkLoanId(loanId);
  const head = await db.loan.findFirst({ where: { id, ...loanScope(caller) }, select: { id: true, startupOrgId: true, reference: true } });
  if (!head) throw loanNotFound(id);
  return head;
}

/**
 * Locks the loan row alone (a no-op write) and reads it: for changes that touch no credits
 * (withdraw, reject, the overdue sweep). Anything that moves credits locks the startup's spendable
 * row first instead (lockLoanForCollateral), the ledger's lock order.
 */
export async function lockLoanRow(tx: DbTx, loanId: string): Promise<LoanRow> {
  const locked = await tx.$executeRaw`UPDATE "Loan" SET "version" = "version" WHERE "id" = ${loanId}`;
  if (locked !== 1) throw loanNotFound(loanId);
  return tx.loan.findUniqueOrThrow({ where: { id: loanId } });
}

/** The caller as transitionLoan records it; derived transitions (cure, repaid) pass role "system" and keep the user who caused them. */
export function transitionActorOf(caller: LoanCaller, role: LoanCaller["role"] | "system" = caller.role): TransitionActor {
  return { role, userId: caller.userId, kind: caller.kind ?? "user", orgId: caller.orgId };
}

/**
 * The startup's own credits it may pledge now: unfrozen PURCHASED lots, and never more than is
 * spendable (what in-flight requests hold may be spent before it could ever be frozen).
 */
export async function ownPledgeableMicros(db: Db | DbTx, orgId: string): Promise<bigint> {
  const [lots, spendable] = await Promise.all([
    db.creditLot.findMany({ where: { orgId, kind: "PURCHASED", remainingMicros: { gt: 0n } }, select: { remainingMicros: true, frozenMicros: true } }),
    getSpendableMicros(db, orgId),
  ]);
  const purchased = lots.reduce((sum, lot) => sum + unfrozenMicros(lot), 0n);
  return purchased < spendable ? purchased : spendable;
}

/**
 * After an approval, payment or pledge commits: coverage is recomputed (a snapshot, margin-call
 * state, alerts, auto-freeze). Its failure does not undo what committed — the periodic monitor
 * recomputes every open loan anyway — so it is logged and reported as null, not thrown.
 */
export async function recomputeCoverageAfterCommit(db: Db, input: { loanId: string; reason: string; now: Date }): Promise<RecomputeCoverageResult | null> {
  try {
    return await recomputeCoverage(db, input);
  } catch (error) {
    console.error(`coverage recompute of loan ${input.loanId} after ${input.reason} failed; the monitor will retry`, error);
    return null;
  }
}

// ───────────────────────────── Input at the edge ─────────────────────────────

/** "$1.000000": every µUSD shown, so an amount in an error message can be paid exactly. */
export function usd(micros: bigint): string {
  return formatMicros(micros, { decimals: 6 });
}

/**
 * Money in: a string of whole µUSD (how JSON and forms carry it) or a bigint (already parsed), within
 * [min, max]. Accepting both lets a service re-validate what an action parsed.
 */
export function microsField(options: { min: bigint; max: bigint }) {
  return z.union([z.string(), z.bigint()], { error: 'give whole micro-dollars as a string of digits, like "1000000" for $1.' }).transform((value, ctx) => {
    const text = typeof value === "bigint" ? value.toString() : value.trim();
    if (!/^\d{1,19}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: 'give whole micro-dollars as a string of digits, like "1000000" for $1.' });
      return z.NEVER;
    }
    const micros = BigInt(text);
    if (micros < options.min) {
      ctx.addIssue({ code: "custom", message: options.min === 1n ? "must be more than $0." : `must be at least ${usd(options.min)}.` });
      return z.NEVER;
    }
    if (micros > options.max) {
      ctx.addIssue({ code: "custom", message: `must be at most ${usd(options.max)}.` });
      return z.NEVER;
    }
    return micros;
  });
}

/** Parses a service's input; a refusal is a 400 naming the field, and nothing has been written. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { message, param } = zodIssueMessage(parsed.error);
  throw new ApiError(400, "invalid_request", message, param);
}

// ───────────────────────────── Reads ─────────────────────────────

/** Limit less the principal outstanding on the facility's open loans (what "deployed" shows the lender). */
export async function facilityHeadroomMicros(db: Db | DbTx, facility: { id: string; limitMicros: bigint }): Promise<bigint> {
  const open = await db.loan.findMany({ where: { facilityId: facility.id, state: { in: [...OPEN_LOAN_STATES] } }, select: { principalOutstandingMicros: true } });
  return facility.limitMicros - open.reduce((sum, loan) => sum + loan.principalOutstandingMicros, 0n);
}

const s = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());
const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

/** A Loan row on the wire: money as strings of µUSD, times as ISO 8601. */
export function serializeLoan(loan: LoanRow) {
  return {
    id: loan.id,
    reference: loan.reference,
    state: loan.state,
    startupOrgId: loan.startupOrgId,
    lenderOrgId: loan.lenderOrgId,
    facilityId: loan.facilityId,
    principalMicros: s(loan.principalMicros),
    multiplierBps: loan.multiplierBps,
    termMonths: loan.termMonths,
    pledgedMicros: s(loan.pledgedMicros),
    purpose: loan.purpose,
    plannedBurnMicrosPerDay: s(loan.plannedBurnMicrosPerDay),
    aprBps: loan.aprBps,
    initialCoverageBps: loan.initialCoverageBps,
    maintenanceCoverageBps: loan.maintenanceCoverageBps,
    liquidationCoverageBps: loan.liquidationCoverageBps,
    earlyWarningBps: loan.earlyWarningBps,
    autoFreeze: loan.autoFreeze,
    cureWindowHours: loan.cureWindowHours,
    gracePeriodDays: loan.gracePeriodDays,
    indexAtOriginationMicros: s(loan.indexAtOriginationMicros),
    principalOutstandingMicros: s(loan.principalOutstandingMicros),
    interestAccruedMicros: s(loan.interestAccruedMicros),
    interestAccruedThrough: iso(loan.interestAccruedThrough),
    lastCoverageBps: loan.lastCoverageBps,
    rejectionReason: loan.rejectionReason,
    submittedAt: iso(loan.submittedAt),
    decidedAt: iso(loan.decidedAt),
    activatedAt: iso(loan.activatedAt),
    closedAt: iso(loan.closedAt),
    marginCallAt: iso(loan.marginCallAt),
    cureDeadline: iso(loan.cureDeadline),
    version: loan.version,
  };
}

export type LoanDto = ReturnType<typeof serializeLoan>;

type InstallmentRow = Awaited<ReturnType<Db["installment"]["findFirstOrThrow"]>>;
type PaymentRow = Awaited<ReturnType<Db["payment"]["findFirstOrThrow"]>>;

export function serializeInstallment(installment: InstallmentRow) {
  return {
    seq: installment.seq,
    dueDate: installment.dueDate.toISOString().slice(0, 10),
    amountMicros: s(installment.amountMicros),
    interestMicros: s(installment.interestMicros),
    principalMicros: s(installment.principalMicros),
    paidMicros: s(installment.paidMicros),
    status: installment.status,
    paidAt: iso(installment.paidAt),
  };
}

export function serializePayment(payment: PaymentRow) {
  return {
    id: payment.id,
    loanId: payment.loanId,
    amountMicros: s(payment.amountMicros),
    interestMicros: s(payment.interestMicros),
    principalMicros: s(payment.principalMicros),
    paidAt: payment.paidAt.toISOString(),
    recordedById: payment.recordedById,
  };
}

/** One loan with its schedule and payments, for its borrower or an admin; anyone else: not found. */
export async function getLoanForCallerOrThrow(db: Db, caller: LoanCaller, loanId: string) {
  const head = await findCallerLoanHeadOrThrow(db, caller, loanId);
  const loan = await db.loan.findUniqueOrThrow({
    where: { id: head.id },
    include: { installments: { orderBy: { seq: "asc" } }, payments: { orderBy: [{ paidAt: "asc" }, { id: "asc" }] }, lender: { select: { name: true } }, facility: { select: { name: true } } },
  });
  return loan;
}

/**
 * What the loan owes right now (interest accrued to `now`): the figure a "pay off" button sends.
 * Closed or undisbursed loans owe nothing.
 */
export async function getPayoffQuote(db: Db, caller: LoanCaller, loanId: string, now: Date) {
  const head = await findCallerLoanHeadOrThrow(db, caller, loanId);
  const loan = await db.loan.findUniqueOrThrow({ where: { id: head.id } });
  if (!isCollateralLive(loan.state)) return { loanId: loan.id, asOf: now.toISOString(), principalOutstandingMicros: "0", interestAccruedMicros: "0", debtMicros: "0" };
  const figures = await loadLoanFigures(db, loan, now);
  return {
    loanId: loan.id,
    asOf: now.toISOString(),
    principalOutstandingMicros: s(figures.principalOutstandingMicros)!,
    interestAccruedMicros: s(figures.interestAccruedMicros)!,
    debtMicros: s(figures.debtMicros)!,
  };
}

/** The startup's own loans and applications, newest first. */
export function listLoansOfStartup(db: Db, startupOrgId: string) {
  return db.loan.findMany({ where: { startupOrgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { lender: { select: { name: true } } } });
}

/** The admin's approval queue: applications waiting for a decision, oldest first, with what each startup could pledge now. */
export async function listPendingApplications(db: Db) {
  const loans = await db.loan.findMany({ where: { state: "SUBMITTED" }, orderBy: [{ submittedAt: "asc" }, { id: "asc" }], include: { startup: { select: { name: true } } } });
  return Promise.all(loans.map(async (loan) => ({ loan, startupName: loan.startup.name, ownPledgeableMicros: await ownPledgeableMicros(db, loan.startupOrgId) })));
}

/** Every facility with its lender and what is left to lend on it. */
export async function listFacilitiesWithHeadroom(db: Db) {
  const facilities = await db.lenderFacility.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], include: { lender: { select: { name: true } } } });
  return Promise.all(facilities.map(async (facility) => ({ facility, lenderName: facility.lender.name, headroomMicros: await facilityHeadroomMicros(db, facility) })));
}
