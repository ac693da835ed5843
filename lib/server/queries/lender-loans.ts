import "@/lib/server/server-only";
import { freezableMicros, type LotBalance } from "@/lib/domain/ledger/lots";
import { isCollateralLive, MARGIN_CALL_HYSTERESIS_BPS } from "@/lib/domain/loans/lifecycle";
import { holdAdmission } from "@/lib/domain/ledger/admission";
import { valueAtMarkMicros, type LiquidationPlan } from "@/lib/domain/valuation";
import { planLoanLiquidation } from "@/lib/server/collateral/liquidate";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { indexFixOn, loadLoanFigures, protectiveFreezeFor, type LoanFigures } from "@/lib/server/loans/figures";
import type { LoanRow } from "@/lib/server/loans/transition";
import { checkAdmission, serializeAdmissionCheck } from "@/lib/server/routing/admission-check";

// A lender's loans and alerts, as the lender API and the lender's screens read them. Every query
// takes the lender's organisation and puts it in the `where`: another lender's loan or alert
// reads as not found, a foreign paging cursor as an invalid one. Money leaves as strings of µUSD.

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const ALERT_STATES = ["OPEN", "ACKNOWLEDGED", "RESOLVED"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export type Page<T> = { data: T[]; hasMore: boolean; nextCursor: string | null };
type PageInput = { limit?: number; startingAfter?: string | null };

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new ApiError(400, "invalid_request", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, "limit");
  return limit;
}

function invalidCursor(): ApiError {
  return new ApiError(400, "invalid_request", "startingAfter is not an id from this list.", "startingAfter");
}

/** Rows strictly after the cursor row in (time desc, id desc) order: a keyset, stable under inserts. */
function after<K extends string>(field: K, cursor: { id: string } & Record<K, Date>) {
  return { OR: [{ [field]: { lt: cursor[field] } }, { [field]: cursor[field], id: { lt: cursor.id } }] };
}

function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
}

const s = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());

export type LenderLoanSummaryDto = ReturnType<typeof summarise>;

function summarise(loan: LoanRow & { startup: { name: string } }, figures: LoanFigures | null) {
  return {
    id: loan.id,
    reference: loan.reference,
    startupName: loan.startup.name,
    state: loan.state,
    principalMicros: s(loan.principalMicros),
    principalOutstandingMicros: s(figures?.principalOutstandingMicros ?? loan.principalOutstandingMicros),
    interestAccruedMicros: s(figures?.interestAccruedMicros ?? loan.interestAccruedMicros),
    debtMicros: s(figures?.debtMicros ?? loan.principalOutstandingMicros + loan.interestAccruedMicros),
    /** Only an open loan has collateral; null once it is closed (its credits are the startup's own). */
    collateralMicros: s(figures?.collateralMicros),
    frozenMicros: s(figures?.frozenCollateralMicros),
    markPpm: figures?.markPpm ?? null,
    /** null = infinite (no debt) on an open loan, or no figures on a closed one. */
    coverageBps: figures?.coverageBps ?? null,
    maintenanceBps: loan.maintenanceCoverageBps,
    liquidationBps: loan.liquidationCoverageBps,
    lossMicros: s(loan.lossMicros),
    activatedAt: loan.activatedAt?.toISOString() ?? null,
    closedAt: loan.closedAt?.toISOString() ?? null,
  };
}

/** Figures at `now` for open loans (closed loans carry none); one index read for the whole page. */
async function figuresFor(db: Db, loans: LoanRow[], now: Date): Promise<Map<string, LoanFigures>> {
  const open = loans.filter((loan) => isCollateralLive(loan.state));
  if (open.length === 0) return new Map();
  const indexNowMicros = await indexFixOn(db, now);
  const figures = await Promise.all(open.map((loan) => loadLoanFigures(db, loan, now, { indexNowMicros })));
  return new Map(open.map((loan, i) => [loan.id, figures[i]]));
}

/** The lender's loans, newest first, with live coverage, debt and collateral; `state` filters. */
export async function listLenderLoanPage(db: Db, lenderOrgId: string, input: PageInput & { state?: string | null; now?: Date } = {}): Promise<Page<LenderLoanSummaryDto>> {
  const limit = pageSize(input.limit);
  let cursorWhere = {};
  if (input.startingAfter) {
    const cursor = await db.loan.findFirst({ where: { id: input.startingAfter, lenderOrgId }, select: { id: true, createdAt: true } });
    if (!cursor) throw invalidCursor();
    cursorWhere = after("createdAt", cursor);
  }
  const loans = await db.loan.findMany({
    where: { lenderOrgId, ...(input.state ? { state: input.state } : {}), ...cursorWhere },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: { startup: { select: { name: true } } },
  });
  const page = toPage(loans, limit);
  const figures = await figuresFor(db, page.data, input.now ?? new Date());
  return { ...page, data: page.data.map((loan) => summarise(loan, figures.get(loan.id) ?? null)) };
}

/** A liquidation plan on the wire (money as strings of µUSD): what Liquidate would do right now. */
function serializeLiquidationPlan(plan: LiquidationPlan) {
  const w = plan.waterfall;
  return {
    scope: plan.scope,
    /** PARTIAL: R = maintenance + 5 points, the coverage the sale restores; FULL: null. */
    targetBps: plan.targetBps,
    requiredMicros: s(plan.requiredMicros),
    soldMicros: s(plan.soldMicros),
    soldFromFrozenMicros: s(plan.soldFromFrozenMicros),
    frozenForSaleMicros: s(plan.frozenForSaleMicros),
    returnedMicros: s(plan.returnedMicros),
    isTargetRestored: plan.isTargetRestored,
    proceedsMicros: s(w.proceedsMicros),
    interestPaidMicros: s(w.interestPaidMicros),
    principalPaidMicros: s(w.principalPaidMicros),
    surplusMicros: s(w.surplusMicros),
    lossMicros: s(w.lossMicros),
    platformRevenueMicros: s(w.platformRevenueMicros),
    collateralAfterMicros: s(plan.collateralAfterMicros),
    frozenAfterMicros: s(plan.frozenAfterMicros),
    debtAfterMicros: s(plan.debtAfterMicros),
    coverageAfterBps: plan.coverageAfterBps,
    inFlightMicros: s(plan.inFlightMicros),
    /** FULL: the sale would leave a loss while requests in flight still hold collateral: the service refuses (409 collateral_in_flight) until they finish. */
    isBlockedByInFlight: plan.isBlockedByInFlight,
  };
}

export type LiquidationPlanDto = ReturnType<typeof serializeLiquidationPlan>;

/**
 * Whose loans a loan query reads: one lender's (another lender's loan reads as not found), or the
 * whole platform's (an admin's read-only desk). The caller decides the scope from the viewer's role.
 */
export type LoanScope = { kind: "lender"; lenderOrgId: string } | { kind: "platform" };

/** The scope's condition on Loan, for the `where` of every loan read. */
export function loanScopeWhere(scope: LoanScope): { lenderOrgId?: string } {
  return scope.kind === "lender" ? { lenderOrgId: scope.lenderOrgId } : {};
}

/** One of the lender's loans with everything a risk desk decides on; another lender's is a 404. */
export async function getLenderLoanOrThrow(db: Db, lenderOrgId: string, loanId: string, now = new Date()) {
  return getScopedLoanOrThrow(db, { kind: "lender", lenderOrgId }, loanId, now);
}

/** One loan within the scope with everything a risk desk decides on; outside it (or none) is a 404. */
export async function getScopedLoanOrThrow(db: Db, scope: LoanScope, loanId: string, now = new Date()) {
  const loan = typeof loanId === "string" && loanId.length <= 64 ? await db.loan.findFirst({ where: { id: loanId, ...loanScopeWhere(scope) }, include: { startup: { select: { name: true } } } }) : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${loanId} here.`, "loanId");
  const isOpen = isCollateralLive(loan.state);
  const figures = isOpen ? await loadLoanFigures(db, loan, now) : null;
  let collateral = null;
  let borrowerCredits = null;
  let liquidationPreview = null;
  if (figures) {
    const [lots, balances] = await Promise.all([
      db.creditLot.findMany({ where: { loanId: loan.id, kind: { in: ["FINANCED", "PLEDGED"] }, remainingMicros: { gt: 0n } } }) as Promise<LotBalance[]>,
      getCreditBalances(db, loan.startupOrgId),
    ]);
    const unfrozen = freezableMicros(lots);
    const spendable = balances.spendableMicros;
    const freezableNow = unfrozen < spendable ? unfrozen : spendable;
    const protective = protectiveFreezeFor(loan, figures);
    collateral = {
      totalMicros: s(figures.collateralMicros),
      frozenMicros: s(figures.frozenCollateralMicros),
      unfrozenMicros: s(unfrozen),
      /** What a freeze can take this instant: unfrozen collateral not held by requests in flight. */
      freezableNowMicros: s(freezableNow),
      financedMicros: s(lots.filter((lot) => lot.kind === "FINANCED").reduce((sum, lot) => sum + lot.remainingMicros, 0n)),
      pledgedMicros: s(lots.filter((lot) => lot.kind === "PLEDGED").reduce((sum, lot) => sum + lot.remainingMicros, 0n)),
      /** C × mark, the exact mark, rounded down once. */
      valueAtMarkMicros: s(valueAtMarkMicros(figures.collateralMicros, figures.mark)),
      /** min(C, ⌈debt_T × maintenance / mark⌉): what a PROTECTIVE freeze brings the frozen credits to. */
      protectiveFreezeMicros: s(protective.amountMicros),
      /** debt_T: the debt projected with interest to the end of the cure window, which the protective amount covers at maintenance. */
      protectiveDebtMicros: s(protective.debtAtCureEndMicros),
      /** The end of the cure window debt_T is projected to (an open margin call's deadline, else now + the loan's cure window). */
      cureWindowEndsAt: protective.cureWindowEndsAt.toISOString(),
    };
    /** The borrower's credits (its own outside the loan included): what its routing API can spend. */
    borrowerCredits = {
      spendableMicros: s(balances.spendableMicros),
      heldMicros: s(balances.heldMicros),
      frozenMicros: s(balances.frozenMicros),
      /** Spendable credits that are not the loan's collateral: what a full freeze leaves the borrower. */
      ownSpendableMicros: s(spendable - freezableNow),
      /** The routing API's decision for the smallest request now (the same condition as its hold; see admission). */
      admission: (() => {
        const decision = holdAdmission({ spendableMicros: balances.spendableMicros, frozenMicros: balances.frozenMicros });
        return { isAdmitted: decision.isAdmitted, code: decision.isAdmitted ? null : decision.code };
      })(),
    };
    /** What Liquidate would do now, by the service's own plan (planLoanLiquidation); only a FROZEN loan can be liquidated. */
    liquidationPreview =
      figures.debtMicros > 0n
        ? {
            partial: serializeLiquidationPlan(planLoanLiquidation("PARTIAL", figures, loan, freezableNow)),
            full: serializeLiquidationPlan(planLoanLiquidation("FULL", figures, loan, freezableNow)),
          }
        : null;
  }
  const freezeEvents = await db.freezeEvent.findMany({ where: { loanId: loan.id }, orderBy: [{ committedAt: "desc" }, { id: "desc" }], take: 10 });
  return {
    ...summarise(loan, figures),
    asOf: now.toISOString(),
    collateral,
    borrowerCredits,
    liquidationPreview,
    debt: {
      principalOutstandingMicros: s(figures?.principalOutstandingMicros ?? loan.principalOutstandingMicros),
      interestAccruedMicros: s(figures?.interestAccruedMicros ?? loan.interestAccruedMicros),
      totalMicros: s(figures?.debtMicros ?? loan.principalOutstandingMicros + loan.interestAccruedMicros),
    },
    valuation: {
      /** The mark in ppm, rounded down, for display; every figure here is computed with the exact ratio. */
      markPpm: figures?.markPpm ?? null,
      indexNowMicros: s(figures?.indexNowMicros),
      indexAtOriginationMicros: s(loan.indexAtOriginationMicros),
      redistributionFeeBps: loan.redistributionFeeBps,
    },
    thresholds: {
      initialBps: loan.initialCoverageBps,
      /** Leaving a margin call (and a partial liquidation's target) needs maintenance + this. */
      hysteresisBps: MARGIN_CALL_HYSTERESIS_BPS,
      maintenanceBps: loan.maintenanceCoverageBps,
      liquidationBps: loan.liquidationCoverageBps,
      earlyWarningBps: loan.earlyWarningBps
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .map(Number),
      autoFreeze: loan.autoFreeze,
      cureWindowHours: loan.cureWindowHours,
    },
    terms: { aprBps: loan.aprBps, termMonths: loan.termMonths, multiplierBps: loan.multiplierBps, gracePeriodDays: loan.gracePeriodDays },
    marginCall: { marginCallAt: loan.marginCallAt?.toISOString() ?? null, cureDeadline: loan.cureDeadline?.toISOString() ?? null },
    recentFreezeEvents: freezeEvents.map((event) => ({
      id: event.id,
      action: event.action,
      mode: event.mode,
      requestedMicros: s(event.requestedMicros),
      amountMicros: s(event.amountMicros),
      actorKind: event.actorKind,
      reason: event.reason,
      requestedAt: event.requestedAt.toISOString(),
      committedAt: event.committedAt.toISOString(),
      latencyMs: event.latencyMs,
    })),
  };
}

export type LenderAlertDto = Awaited<ReturnType<typeof listLenderAlertPage>>["data"][number];

/** The lender's alerts, newest first; filter by state and loan. */
export async function listLenderAlertPage(db: Db, lenderOrgId: string, input: PageInput & { state?: AlertState | null; loanId?: string | null } = {}) {
  const limit = pageSize(input.limit);
  let cursorWhere = {};
  if (input.startingAfter) {
    const cursor = await db.alert.findFirst({ where: { id: input.startingAfter, lenderOrgId }, select: { id: true, openedAt: true } });
    if (!cursor) throw invalidCursor();
    cursorWhere = after("openedAt", cursor);
  }
  const alerts = await db.alert.findMany({
    where: { lenderOrgId, ...(input.state ? { state: input.state } : {}), ...(input.loanId ? { loanId: input.loanId } : {}), ...cursorWhere },
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: { loan: { select: { reference: true } } },
  });
  const page = toPage(alerts, limit);
  return {
    ...page,
    data: page.data.map((alert) => ({
      id: alert.id,
      loanId: alert.loanId,
      loanReference: alert.loan.reference,
      kind: alert.kind,
      severity: alert.severity,
      state: alert.state,
      message: alert.message,
      coverageBps: alert.coverageBps,
      openedAt: alert.openedAt.toISOString(),
      acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    })),
  };
}

/** One loan as the lender's loan page and the lender API's loan endpoint read it (money as µUSD strings). */
export type LenderLoanDetailDto = Awaited<ReturnType<typeof getScopedLoanOrThrow>>;

/**
 * The live enforcement check of one of the lender's loans: would the routing API admit a request
 * from its borrower right now? No model is called and nothing is reserved. Another lender's loan is a 404.
 */
export async function checkLenderLoanEnforcementOrThrow(db: Db, lenderOrgId: string, loanId: string, now = new Date()) {
  const loan = typeof loanId === "string" && loanId.length <= 64 ? await db.loan.findFirst({ where: { id: loanId, lenderOrgId }, select: { id: true, startupOrgId: true } }) : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${loanId} here.`, "loanId");
  return { loanId: loan.id, ...serializeAdmissionCheck(await checkAdmission(db, loan.startupOrgId, now)) };
}

export type LoanEnforcementDto = Awaited<ReturnType<typeof checkLenderLoanEnforcementOrThrow>>;
