// DESIGN.md, "Freeze, unfreeze, liquidation": the loan's credits are sold to the secondary pool at
// the mark; the proceeds pay interest, then principal; a surplus returns to the startup; a
// shortfall is a loss only when no collateral of the loan is left. The part of par not in the mark
// is the platform's revenue. The mark is the exact ratio (./mark.ts) throughout.

import { MARGIN_CALL_HYSTERESIS_BPS } from "../loans/lifecycle";
import { BPS_DENOMINATOR, ceilDiv } from "../money";
import { assertBps, assertNonNegativeMicros } from "./checks";
import { coverageBps } from "./coverage";
import { creditsValueMicros, resolveMark, toMarkRatio, type MarkInput, type MarkRatio } from "./mark";

/** What selling `soldMicros` of credits at the mark raises, rounded DOWN (the buyer never overpays). */
export function saleProceedsMicros(soldMicros: bigint, mark: MarkRatio | number): bigint {
  return creditsValueMicros(assertNonNegativeMicros("soldMicros", soldMicros), toMarkRatio(mark));
}

export type PartialLiquidationInput = {
  collateralMicros: bigint;
  debtMicros: bigint;
  /** R: the coverage the sale must restore, normally maintenance + hysteresis. Must be > 10,000 (100%). */
  targetBps: number;
  /** The most that can be sold now (≤ collateral); the collateral by default (DESIGN.md: "capped at the collateral"). */
  sellableMicros?: bigint;
} & MarkInput;

export type PartialLiquidationPlan = {
  /** What to sell: the least amount that restores R, capped at what can be sold. */
  sellMicros: bigint;
  /** The least amount that restores R if there were no cap; null when no sale can (coverage ≤ 100% or a mark of 0). */
  requiredMicros: bigint | null;
  /** Whether selling `sellMicros` brings coverage to ≥ R (false when the cap or the collateral runs out first). */
  isTargetRestored: boolean;
};

/**
 * The least x that restores coverage R by selling x credits at mark m (DESIGN.md):
 *
 *   after the sale, collateral is C − x and debt is D − x·m, and we want
 *   (C − x)·m ≥ R·(D − x·m)  ⇔  x·m·(R − 1) ≥ R·D − C·m
 *   ⇔  x ≥ (R·D − C·m) / (m·(R − 1))                                            (R > 1, m > 0)
 *
 * With the exact mark m = n/d and R = R_bps/10⁴, multiplying through by d·10⁴:
 *
 *   x₀ = ⌈(R_bps·D·d − C·n·10⁴) / (n·(R_bps − 10⁴))⌉
 *
 * The sale really raises p(x) = ⌊x·n/d⌋ µUSD, up to 1 µUSD less than x·m, and coverage after it
 * is measured on that. So x₀ is a lower bound, and now and then (when the round-down of the
 * proceeds bites) a few µUSD more are needed. The result is the exact least integer x with
 *
 *   (C − x)·n·10⁴ ≥ R_bps·d·(D − p(x))      (coverageBps after the sale ≥ R, or no debt left)
 *
 * found without a linear scan over x: for proceeds p, the cheapest sale raising p is
 * x_p = ⌈p·d/n⌉. From x_p ≥ p·d/n follows the necessary p ≥ (R_bps·d·D − C·n·10⁴) / (d·(R_bps − 10⁴));
 * from x_p < p·d/n + 1 the sufficient p ≥ (R_bps·d·D − C·n·10⁴ + n·10⁴) / (d·(R_bps − 10⁴)). The
 * two bounds differ by m·10⁴ / (R_bps − 10⁴) ≤ 3.34 at R = 130%, and the least feasible p between
 * them gives x. Coverage already ≥ R sells nothing.
 */
export function planPartialLiquidation(input: PartialLiquidationInput): PartialLiquidationPlan {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const sellable = input.sellableMicros === undefined ? collateral : assertNonNegativeMicros("sellableMicros", input.sellableMicros);
  const { numerator: n, denominator: d } = resolveMark(input);
  const target = assertBps("targetBps", input.targetBps, Number(BPS_DENOMINATOR) + 1);
  if (sellable > collateral) throw new RangeError(`sellableMicros (${sellable}) cannot exceed collateralMicros (${collateral}): only the loan's collateral is sold.`);

  // "coverage after ≥ R" in integers: (C − x)·n·10⁴ ≥ R·d·(D − p); no debt left also counts.
  const meets = (collateralAfter: bigint, debtAfter: bigint) => debtAfter <= 0n || collateralAfter * n * BPS_DENOMINATOR >= target * d * debtAfter;
  const capped = (required: bigint | null): PartialLiquidationPlan => {
    if (required !== null && required <= sellable) return { sellMicros: required, requiredMicros: required, isTargetRestored: true };
    // `required` is the least sale that works, so anything less (all that can be sold) does not.
    return { sellMicros: sellable, requiredMicros: required, isTargetRestored: false };
  };

  if (meets(collateral, debt)) return capped(0n);
  if (n === 0n) return capped(null);

  const step = d * (target - BPS_DENOMINATOR); // > 0 because R > 100%
  const deficit = target * d * debt - collateral * n * BPS_DENOMINATOR; // > 0 here
  let proceeds = ceilDiv(deficit, step);
  const sufficient = ceilDiv(deficit + n * BPS_DENOMINATOR, step);
  if (proceeds < 0n) proceeds = 0n;
  for (; proceeds <= sufficient; proceeds++) {
    const sold = ceilDiv(proceeds * d, n);
    if (sold > collateral) return capped(null); // would need more credits than exist (coverage ≤ 100%)
    if (meets(collateral - sold, debt - proceeds)) return capped(sold);
  }
  // Unreachable: at the sufficient bound the inequality holds whenever the sale fits the collateral.
  throw new Error(`planPartialLiquidation found no sale for C=${collateral}, D=${debt}, m=${n}/${d}, R=${target}.`);
}

/** The credits to sell in a partial liquidation: `planPartialLiquidation(input).sellMicros`. */
export function partialLiquidationMicros(input: PartialLiquidationInput): bigint {
  return planPartialLiquidation(input).sellMicros;
}

/**
 * The least sale whose proceeds pay the whole debt: ⌈D·d/n⌉ for a mark n/d (⌊x·n/d⌋ ≥ D ⇔
 * x·n ≥ D·d for whole D); null when the mark is 0 (no sale pays anything).
 */
export function fullLiquidationSaleMicros(input: { debtMicros: bigint } & MarkInput): bigint | null {
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const { numerator: n, denominator: d } = resolveMark(input);
  if (debt === 0n) return 0n;
  if (n === 0n) return null;
  return ceilDiv(debt * d, n);
}

export type LiquidationKind = "FULL" | "PARTIAL";

export type LiquidationWaterfall = {
  /** sold × mark, rounded DOWN: cash the secondary pool pays. */
  proceedsMicros: bigint;
  /** sold − proceeds: the part of par not in the mark, the platform's revenue. */
  platformRevenueMicros: bigint;
  interestPaidMicros: bigint;
  principalPaidMicros: bigint;
  /** Proceeds beyond the whole debt, returned to the startup. */
  surplusMicros: bigint;
  /** Debt the proceeds left unpaid after a FULL liquidation, written off as a loss. Always 0 for PARTIAL. */
  lossMicros: bigint;
  /** What the borrower still owes afterwards (0 after a FULL liquidation: the rest is the loss). */
  interestAccruedAfterMicros: bigint;
  principalOutstandingAfterMicros: bigint;
  debtAfterMicros: bigint;
};

/**
 * Where a liquidation's money goes: proceeds = ⌊sold × mark⌋ (exact mark, rounded once) pay accrued interest first, then
 * principal; anything left is the startup's surplus. After a FULL liquidation any debt left is
 * recorded as a loss and the loan owes nothing more; after a PARTIAL one it stays owed.
 * Conserves money: proceeds + revenue = sold, interest + principal paid + surplus = proceeds,
 * paid + loss + debt after = debt before.
 */
export function liquidationWaterfall(
  input: {
    soldMicros: bigint;
    interestAccruedMicros: bigint;
    principalOutstandingMicros: bigint;
    kind: LiquidationKind;
  } & MarkInput,
): LiquidationWaterfall {
  const sold = assertNonNegativeMicros("soldMicros", input.soldMicros);
  const interest = assertNonNegativeMicros("interestAccruedMicros", input.interestAccruedMicros);
  const principal = assertNonNegativeMicros("principalOutstandingMicros", input.principalOutstandingMicros);
  if (input.kind !== "FULL" && input.kind !== "PARTIAL") throw new RangeError(`kind must be FULL or PARTIAL, got ${String(input.kind)}.`);

  const proceeds = saleProceedsMicros(sold, resolveMark(input));
  const interestPaid = proceeds < interest ? proceeds : interest;
  const afterInterest = proceeds - interestPaid;
  const principalPaid = afterInterest < principal ? afterInterest : principal;
  const surplus = afterInterest - principalPaid;
  const interestLeft = interest - interestPaid;
  const principalLeft = principal - principalPaid;
  const isWrittenOff = input.kind === "FULL";
  return {
    proceedsMicros: proceeds,
    platformRevenueMicros: sold - proceeds,
    interestPaidMicros: interestPaid,
    principalPaidMicros: principalPaid,
    surplusMicros: surplus,
    lossMicros: isWrittenOff ? interestLeft + principalLeft : 0n,
    interestAccruedAfterMicros: isWrittenOff ? 0n : interestLeft,
    principalOutstandingAfterMicros: isWrittenOff ? 0n : principalLeft,
    debtAfterMicros: isWrittenOff ? 0n : interestLeft + principalLeft,
  };
}

export type LiquidationPlanInput = {
  scope: LiquidationKind;
  /** C: all of the loan's collateral, frozen included. */
  collateralMicros: bigint;
  /** F ≤ C: the frozen part, sold first. */
  frozenMicros: bigint;
  /**
   * Unfrozen collateral that can be frozen and sold now: not held by requests in flight
   * (min(unfrozen, spendable)); all of the unfrozen collateral by default.
   */
  freezableNowMicros?: bigint;
  interestAccruedMicros: bigint;
  principalOutstandingMicros: bigint;
  /** PARTIAL restores maintenance + hysteresis, so the margin call closes. */
  maintenanceBps: number;
  /** Default MARGIN_CALL_HYSTERESIS_BPS (5 points). */
  hysteresisBps?: number;
} & MarkInput;

export type LiquidationPlan = {
  scope: LiquidationKind;
  /** PARTIAL: R = maintenance + hysteresis; FULL: null (it pays the debt). */
  targetBps: number | null;
  /** The least sale reaching the goal without any cap (PARTIAL: coverage ≥ R; FULL: proceeds ≥ debt); null when no sale can. */
  requiredMicros: bigint | null;
  /** Credits sold to the secondary pool: frozen ones first, then unfrozen ones frozen for the sale in the same transaction. */
  soldMicros: bigint;
  soldFromFrozenMicros: bigint;
  /** Unfrozen collateral the liquidation freezes and sells (0 when the frozen credits suffice). */
  frozenForSaleMicros: bigint;
  /** FULL: frozen credits the sale did not need, returned to the startup unsold (its surplus, as credits at par). */
  returnedMicros: bigint;
  /** PARTIAL: coverage after ≥ R; FULL: the proceeds pay the whole debt. */
  isTargetRestored: boolean;
  waterfall: LiquidationWaterfall;
  collateralAfterMicros: bigint;
  frozenAfterMicros: bigint;
  debtAfterMicros: bigint;
  /** null = no debt left. */
  coverageAfterBps: number | null;
  /** Collateral the sale could not take now: held by requests in flight (C − F − freezable now). */
  inFlightMicros: bigint;
  /**
   * FULL with a shortfall while collateral is still held by requests in flight: a loss may be
   * booked only when no collateral of the loan is left, so the liquidation must wait for them.
   */
  isBlockedByInFlight: boolean;
};

/**
 * What a liquidation sells and where the money goes (DESIGN.md), the one plan both the service and
 * the lender's preview use. Credits are taken frozen first, then from the rest of the collateral
 * (frozen in the same transaction), never more than the collateral:
 * - PARTIAL sells the least x restoring R = maintenance + hysteresis (planPartialLiquidation: the
 *   exact least integer, ≥ ⌈(R·D − C·m) / (m·(R − 1))⌉), capped at what can be sold now; the loan
 *   stays owed for the rest, no loss.
 * - FULL sells the least x whose proceeds pay the whole debt (⌈D/m⌉), capped likewise; frozen
 *   credits it did not need go back to the startup unsold; debt the proceeds leave unpaid is the
 *   lender's loss, which is booked only when no collateral of the loan is left
 *   (`isBlockedByInFlight` otherwise).
 */
export function planLiquidation(input: LiquidationPlanInput): LiquidationPlan {
  const scope = input.scope;
  if (scope !== "FULL" && scope !== "PARTIAL") throw new RangeError(`scope must be FULL or PARTIAL, got ${String(scope)}.`);
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros);
  if (frozen > collateral) throw new RangeError(`frozenMicros (${frozen}) cannot exceed collateralMicros (${collateral}): frozen credits are part of the collateral.`);
  const unfrozen = collateral - frozen;
  const freezableNow = input.freezableNowMicros === undefined ? unfrozen : assertNonNegativeMicros("freezableNowMicros", input.freezableNowMicros);
  if (freezableNow > unfrozen) throw new RangeError(`freezableNowMicros (${freezableNow}) cannot exceed the unfrozen collateral (${unfrozen}).`);
  const interest = assertNonNegativeMicros("interestAccruedMicros", input.interestAccruedMicros);
  const principal = assertNonNegativeMicros("principalOutstandingMicros", input.principalOutstandingMicros);
  const mark = resolveMark(input);
  const debt = interest + principal;
  const sellable = frozen + freezableNow;

  let targetBps: number | null = null;
  let required: bigint | null;
  let sold: bigint;
  let isTargetRestored: boolean;
  if (scope === "PARTIAL") {
    targetBps = Number(assertBps("maintenanceBps", input.maintenanceBps)) + Number(assertBps("hysteresisBps", input.hysteresisBps ?? MARGIN_CALL_HYSTERESIS_BPS));
    const plan = planPartialLiquidation({ collateralMicros: collateral, debtMicros: debt, mark, targetBps, sellableMicros: sellable });
    required = plan.requiredMicros;
    sold = plan.sellMicros;
    isTargetRestored = plan.isTargetRestored;
  } else {
    required = fullLiquidationSaleMicros({ debtMicros: debt, mark });
    sold = required !== null && required < sellable ? required : sellable;
    isTargetRestored = required !== null && required <= sellable;
  }
  const soldFromFrozen = sold < frozen ? sold : frozen;
  const frozenForSale = sold - soldFromFrozen;
  const returned = scope === "FULL" ? frozen - soldFromFrozen : 0n;
  const waterfall = liquidationWaterfall({ soldMicros: sold, mark, interestAccruedMicros: interest, principalOutstandingMicros: principal, kind: scope });
  const collateralAfter = collateral - sold;
  return {
    scope,
    targetBps,
    requiredMicros: required,
    soldMicros: sold,
    soldFromFrozenMicros: soldFromFrozen,
    frozenForSaleMicros: frozenForSale,
    returnedMicros: returned,
    isTargetRestored,
    waterfall,
    collateralAfterMicros: collateralAfter,
    frozenAfterMicros: frozen - soldFromFrozen - returned,
    debtAfterMicros: waterfall.debtAfterMicros,
    coverageAfterBps: coverageBps({ collateralMicros: collateralAfter, mark, debtMicros: waterfall.debtAfterMicros }),
    inFlightMicros: unfrozen - freezableNow,
    isBlockedByInFlight: scope === "FULL" && waterfall.lossMicros > 0n && unfrozen - freezableNow > 0n,
  };
}
