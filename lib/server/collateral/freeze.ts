import "@/lib/server/server-only";
import { shouldAutoFreeze } from "@/lib/domain/alerts";
import { freezableMicros, type LotBalance } from "@/lib/domain/ledger/lots";
import { isCollateralLive, type LoanState } from "@/lib/domain/loans/lifecycle";
import { overdueInstallments } from "@/lib/domain/loans/schedule";
import { planFreeze } from "@/lib/domain/valuation";
import type { Db, DbTx } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { providerOfDb } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { freezeCreditsInTx, unfreezeCreditsInTx } from "@/lib/server/ledger/ledger";
import { loadLoanFigures, protectiveFreezeFor, type LoanFigures } from "@/lib/server/loans/figures";
import { transitionLoan, type LoanRow } from "@/lib/server/loans/transition";
import { notifyFreeze } from "@/lib/server/notifications/notifications";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import {
  actorDisplayName,
  applyFreezeAlerts,
  invalidRequest,
  latencyMsBetween,
  loadCollateralLots,
  lockLoanForCollateral,
  markActiveHolds,
  normaliseReason,
  runCollateralTransaction,
  serializeFreezeEvent,
  transitionActor,
  type CollateralActor,
  type FreezeEventRow,
} from "./shared";

// Freeze and unfreeze a loan's collateral (DESIGN.md, "Freeze, unfreeze, liquidation"). Each call
// is ONE database transaction: ledger transfer and lot marks, the loan's state change, a coverage
// snapshot, the FROZEN/UNFROZEN alert, the audit row, the lender's webhook and the FreezeEvent
// with the request-to-commit latency — all of it commits, or none of it does.

export const FREEZE_MODES = ["FULL", "AMOUNT", "PROTECTIVE", "AUTO"] as const;
export type FreezeMode = (typeof FREEZE_MODES)[number];
export const UNFREEZE_MODES = ["FULL", "AMOUNT"] as const;
export type UnfreezeMode = (typeof UNFREEZE_MODES)[number];

export type FreezeInput = {
  loanId: string;
  mode: FreezeMode;
  /** Only with mode AMOUNT: a positive whole number of µUSD. */
  amountMicros?: bigint;
  actor: CollateralActor;
  reason: string;
  /** When the request arrived (route handler / action entry): latencyMs runs from here to the commit. */
  requestedAt: Date;
  /** When given, the loan must belong to this lender: another lender's loan is "not found" (404). */
  lenderOrgId?: string;
  /** The valuation instant (interest accrual, index fix); the clock by default. Tests pin it. */
  now?: Date;
};

export type UnfreezeInput = Omit<FreezeInput, "mode"> & { mode: UnfreezeMode };

export type FreezeResult = {
  event: FreezeEventRow;
  loanId: string;
  reference: string;
  fromState: LoanState | null;
  state: LoanState;
  /** What the mode asked for (FULL: all unfrozen collateral; PROTECTIVE: the protective amount less what is frozen). */
  requestedMicros: bigint;
  /** What moved to frozen (or back) in this transaction. */
  amountMicros: bigint;
  /** The loan's frozen collateral after the call. */
  frozenMicros: bigint;
  collateralMicros: bigint;
  /** Unfrozen collateral after the call (some of it may be held by requests in flight). */
  unfrozenMicros: bigint;
  /** Unfrozen collateral that requests in flight hold now; a FULL freeze freezes what they leave unspent as they resolve. */
  inFlightMicros: bigint;
  /** Holds marked to freeze their unused part on release (FULL and AUTO), or unmarked (full unfreeze). */
  capturedHolds: number;
  debtMicros: bigint;
  markPpm: number;
  coverageBps: number | null;
  latencyMs: number;
  alerts: { opened: string[]; resolved: string[] };
};

const DEFAULT_AUTO_REASON = "Coverage fell below the liquidation level; the loan has auto-freeze on.";

function checkRequestedAt(requestedAt: unknown): Date {
  if (!(requestedAt instanceof Date) || Number.isNaN(requestedAt.getTime())) throw invalidRequest("requestedAt must be a valid date.", "requestedAt");
  return requestedAt;
}

function checkAmount(mode: string, amountMicros: unknown, amountMode: string): bigint | null {
  if (mode !== amountMode) {
    if (amountMicros !== undefined && amountMicros !== null) throw invalidRequest(`amountMicros: only mode ${amountMode} takes an amount; mode ${mode} decides it.`, "amountMicros");
    return null;
  }
  if (typeof amountMicros !== "bigint" || amountMicros <= 0n) throw invalidRequest("amountMicros: give a positive whole number of micro-dollars.", "amountMicros");
  return amountMicros;
}

function nothingToFreeze(message: string): ApiError {
  return new ApiError(409, "nothing_to_freeze", message);
}

function formatUsd(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  return `${sign}$${(abs / 1_000_000n).toLocaleString("en-US")}.${(abs % 1_000_000n).toString().padStart(6, "0")}`;
}

async function writeFreezeRecords(
  tx: DbTx,
  input: {
    eventId: string;
    loan: LoanRow;
    action: "FREEZE" | "UNFREEZE";
    mode: string;
    requestedMicros: bigint;
    amountMicros: bigint;
    frozenAfterMicros: bigint;
    capturedHolds: number;
    actor: CollateralActor;
    reason: string;
    requestedAt: Date;
    state: LoanState;
    fromState: LoanState | null;
    figures: LoanFigures;
  },
): Promise<{ event: FreezeEventRow; alerts: { opened: string[]; resolved: string[] } }> {
  const { loan, figures, actor } = input;
  const alerts = await applyFreezeAlerts(tx, {
    loan,
    action: input.action,
    amountMicros: input.amountMicros,
    frozenAfterMicros: input.frozenAfterMicros,
    actorName: await actorDisplayName(tx, actor),
    reason: input.reason,
    coverageBps: figures.coverageBps,
    now: figures.asOf,
  });
  // The startup hears of it at once (its bell), with the amount and the reason.
  await notifyFreeze(tx, { loan, action: input.action, amountMicros: input.amountMicros, frozenAfterMicros: input.frozenAfterMicros, reason: input.reason, isAuto: input.mode === "AUTO" });
  // The freeze itself (ledger, lots, state, alert) is written; what follows only records it.
  const committedAt = new Date();
  const latencyMs = latencyMsBetween(input.requestedAt, committedAt);
  const verb = input.action === "FREEZE" ? "freeze" : "unfreeze";
  const detail = {
    freezeEventId: input.eventId,
    mode: input.mode,
    requestedMicros: input.requestedMicros,
    amountMicros: input.amountMicros,
    frozenAfterMicros: input.frozenAfterMicros,
    capturedHolds: input.capturedHolds,
    reason: input.reason,
    requestedAt: input.requestedAt.toISOString(),
    committedAt: committedAt.toISOString(),
    latencyMs,
    from: input.fromState,
    to: input.state,
  };
  await recordAudit(tx, { orgId: actor.orgId, actorUserId: actor.userId ?? null, actorKind: actor.kind, actorTokenId: actor.tokenId ?? null, action: `collateral.${verb}`, targetType: "Loan", targetId: loan.id, detail });
  if (loan.lenderOrgId) {
    await enqueueWebhookEvent(
      tx,
      {
        orgId: loan.lenderOrgId,
        type: input.action === "FREEZE" ? "loan.frozen" : "loan.unfrozen",
        data: { loanId: loan.id, reference: loan.reference, state: input.state, actorKind: actor.kind, coverageBps: figures.coverageBps, ...detail },
      },
      { now: committedAt },
    );
  }
  const event = await tx.freezeEvent.create({
    data: {
      id: input.eventId,
      loanId: loan.id,
      action: input.action,
      mode: input.mode,
      requestedMicros: input.requestedMicros,
      amountMicros: input.amountMicros,
      actorUserId: actor.userId ?? null,
      actorKind: actor.kind,
      actorTokenId: actor.tokenId ?? null,
      reason: input.reason,
      requestedAt: input.requestedAt,
      committedAt,
      latencyMs,
    },
  });
  return { event, alerts };
}

async function snapshotCoverage(tx: DbTx, loanId: string, figures: LoanFigures, reason: string) {
  await tx.coverageSnapshot.create({
    data: {
      loanId,
      at: figures.asOf,
      collateralMicros: figures.collateralMicros,
      debtMicros: figures.debtMicros,
      markPpm: figures.markPpm,
      coverageBps: figures.coverageBps,
      indexMicros: figures.indexNowMicros ?? 0n,
      reason,
    },
  });
}

/**
 * Freezes a loan's collateral, in one transaction:
 * - FULL: all unfrozen collateral that is spendable now, and every hold in flight is marked so
 *   that what it leaves unspent freezes for this loan as it resolves (credits already held by a
 *   request cannot be frozen while it runs).
 * - AMOUNT: exactly `amountMicros`; more than is freezable now is refused (422), nothing capped.
 * - PROTECTIVE: min(collateral, ⌈debt_T × maintenance / mark⌉) minus what is already frozen, with
 *   debt_T the debt projected with interest to the end of the cure window and the exact mark; as
 *   much of it as is spendable now (requestedMicros vs amountMicros show any gap).
 * - AUTO: the system, only when the loan has auto-freeze and coverage < liquidation. It freezes as
 *   FULL does: below liquidation the protective amount is the whole collateral anyway
 *   (C·m < L·D ≤ R·D ⇒ ⌈R·D/m⌉ > C), and a full freeze also captures requests in flight.
 * The loan goes to FROZEN (a FROZEN loan stays FROZEN and the amounts add up).
 */
export async function freezeLoanCollateral(db: Db, input: FreezeInput): Promise<FreezeResult> {
  const mode = input.mode;
  if (!(FREEZE_MODES as readonly string[]).includes(mode)) throw invalidRequest(`mode must be one of ${FREEZE_MODES.join(", ")}.`, "mode");
  const typedAmount = checkAmount(mode, input.amountMicros, "AMOUNT");
  const requestedAt = checkRequestedAt(input.requestedAt);
  const isAuto = mode === "AUTO";
  if (isAuto !== (input.actor.kind === "system")) {
    throw new ApiError(403, "forbidden", isAuto ? "Only the system auto-freezes." : "The system freezes only with mode AUTO.");
  }
  const provider = providerOfDb(db);
  const reason = isAuto ? (typeof input.reason === "string" && input.reason.trim() ? input.reason.trim().slice(0, 500) : DEFAULT_AUTO_REASON) : normaliseReason(input.reason);

  return runCollateralTransaction(db, async (tx, isLastAttempt) => {
    // FULL and AUTO capture requests in flight (freezeCreditsInTx's captureInFlight, done lock-safely).
    const capture = mode === "FULL" || mode === "AUTO";
    const { loan, spendableMicros, holdsChanged: holdCount } = await lockLoanForCollateral(tx, {
      loanId: input.loanId,
      lenderOrgId: input.lenderOrgId,
      holds: capture ? { provider, action: "capture", allowSkipped: isLastAttempt } : undefined,
    });
    if (!isCollateralLive(loan.state)) throw new ApiError(409, "loan_not_open", `Loan ${loan.reference} is ${loan.state}: only an open loan's collateral can be frozen.`);
    const now = input.now ?? new Date();
    const figures = await loadLoanFigures(tx, loan, now);
    const lots = (await loadCollateralLots(tx, loan.id)) as LotBalance[];
    const unfrozenBefore = freezableMicros(lots);
    const protective = mode === "PROTECTIVE" ? protectiveFreezeFor(loan, figures) : null;
    if (mode === "AUTO" && !shouldAutoFreeze({ coverageBps: figures.coverageBps, liquidationBps: loan.liquidationCoverageBps, autoFreeze: loan.autoFreeze, state: loan.state })) {
      throw new ApiError(409, "auto_freeze_not_due", `Loan ${loan.reference} does not auto-freeze now (auto-freeze ${loan.autoFreeze ? "on" : "off"}, coverage ${figures.coverageBps ?? "∞"} bps, liquidation ${loan.liquidationCoverageBps} bps, ${loan.state}).`);
    }
    // The one freeze rule (lib/domain/valuation/freeze-plan.ts), which the lender's dialog previews.
    const plan = planFreeze({ mode, unfrozenMicros: unfrozenBefore, frozenMicros: figures.frozenCollateralMicros, spendableMicros, amountMicros: typedAmount, protectiveMicros: protective?.amountMicros });
    const { requestedMicros: requested, amountMicros: amount, freezableNowMicros: freezableNow, inFlightMicros: inFlight } = plan;
    if (plan.refusal === "amount_exceeds_freezable") {
      throw new ApiError(
        422,
        "amount_exceeds_freezable",
        `Cannot freeze ${formatUsd(requested)}: only ${formatUsd(freezableNow)} of loan ${loan.reference}'s collateral is unfrozen and spendable now` +
          (inFlight > 0n ? ` (${formatUsd(inFlight)} more is held by requests in flight; a FULL freeze captures it as they finish).` : "."),
        "amountMicros",
      );
    }
    if (plan.refusal === "protective_already_frozen") {
      throw nothingToFreeze(
        figures.debtMicros === 0n
          ? `Loan ${loan.reference} has no debt: the protective amount is 0.`
          : `The protective amount of loan ${loan.reference} is ${formatUsd(protective!.amountMicros)} (the debt projected to ${protective!.cureWindowEndsAt.toISOString()}, ${formatUsd(protective!.debtAtCureEndMicros)}, at maintenance) and ${formatUsd(figures.frozenCollateralMicros)} is already frozen.`,
      );
    }

    if (amount === 0n && holdCount === 0) {
      throw nothingToFreeze(`Nothing of loan ${loan.reference}'s collateral is unfrozen and spendable now${inFlight > 0n ? ` (${formatUsd(inFlight)} is held by requests in flight)` : ""}.`);
    }
    const eventId = newRowId();
    if (amount > 0n) {
      await freezeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, amountMicros: amount, idempotencyKey: `freeze-event:${eventId}`, memo: `${mode} freeze: ${reason}`.slice(0, 500) });
    }

    const frozenAfter = figures.frozenCollateralMicros + amount;
    const isSystem = input.actor.kind === "system";
    const { loan: updated, from, to } = await transitionLoan(tx, {
      loan,
      event: isSystem ? { type: "freeze", coverageBps: figures.coverageBps, liquidationBps: loan.liquidationCoverageBps } : { type: "freeze" },
      actor: transitionActor(input.actor, isSystem ? "system" : "lender"),
      now,
      reason,
      extra: { lastCoverageBps: figures.coverageBps, lastCoverageAt: now },
    });
    await snapshotCoverage(tx, loan.id, figures, "freeze");
    const { event, alerts } = await writeFreezeRecords(tx, {
      eventId,
      loan: updated,
      action: "FREEZE",
      mode,
      requestedMicros: requested,
      amountMicros: amount,
      frozenAfterMicros: frozenAfter,
      capturedHolds: holdCount,
      actor: input.actor,
      reason,
      requestedAt,
      state: to,
      fromState: from,
      figures,
    });
    return {
      event,
      loanId: loan.id,
      reference: loan.reference,
      fromState: from,
      state: to,
      requestedMicros: requested,
      amountMicros: amount,
      frozenMicros: frozenAfter,
      collateralMicros: figures.collateralMicros,
      unfrozenMicros: unfrozenBefore - amount,
      inFlightMicros: inFlight,
      capturedHolds: holdCount,
      debtMicros: figures.debtMicros,
      markPpm: figures.markPpm,
      coverageBps: figures.coverageBps,
      latencyMs: event.latencyMs,
      alerts,
    };
  });
}

/**
 * Releases frozen collateral back to spendable, in one transaction. FULL (or an AMOUNT equal to
 * everything frozen) returns the loan to the state its facts dictate — coverage against
 * maintenance, installments past grace, an open margin call keeping its deadline — and unmarks
 * holds a full freeze had captured. A partial release keeps the loan FROZEN.
 */
export async function unfreezeLoanCollateral(db: Db, input: UnfreezeInput): Promise<FreezeResult> {
  const mode = input.mode;
  if (!(UNFREEZE_MODES as readonly string[]).includes(mode)) throw invalidRequest(`mode must be one of ${UNFREEZE_MODES.join(", ")}.`, "mode");
  const typedAmount = checkAmount(mode, input.amountMicros, "AMOUNT");
  const requestedAt = checkRequestedAt(input.requestedAt);
  if (input.actor.kind === "system") throw new ApiError(403, "forbidden", "Only the lender unfreezes collateral.");
  const reason = normaliseReason(input.reason);
  const provider = providerOfDb(db);

  return runCollateralTransaction(db, async (tx, isLastAttempt) => {
    const locked = await lockLoanForCollateral(tx, { loanId: input.loanId, lenderOrgId: input.lenderOrgId, holds: mode === "FULL" ? { provider, action: "release", allowSkipped: isLastAttempt } : undefined });
    const { loan } = locked;
    if (loan.state !== "FROZEN") throw new ApiError(409, "loan_not_frozen", `Loan ${loan.reference} is ${loan.state}: only a FROZEN loan can be unfrozen.`);
    const now = input.now ?? new Date();
    const figures = await loadLoanFigures(tx, loan, now);
    const frozenBefore = figures.frozenCollateralMicros;
    const requested = typedAmount ?? frozenBefore;
    if (requested > frozenBefore) {
      throw new ApiError(422, "amount_exceeds_frozen", `Cannot unfreeze ${formatUsd(requested)}: only ${formatUsd(frozenBefore)} of loan ${loan.reference}'s collateral is frozen.`, "amountMicros");
    }
    const eventId = newRowId();
    if (requested > 0n) {
      await unfreezeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, amountMicros: requested, idempotencyKey: `unfreeze-event:${eventId}`, memo: `${mode} unfreeze: ${reason}`.slice(0, 500) });
    }
    const frozenAfter = frozenBefore - requested;
    const isFull = frozenAfter === 0n;
    // A full release also stops requests in flight from freezing what they leave unspent.
    const released = mode === "FULL" ? locked.holdsChanged : isFull ? await markActiveHolds(tx, { provider, allowSkipped: isLastAttempt }, { orgId: loan.startupOrgId, freezeLoanId: null, onlyMarkedFor: loan.id }) : 0;
    const installments = await tx.installment.findMany({ where: { loanId: loan.id }, select: { seq: true, dueDate: true, amountMicros: true, paidMicros: true } });
    const overdue = overdueInstallments(installments, now, loan.gracePeriodDays, { debtMicros: figures.debtMicros }).map((o) => ({ seq: o.seq, daysPastDue: o.daysPastDue }));
    const { loan: updated, from, to } = await transitionLoan(tx, {
      loan,
      event: {
        type: "unfreeze",
        isPartial: !isFull,
        facts: { coverageBps: figures.coverageBps, maintenanceBps: loan.maintenanceCoverageBps, overdue },
        isMarginCallOpen: loan.marginCallAt !== null,
        cureWindowHours: loan.cureWindowHours,
      },
      actor: transitionActor(input.actor, "lender"),
      now,
      reason,
      extra: { lastCoverageBps: figures.coverageBps, lastCoverageAt: now },
    });
    await snapshotCoverage(tx, loan.id, figures, "unfreeze");
    const { event, alerts } = await writeFreezeRecords(tx, {
      eventId,
      loan: updated,
      action: "UNFREEZE",
      mode,
      requestedMicros: requested,
      amountMicros: requested,
      frozenAfterMicros: frozenAfter,
      capturedHolds: released,
      actor: input.actor,
      reason,
      requestedAt,
      state: to,
      fromState: from,
      figures,
    });
    const unfrozenAfter = figures.collateralMicros - frozenAfter;
    return {
      event,
      loanId: loan.id,
      reference: loan.reference,
      fromState: from,
      state: to,
      requestedMicros: requested,
      amountMicros: requested,
      frozenMicros: frozenAfter,
      collateralMicros: figures.collateralMicros,
      unfrozenMicros: unfrozenAfter,
      inFlightMicros: 0n,
      capturedHolds: released,
      debtMicros: figures.debtMicros,
      markPpm: figures.markPpm,
      coverageBps: figures.coverageBps,
      latencyMs: event.latencyMs,
      alerts,
    };
  });
}

export { serializeFreezeEvent };

/** The FreezeResult on the wire: money as strings of µUSD. */
export function serializeFreezeResult(result: FreezeResult) {
  return {
    freezeEvent: serializeFreezeEvent(result.event),
    loan: {
      id: result.loanId,
      reference: result.reference,
      previousState: result.fromState,
      state: result.state,
      collateralMicros: result.collateralMicros.toString(),
      frozenMicros: result.frozenMicros.toString(),
      unfrozenMicros: result.unfrozenMicros.toString(),
      inFlightMicros: result.inFlightMicros.toString(),
      debtMicros: result.debtMicros.toString(),
      markPpm: result.markPpm,
      coverageBps: result.coverageBps,
    },
    requestedMicros: result.requestedMicros.toString(),
    amountMicros: result.amountMicros.toString(),
    capturedHolds: result.capturedHolds,
    latencyMs: result.latencyMs,
  };
}
