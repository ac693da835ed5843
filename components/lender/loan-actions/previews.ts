// What the Freeze, Unfreeze and Liquidate dialogs say will happen, from the loan's figures and the
// same domain rules the server applies (planFreeze, holdAdmission, parseUsdToMicros); the
// liquidation's waterfall comes computed by the service's own plan (LenderLoanDetailDto.liquidationPreview).

import { holdAdmission, type HoldAdmission } from "@/lib/domain/ledger/admission";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { planFreeze, type FreezePlan } from "@/lib/domain/valuation/freeze-plan";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";

export type FreezeMode = "PROTECTIVE" | "FULL" | "AMOUNT";
export type UnfreezeMode = "FULL" | "AMOUNT";

/** A typed dollar amount: µUSD exactly, or why it cannot be read. Blank is "not yet typed" (null). */
export function parseTypedUsd(text: string): { micros: bigint | null; error: string | null } {
  if (text.trim() === "") return { micros: null, error: null };
  try {
    const micros = parseUsdToMicros(text);
    return micros > 0n ? { micros, error: null } : { micros: null, error: "Enter an amount above $0." };
  } catch (error) {
    if (error instanceof MoneyParseError) return { micros: null, error: error.message };
    throw error;
  }
}

/** The loan's figures a collateral dialog needs, as bigints; null when the loan is closed. */
export function collateralFigures(loan: LenderLoanDetailDto) {
  if (!loan.collateral || !loan.borrowerCredits) return null;
  const big = (value: string | null) => BigInt(value ?? "0");
  return {
    collateralMicros: big(loan.collateral.totalMicros),
    frozenMicros: big(loan.collateral.frozenMicros),
    unfrozenMicros: big(loan.collateral.unfrozenMicros),
    freezableNowMicros: big(loan.collateral.freezableNowMicros),
    protectiveMicros: big(loan.collateral.protectiveFreezeMicros),
    spendableMicros: big(loan.borrowerCredits.spendableMicros),
    borrowerFrozenMicros: big(loan.borrowerCredits.frozenMicros),
  };
}

export type FreezePreview = {
  plan: FreezePlan;
  /** What the routing API would answer the borrower after the freeze (its smallest request). */
  admissionAfter: HoldAdmission;
  /** Why the freeze would be refused, in words; null when it goes through. */
  refusal: string | null;
};

/**
 * The freeze the server would make now: planFreeze over the loan's figures, and the routing API's
 * answer afterwards (holdAdmission on the borrower's balances after it). null for an AMOUNT not
 * typed yet, or typed wrong.
 */
export function previewFreeze(loan: LenderLoanDetailDto, mode: FreezeMode, amountMicros: bigint | null): FreezePreview | null {
  const figures = collateralFigures(loan);
  if (!figures) return null;
  if (mode === "AMOUNT" && amountMicros === null) return null;
  const plan = planFreeze({
    mode,
    unfrozenMicros: figures.unfrozenMicros,
    frozenMicros: figures.frozenMicros,
    spendableMicros: figures.spendableMicros,
    amountMicros: mode === "AMOUNT" ? amountMicros : null,
    protectiveMicros: mode === "PROTECTIVE" ? figures.protectiveMicros : null,
  });
  const admissionAfter = holdAdmission({ spendableMicros: plan.spendableAfterMicros, frozenMicros: figures.borrowerFrozenMicros + plan.amountMicros });
  let refusal: string | null = null;
  if (plan.refusal === "amount_exceeds_freezable") refusal = "More than the collateral that is unfrozen and spendable now: the freeze would be refused.";
  else if (plan.refusal === "protective_already_frozen") refusal = "The protective amount is already frozen: nothing to add.";
  else if (plan.amountMicros === 0n && plan.inFlightMicros === 0n) refusal = "Nothing of the collateral is unfrozen and spendable now.";
  return { plan, admissionAfter, refusal };
}

export type UnfreezePreview = {
  releasedMicros: bigint;
  frozenAfterMicros: bigint;
  spendableAfterMicros: bigint;
  admissionAfter: HoldAdmission;
  /** A full release ends the freeze; a partial one keeps the loan FROZEN. */
  isFull: boolean;
  refusal: string | null;
};

/** The release the server would make now: all that is frozen, or a typed amount of it (more is refused). */
export function previewUnfreeze(loan: LenderLoanDetailDto, mode: UnfreezeMode, amountMicros: bigint | null): UnfreezePreview | null {
  const figures = collateralFigures(loan);
  if (!figures) return null;
  if (mode === "AMOUNT" && amountMicros === null) return null;
  const released = mode === "FULL" ? figures.frozenMicros : amountMicros!;
  if (released > figures.frozenMicros) {
    return {
      releasedMicros: 0n,
      frozenAfterMicros: figures.frozenMicros,
      spendableAfterMicros: figures.spendableMicros,
      admissionAfter: holdAdmission({ spendableMicros: figures.spendableMicros, frozenMicros: figures.borrowerFrozenMicros }),
      isFull: false,
      refusal: "More than is frozen: the release would be refused.",
    };
  }
  const spendableAfter = figures.spendableMicros + released;
  return {
    releasedMicros: released,
    frozenAfterMicros: figures.frozenMicros - released,
    spendableAfterMicros: spendableAfter,
    admissionAfter: holdAdmission({ spendableMicros: spendableAfter, frozenMicros: figures.borrowerFrozenMicros - released }),
    isFull: released === figures.frozenMicros,
    refusal: null,
  };
}

/** The mode the Freeze dialog opens on: protective when it has something to add (always below maintenance), else everything. */
export function defaultFreezeMode(loan: LenderLoanDetailDto): FreezeMode {
  const protective = previewFreeze(loan, "PROTECTIVE", null);
  return protective && protective.plan.refusal === null && protective.plan.amountMicros > 0n ? "PROTECTIVE" : "FULL";
}

/** Why a button is disabled, in words (null = enabled). */
export function disabledReasons(loan: LenderLoanDetailDto): { freeze: string | null; unfreeze: string | null; liquidate: string | null } {
  const figures = collateralFigures(loan);
  if (!figures) {
    const closed = `The loan is ${loan.state.toLowerCase()}: it holds no collateral.`;
    return { freeze: closed, unfreeze: closed, liquidate: closed };
  }
  const isFrozen = loan.state === "FROZEN";
  return {
    freeze: figures.unfrozenMicros === 0n ? "All of the collateral is already frozen." : null,
    unfreeze: isFrozen ? null : "Unfreeze needs a frozen loan: nothing is frozen.",
    liquidate: !isFrozen ? "Liquidate needs a frozen loan: freeze it first." : loan.liquidationPreview === null ? "Nothing is owed: unfreeze instead." : null,
  };
}

/** The enforcement check's verdict in the words the page shows. */
export function admissionText(check: { isAdmitted: boolean; status: number; code: string | null; spendableMicros: string }, formatUsd: (micros: bigint) => string, unfrozenCollateralMicros: bigint): string {
  if (!check.isAdmitted) return `Refusing: ${check.status} ${check.code}`;
  const spendable = BigInt(check.spendableMicros);
  if (unfrozenCollateralMicros > 0n) return `Still admitting: ${formatUsd(spendable)} spendable, ${formatUsd(unfrozenCollateralMicros < spendable ? unfrozenCollateralMicros : spendable)} of it unfrozen collateral`;
  return `Still admitting: ${formatUsd(spendable)} of own credits`;
}
