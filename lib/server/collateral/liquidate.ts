import "@/lib/server/server-only";
import { freezableMicros, planUnfreeze, type LotBalance } from "@/lib/domain/ledger/lots";
import { type LoanState } from "@/lib/domain/loans/lifecycle";
import { formatMicros } from "@/lib/domain/money";
import { allocatePaymentToInstallments, INSTALLMENT_WRITTEN_OFF, installmentStatuses } from "@/lib/domain/loans/schedule";
import { planLiquidation, type LiquidationPlan, type LiquidationWaterfall } from "@/lib/domain/valuation";
import type { Db, DbTx } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { providerOfDb } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { recordDisbursementIfMissing } from "@/lib/server/loans/payments";
import { applyCoverageAlerts, type AlertOutcome } from "@/lib/server/alerts/evaluate";
import { loadUnresolvedAlerts } from "@/lib/server/alerts/rows";
import { ensureAccount, freezeCreditsInTx, postTransfers, unfreezeCreditsInTx, type StartupAccounts, type TransferSpec } from "@/lib/server/ledger/ledger";
import { loadLoanFigures, persistAccrual, type LoanFigures } from "@/lib/server/loans/figures";
import { transitionLoan, type LoanRow } from "@/lib/server/loans/transition";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import { loadCollateralLots, lockLoanForCollateral, normaliseReason, runCollateralTransaction, resolveAllOpenAlerts, invalidRequest, transitionActor, type CollateralActor } from "./shared";

// Liquidation (DESIGN.md, "Freeze, unfreeze, liquidation"): frozen credits are sold to the
// secondary pool at the mark; the proceeds pay accrued interest, then principal. One transaction:
// the sale (credits and lots), the cash, the loan's balances and state, installments, a coverage
// snapshot, the audit row and the lender's webhook. The accounting is explained in ./README.md.

export const LIQUIDATION_SCOPES = ["FULL", "PARTIAL"] as const;
export type LiquidationScope = (typeof LIQUIDATION_SCOPES)[number];

export type LiquidateInput = {
  loanId: string;
  scope: LiquidationScope;
  /** The lender (its user) or a platform admin; `role` decides what the lifecycle allows. */
  actor: CollateralActor & { role: "lender" | "admin" };
  reason: string;
  /** When given, the loan must belong to this lender: another lender's loan is "not found" (404). */
  lenderOrgId?: string;
  /** The valuation instant (interest accrual, index fix); the clock by default. Tests pin it. */
  now?: Date;
};

export type LiquidationResult = {
  liquidationId: string;
  loanId: string;
  reference: string;
  scope: LiquidationScope;
  fromState: LoanState | null;
  state: LoanState;
  markPpm: number;
  /** Before the sale, with interest accrued through `now`. */
  collateralBeforeMicros: bigint;
  frozenBeforeMicros: bigint;
  debtBeforeMicros: bigint;
  coverageBeforeBps: number | null;
  /** PARTIAL: R = maintenance + hysteresis, the coverage the sale restores; FULL: null. */
  targetBps: number | null;
  /** Credits sold to the secondary pool: frozen ones first, then the rest of the collateral. */
  soldMicros: bigint;
  soldFromFrozenMicros: bigint;
  /** Unfrozen collateral frozen in the same transaction and sold (0 when the frozen credits sufficed). */
  frozenForSaleMicros: bigint;
  /** The least sale reaching the goal without a cap (PARTIAL: coverage ≥ R; FULL: pays the debt); null: no sale can. */
  requiredMicros: bigint | null;
  /** PARTIAL: does the sale bring coverage back to R? FULL: does it pay the whole debt? */
  isTargetRestored: boolean;
  /** PARTIAL: an open margin call was closed (coverage ≥ maintenance + 5 points). */
  isMarginCallClosed: boolean;
  waterfall: LiquidationWaterfall;
  /** FULL: frozen credits the sale did not need, unfrozen back to the startup (its surplus). */
  returnedMicros: bigint;
  collateralAfterMicros: bigint;
  frozenAfterMicros: bigint;
  debtAfterMicros: bigint;
  coverageAfterBps: number | null;
};

type CashAccounts = {
  pool: Awaited<ReturnType<typeof ensureAccount>>;
  revenue: Awaited<ReturnType<typeof ensureAccount>>;
  external: Awaited<ReturnType<typeof ensureAccount>>;
  receivable: Awaited<ReturnType<typeof ensureAccount>>;
  lenderCash: Awaited<ReturnType<typeof ensureAccount>>;
  loss: Awaited<ReturnType<typeof ensureAccount>>;
  startupCash: Awaited<ReturnType<typeof ensureAccount>>;
};

async function ensureLiquidationAccounts(tx: DbTx, loan: LoanRow): Promise<CashAccounts> {
  const lender = { orgId: loan.lenderOrgId };
  return {
    pool: await ensureAccount(tx, "SECONDARY_POOL", {}),
    revenue: await ensureAccount(tx, "PLATFORM_REVENUE", {}),
    external: await ensureAccount(tx, "CASH_EXTERNAL", {}),
    receivable: await ensureAccount(tx, "LOAN_RECEIVABLE", { orgId: loan.lenderOrgId, loanId: loan.id }),
    lenderCash: await ensureAccount(tx, "LENDER_CASH", lender),
    loss: await ensureAccount(tx, "LOSS", { orgId: loan.lenderOrgId, loanId: loan.id }),
    startupCash: await ensureAccount(tx, "STARTUP_CASH", { orgId: loan.startupOrgId }),
  };
}

/**
 * The liquidation plan for a loan at its figures (lib/domain/valuation `planLiquidation`): what the
 * service sells and the lender's preview shows, from the same inputs. Credits are taken frozen
 * first, then from the rest of the collateral that can be frozen now (`freezableNowMicros` =
 * min(unfrozen collateral, the startup's spendable balance): credits held by requests in flight
 * cannot move).
 * PARTIAL: the least sale restoring maintenance + hysteresis (so the margin call closes). FULL: the
 * least sale whose proceeds pay the whole debt; unneeded frozen credits return to the startup.
 */
export function planLoanLiquidation(scope: LiquidationScope, figures: LoanFigures, loan: Pick<LoanRow, "maintenanceCoverageBps">, freezableNowMicros: bigint): LiquidationPlan {
  return planLiquidation({
    scope,
    collateralMicros: figures.collateralMicros,
    frozenMicros: figures.frozenCollateralMicros,
    freezableNowMicros,
    interestAccruedMicros: figures.interestAccruedMicros,
    principalOutstandingMicros: figures.principalOutstandingMicros,
    maintenanceBps: loan.maintenanceCoverageBps,
    mark: figures.mark,
  });
}

/** STARTUP_FROZEN → SECONDARY_POOL and the lots' frozen and remaining parts, pledge first (the unfreeze order). */
async function sellFrozenCredits(tx: DbTx, input: { loan: LoanRow; accounts: StartupAccounts; pool: CashAccounts["pool"]; soldMicros: bigint; liquidationId: string }) {
  const { loan, soldMicros } = input;
  await postTransfers(
    tx,
    [{ idempotencyKey: `liquidation:${input.liquidationId}:sale`, kind: "LIQUIDATE", debitAccountId: input.accounts.frozen.id, creditAccountId: input.pool.id, amountMicros: soldMicros, orgId: loan.startupOrgId, loanId: loan.id, memo: `Sold to the secondary pool at mark (loan ${loan.reference})` }],
    [...Object.values(input.accounts), input.pool],
    {
      lockFirstAccountId: input.accounts.spendable.id,
      onShort: () => {
        throw new ApiError(409, "nothing_to_liquidate", `Loan ${loan.reference} has less than ${soldMicros} µUSD frozen.`);
      },
    },
  );
  const lots = (await loadCollateralLots(tx, loan.id)) as LotBalance[];
  const steps = planUnfreeze(lots, soldMicros).sort((a, b) => (a.lotId < b.lotId ? -1 : 1));
  for (const step of steps) {
    await tx.creditLot.update({ where: { id: step.lotId }, data: { remainingMicros: { decrement: step.amountMicros }, frozenMicros: { decrement: step.amountMicros } } });
  }
}

/**
 * The cash of a sale, consistent with payments (lib/server/loans/payments.ts), so the loan's
 * receivable always equals its principal outstanding:
 *   CASH_EXTERNAL → PLATFORM_REVENUE   the redistribution fee (par less the mark)
 *   CASH_EXTERNAL → LENDER_CASH        proceeds paying interest, then principal (the secondary buyer pays)
 *   LOAN_RECEIVABLE → CASH_EXTERNAL    the principal the proceeds repaid leaves the lender's claim
 *   CASH_EXTERNAL → STARTUP_CASH       proceeds beyond the debt
 *   LOAN_RECEIVABLE → LOSS             FULL: principal the sale left unpaid, written off
 *   CASH_EXTERNAL → LOSS               FULL: interest the sale left unpaid, written off
 */
function cashTransfers(loan: LoanRow, cash: CashAccounts, waterfall: LiquidationWaterfall, principalOutstandingMicros: bigint, liquidationId: string): TransferSpec[] {
  const key = (part: string) => `liquidation:${liquidationId}:${part}`;
  const base = { loanId: loan.id };
  const principalLossMicros = waterfall.lossMicros > 0n ? principalOutstandingMicros - waterfall.principalPaidMicros : 0n;
  const interestLossMicros = waterfall.lossMicros - principalLossMicros;
  const transfers: TransferSpec[] = [
    { ...base, idempotencyKey: key("fee"), kind: "LIQUIDATION_FEE", debitAccountId: cash.external.id, creditAccountId: cash.revenue.id, amountMicros: waterfall.platformRevenueMicros, orgId: null, memo: "Redistribution fee: par less the mark" },
    { ...base, idempotencyKey: key("interest"), kind: "LIQUIDATION_INTEREST", debitAccountId: cash.external.id, creditAccountId: cash.lenderCash.id, amountMicros: waterfall.interestPaidMicros, orgId: loan.lenderOrgId, memo: "Sale proceeds pay accrued interest" },
    { ...base, idempotencyKey: key("principal"), kind: "LIQUIDATION_PRINCIPAL", debitAccountId: cash.external.id, creditAccountId: cash.lenderCash.id, amountMicros: waterfall.principalPaidMicros, orgId: loan.lenderOrgId, memo: "Sale proceeds pay principal" },
    { ...base, idempotencyKey: key("receivable"), kind: "RECEIVABLE_REPAID", debitAccountId: cash.receivable.id, creditAccountId: cash.external.id, amountMicros: waterfall.principalPaidMicros, orgId: loan.lenderOrgId, memo: "The receivable falls by the principal the sale repaid" },
    { ...base, idempotencyKey: key("surplus"), kind: "LIQUIDATION_SURPLUS", debitAccountId: cash.external.id, creditAccountId: cash.startupCash.id, amountMicros: waterfall.surplusMicros, orgId: loan.startupOrgId, memo: "Proceeds beyond the debt return to the startup" },
    { ...base, idempotencyKey: key("loss-principal"), kind: "LIQUIDATION_LOSS", debitAccountId: cash.receivable.id, creditAccountId: cash.loss.id, amountMicros: principalLossMicros, orgId: loan.lenderOrgId, memo: "Principal the sale left unpaid, written off" },
    { ...base, idempotencyKey: key("loss-interest"), kind: "LIQUIDATION_LOSS", debitAccountId: cash.external.id, creditAccountId: cash.loss.id, amountMicros: interestLossMicros, orgId: loan.lenderOrgId, memo: "Interest the sale left unpaid, written off" },
  ];
  return transfers.filter((transfer) => transfer.amountMicros > 0n);
}

/**
 * Proceeds paid to the loan count toward its installments as a payment would: oldest first. A loss
 * (a full liquidation that could not pay everything) closes the rest: what is still unpaid is
 * WRITTEN_OFF, so no installment of the closed loan stays DUE or OVERDUE, nor reads as paid.
 */
async function applyToInstallments(tx: DbTx, loan: LoanRow, paidMicros: bigint, debtAfterMicros: bigint, now: Date, lossMicros: bigint) {
  if (paidMicros === 0n && lossMicros === 0n) return;
  const installments = await tx.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
  if (installments.length === 0) return;
  const allocations = new Map(allocatePaymentToInstallments(installments, paidMicros).map((a) => [a.seq, a]));
  const after = installments.map((i) => ({ ...i, paidMicros: allocations.get(i.seq)?.paidMicros ?? i.paidMicros }));
  const statuses = installmentStatuses(after, now, loan.gracePeriodDays, { debtMicros: debtAfterMicros });
  for (const installment of after) {
    const status = lossMicros > 0n && installment.paidMicros < installment.amountMicros ? INSTALLMENT_WRITTEN_OFF : statuses.get(installment.seq)!;
    if (!allocations.has(installment.seq) && status === installment.status) continue;
    await tx.installment.update({
      where: { id: installment.id },
      data: { paidMicros: installment.paidMicros, status, paidAt: status === "PAID" && installment.paidAt === null ? now : installment.paidAt },
    });
  }
}

/**
 * Liquidates a FROZEN loan, in one transaction (lender on its own loan, or an admin). The sale takes
 * frozen credits first, then the rest of the loan's collateral (frozen in this same transaction),
 * never credits held by requests in flight (planLoanLiquidation):
 * - PARTIAL sells the least amount that restores maintenance + hysteresis (refused when coverage is
 *   already there); the loan stays FROZEN, and an open margin call closes when the target is reached.
 * - FULL sells what pays the whole debt, returns the frozen credits it did not need to the startup,
 *   and closes the loan as LIQUIDATED; unpaid debt is the lender's loss only when no collateral of
 *   the loan is left (409 collateral_in_flight while requests in flight still hold some).
 * Interest is accrued through `now` first; proceeds pay interest, then principal.
 */
export async function liquidateLoan(db: Db, input: LiquidateInput): Promise<LiquidationResult> {
  const scope = input.scope;
  if (!(LIQUIDATION_SCOPES as readonly string[]).includes(scope)) throw invalidRequest(`scope must be one of ${LIQUIDATION_SCOPES.join(", ")}.`, "scope");
  if (input.actor.role !== "lender" && input.actor.role !== "admin") throw new ApiError(403, "forbidden", "Only the lender or an admin liquidates.");
  const reason = normaliseReason(input.reason);
  const provider = providerOfDb(db);

  return runCollateralTransaction(db, async (tx, isLastAttempt) => {
    // FULL: requests in flight no longer freeze for a loan about to close.
    const locked = await lockLoanForCollateral(tx, { loanId: input.loanId, lenderOrgId: input.lenderOrgId, holds: scope === "FULL" ? { provider, action: "release", allowSkipped: isLastAttempt } : undefined });
    if (locked.loan.state !== "FROZEN") throw new ApiError(409, "loan_not_frozen", `Loan ${locked.loan.reference} is ${locked.loan.state}: only a FROZEN loan can be liquidated.`);
    if (!locked.loan.lenderOrgId) throw new ApiError(409, "loan_without_lender", `Loan ${locked.loan.reference} has no lender to pay.`);
    const now = input.now ?? new Date();
    const loan = await persistAccrual(tx, locked.loan, now);
    const before = await loadLoanFigures(tx, loan, now);
    if (before.debtMicros === 0n) throw new ApiError(409, "nothing_owed", `Loan ${loan.reference} owes nothing: there is no debt to liquidate for; unfreeze it instead.`);
    const lots = (await loadCollateralLots(tx, loan.id)) as LotBalance[];
    const unfrozen = freezableMicros(lots);
    const freezableNow = unfrozen < locked.spendableMicros ? unfrozen : locked.spendableMicros;
    const plan = planLoanLiquidation(scope, before, loan, freezableNow);
    if (scope === "PARTIAL" && plan.soldMicros === 0n) {
      throw new ApiError(
        409,
        "nothing_to_liquidate",
        before.collateralMicros === 0n
          ? `Loan ${loan.reference} has no collateral left to sell.`
          : plan.isTargetRestored
            ? `Coverage of loan ${loan.reference} (${before.coverageBps ?? "∞"} bps) is already at or above maintenance + 5 points (${plan.targetBps} bps): a partial liquidation sells nothing.`
            : `None of loan ${loan.reference}'s collateral can be sold now: ${formatMicros(plan.inFlightMicros, { decimals: 6 })} is held by requests in flight.`,
      );
    }
    if (plan.isBlockedByInFlight) {
      throw new ApiError(
        409,
        "collateral_in_flight",
        `Selling everything that can be sold now leaves ${formatMicros(plan.waterfall.lossMicros, { decimals: 6 })} of loan ${loan.reference}'s debt unpaid, but ${formatMicros(plan.inFlightMicros, { decimals: 6 })} of its collateral is held by requests in flight: a loss is booked only when no collateral is left. Try again in a few seconds, when they have finished.`,
      );
    }
    const { waterfall } = plan;
    const liquidationId = newRowId();
    const cash = await ensureLiquidationAccounts(tx, loan);
    // The rest of the collateral the sale needs is frozen first, in this same transaction (frozen credits first, then the rest).
    if (plan.frozenForSaleMicros > 0n) {
      await freezeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, amountMicros: plan.frozenForSaleMicros, idempotencyKey: `liquidation:${liquidationId}:freeze`, memo: `Frozen for sale by the ${scope.toLowerCase()} liquidation (loan ${loan.reference}): ${reason}`.slice(0, 500) });
    }
    if (plan.soldMicros > 0n) await sellFrozenCredits(tx, { loan, accounts: locked.accounts, pool: cash.pool, soldMicros: plan.soldMicros, liquidationId });
    // A loan disbursed outside approval (seeded, imported) gets its receivable on record first.
    await recordDisbursementIfMissing(tx, { ...loan, lenderOrgId: locked.loan.lenderOrgId }, { external: cash.external, lenderCash: cash.lenderCash, receivable: await tx.ledgerAccount.findUniqueOrThrow({ where: { id: cash.receivable.id } }), startupCash: cash.startupCash });
    const transfers = cashTransfers(loan, cash, waterfall, before.principalOutstandingMicros, liquidationId);
    if (transfers.length > 0) await postTransfers(tx, transfers, Object.values(cash));

    // FULL: the frozen credits the sale did not need are the startup's again.
    const returned = plan.returnedMicros;
    if (returned > 0n) {
      await unfreezeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, amountMicros: returned, idempotencyKey: `liquidation:${liquidationId}:return`, memo: `Unsold frozen credits return to the startup (loan ${loan.reference})` });
    }

    const paid = waterfall.interestPaidMicros + waterfall.principalPaidMicros;
    await applyToInstallments(tx, loan, paid, waterfall.debtAfterMicros, now, waterfall.lossMicros);

    const collateralAfter = plan.collateralAfterMicros;
    const frozenAfter = plan.frozenAfterMicros;
    const coverageAfter = plan.coverageAfterBps;
    // A partial sale that restores maintenance + hysteresis closes an open margin call (the loan stays FROZEN).
    const closesMarginCall = scope === "PARTIAL" && plan.isTargetRestored && loan.marginCallAt !== null;
    const { loan: updated, from, to } = await transitionLoan(tx, {
      loan,
      event: { type: "liquidate", scope: scope === "FULL" ? "full" : "partial" },
      actor: transitionActor(input.actor, input.actor.role),
      now,
      reason,
      extra: {
        principalOutstandingMicros: waterfall.principalOutstandingAfterMicros,
        interestAccruedMicros: waterfall.interestAccruedAfterMicros,
        ...(scope === "FULL" ? { interestCarry: 0n } : {}),
        ...(closesMarginCall ? { marginCallAt: null, cureDeadline: null } : {}),
        lossMicros: loan.lossMicros + waterfall.lossMicros,
        lastCoverageBps: coverageAfter,
        lastCoverageAt: now,
      },
    });
    await tx.coverageSnapshot.create({
      data: { loanId: loan.id, at: now, collateralMicros: collateralAfter, debtMicros: waterfall.debtAfterMicros, markPpm: before.markPpm, coverageBps: coverageAfter, indexMicros: before.indexNowMicros ?? 0n, reason: `liquidation.${scope.toLowerCase()}` },
    });
    const alerts: AlertOutcome = { opened: [], resolved: [] };
    if (scope === "FULL") {
      await resolveAllOpenAlerts(tx, updated, { coverageBps: coverageAfter, now });
    } else {
      // Coverage rose: the coverage alerts follow it (MARGIN_CALL resolves at maintenance + 5 points, as the margin call does).
      await applyCoverageAlerts(tx, { loan: updated, unresolved: await loadUnresolvedAlerts(tx, loan.id), coverageBps: coverageAfter, now, outcome: alerts });
    }

    const result: LiquidationResult = {
      liquidationId,
      loanId: loan.id,
      reference: loan.reference,
      scope,
      fromState: from,
      state: to,
      markPpm: before.markPpm,
      collateralBeforeMicros: before.collateralMicros,
      frozenBeforeMicros: before.frozenCollateralMicros,
      debtBeforeMicros: before.debtMicros,
      coverageBeforeBps: before.coverageBps,
      targetBps: plan.targetBps,
      soldMicros: plan.soldMicros,
      soldFromFrozenMicros: plan.soldFromFrozenMicros,
      frozenForSaleMicros: plan.frozenForSaleMicros,
      requiredMicros: plan.requiredMicros,
      isTargetRestored: plan.isTargetRestored,
      isMarginCallClosed: closesMarginCall,
      waterfall,
      returnedMicros: returned,
      collateralAfterMicros: collateralAfter,
      frozenAfterMicros: frozenAfter,
      debtAfterMicros: waterfall.debtAfterMicros,
      coverageAfterBps: coverageAfter,
    };
    const detail = { ...serializeLiquidation(result), reason };
    await recordAudit(tx, { orgId: input.actor.orgId, actorUserId: input.actor.userId ?? null, actorKind: input.actor.kind, actorTokenId: input.actor.tokenId ?? null, action: "collateral.liquidate", targetType: "Loan", targetId: loan.id, detail });
    await enqueueWebhookEvent(tx, { orgId: loan.lenderOrgId!, type: "loan.liquidated", data: { ...detail, actorKind: input.actor.kind } }, { now: new Date() });
    return result;
  });
}

/** The LiquidationResult on the wire: money as strings of µUSD. */
export function serializeLiquidation(result: LiquidationResult) {
  const s = (value: bigint | null) => (value === null ? null : value.toString());
  const w = result.waterfall;
  return {
    liquidationId: result.liquidationId,
    loanId: result.loanId,
    reference: result.reference,
    scope: result.scope,
    previousState: result.fromState,
    state: result.state,
    markPpm: result.markPpm,
    collateralBeforeMicros: s(result.collateralBeforeMicros),
    frozenBeforeMicros: s(result.frozenBeforeMicros),
    debtBeforeMicros: s(result.debtBeforeMicros),
    coverageBeforeBps: result.coverageBeforeBps,
    targetBps: result.targetBps,
    soldMicros: s(result.soldMicros),
    soldFromFrozenMicros: s(result.soldFromFrozenMicros),
    frozenForSaleMicros: s(result.frozenForSaleMicros),
    requiredMicros: s(result.requiredMicros),
    isTargetRestored: result.isTargetRestored,
    isMarginCallClosed: result.isMarginCallClosed,
    proceedsMicros: s(w.proceedsMicros),
    platformRevenueMicros: s(w.platformRevenueMicros),
    interestPaidMicros: s(w.interestPaidMicros),
    principalPaidMicros: s(w.principalPaidMicros),
    surplusMicros: s(w.surplusMicros),
    returnedMicros: s(result.returnedMicros),
    lossMicros: s(w.lossMicros),
    collateralAfterMicros: s(result.collateralAfterMicros),
    frozenAfterMicros: s(result.frozenAfterMicros),
    debtAfterMicros: s(result.debtAfterMicros),
    coverageAfterBps: result.coverageAfterBps,
  };
}
