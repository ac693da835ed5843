// DESIGN.md, "Freeze, unfreeze, liquidation": frozen credits are sold to the secondary pool at the
// mark; the proceeds pay interest, then principal; a surplus returns to the startup; a shortfall
// after a full liquidation is a loss. The part of par not in the mark is the platform's revenue.

import { BPS_DENOMINATOR, ceilDiv, floorDiv, PPM } from "../money";
import { assertBps, assertMarkPpm, assertNonNegativeMicros } from "./checks";

const PPM_PER_BPS = PPM / BPS_DENOMINATOR;

/** What selling `soldMicros` of credits at the mark raises, rounded DOWN (the buyer never overpays). */
export function saleProceedsMicros(soldMicros: bigint, markPpmValue: number): bigint {
  return floorDiv(assertNonNegativeMicros("soldMicros", soldMicros) * assertMarkPpm(markPpmValue), PPM);
}

export type PartialLiquidationInput = {
  collateralMicros: bigint;
  debtMicros: bigint;
  markPpm: number;
  /** R: the coverage the sale must restore, normally the loan's maintenance level. Must be > 10,000 (100%). */
  targetBps: number;
  /** Only frozen credits can be sold. Part of the collateral, so ≤ collateralMicros. */
  frozenMicros: bigint;
};

export type PartialLiquidationPlan = {
  /** What to sell: the least amount that restores R, capped at the frozen credits. */
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
 *   (C − x)·m ≥ R·(D − x·m)  ⇔  C·m − x·m ≥ R·D − R·x·m  ⇔  x·m·(R − 1) ≥ R·D − C·m
 *   ⇔  x ≥ (R·D − C·m) / (m·(R − 1))                                            (R > 1, m > 0)
 *
 * In the stored units (m = m_ppm / 10⁶, R = R_bps / 10⁴, C and D in µUSD), multiplying the
 * fraction above and below by 10¹⁰:
 *
 *   x₀ = ⌈(R_bps·D·10⁶ − C·m_ppm·10⁴) / (m_ppm·(R_bps − 10⁴))⌉
 *
 * The sale really raises p(x) = ⌊x·m_ppm / 10⁶⌋ µUSD, up to 1 µUSD less than x·m, and coverage
 * after it is measured on that. So x₀ is a lower bound, and now and then (when the round-down of
 * the proceeds bites) a few µUSD more are needed. The result is the exact least integer x with
 *
 *   (C − x)·m_ppm ≥ 100·R_bps·(D − p(x))     (coverageBps after the sale ≥ R, or no debt left)
 *
 * found without a linear scan: for proceeds p, the cheapest sale raising p is x_p = ⌈p·10⁶/m_ppm⌉,
 * and h(p) = (C − x_p)·m_ppm − 100·R_bps·(D − p) ≥ 0 must hold. From x_p ≥ p·10⁶/m_ppm follows the
 * necessary p ≥ (100·R_bps·D − C·m_ppm) / (100·R_bps − 10⁶); from x_p < p·10⁶/m_ppm + 1 the
 * sufficient p ≥ (100·R_bps·D − C·m_ppm + m_ppm) / (100·R_bps − 10⁶). The two bounds differ by
 * m_ppm / (100·R_bps − 10⁶) (4 at R = 125%, m ≤ 1), and the least feasible p between them gives x.
 * Coverage already ≥ R sells nothing.
 */
export function planPartialLiquidation(input: PartialLiquidationInput): PartialLiquidationPlan {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros);
  const mark = assertMarkPpm(input.markPpm);
  const target = assertBps("targetBps", input.targetBps, Number(BPS_DENOMINATOR) + 1);
  if (frozen > collateral) throw new RangeError(`frozenMicros (${frozen}) cannot exceed collateralMicros (${collateral}): frozen credits are part of the collateral.`);

  // "coverage after ≥ R" in integers: (C − x)·m ≥ 100·R·(D − p); no debt left also counts.
  const scaledTarget = target * PPM_PER_BPS; // 100·R_bps = R in ppm
  const meets = (collateralAfter: bigint, debtAfter: bigint) => debtAfter <= 0n || collateralAfter * mark >= scaledTarget * debtAfter;
  const capped = (required: bigint | null): PartialLiquidationPlan => {
    if (required !== null && required <= frozen) return { sellMicros: required, requiredMicros: required, isTargetRestored: true };
    // `required` is the least sale that works, so anything less (all the frozen credits) does not.
    return { sellMicros: frozen, requiredMicros: required, isTargetRestored: false };
  };

  if (meets(collateral, debt)) return capped(0n);
  if (mark === 0n) return capped(null);

  const step = scaledTarget - PPM; // 100·R_bps − 10⁶ > 0 because R > 100%
  const deficit = scaledTarget * debt - collateral * mark; // > 0 here
  let proceeds = ceilDiv(deficit, step);
  const sufficient = ceilDiv(deficit + mark, step);
  if (proceeds < 0n) proceeds = 0n;
  for (; proceeds <= sufficient; proceeds++) {
    const sold = ceilDiv(proceeds * PPM, mark);
    if (sold > collateral) return capped(null); // would need more credits than exist (coverage ≤ 100%)
    if (meets(collateral - sold, debt - proceeds)) return capped(sold);
  }
  // Unreachable: at the sufficient bound the inequality holds whenever the sale fits the collateral.
  throw new Error(`planPartialLiquidation found no sale for C=${collateral}, D=${debt}, m=${mark}, R=${target}.`);
}

/** The credits to sell in a partial liquidation: `planPartialLiquidation(input).sellMicros`. */
export function partialLiquidationMicros(input: PartialLiquidationInput): bigint {
  return planPartialLiquidation(input).sellMicros;
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
 * Where a liquidation's money goes: proceeds = ⌊sold × mark⌋ pay accrued interest first, then
 * principal; anything left is the startup's surplus. After a FULL liquidation any debt left is
 * recorded as a loss and the loan owes nothing more; after a PARTIAL one it stays owed.
 * Conserves money: proceeds + revenue = sold, interest + principal paid + surplus = proceeds,
 * paid + loss + debt after = debt before.
 */
export function liquidationWaterfall(input: {
  soldMicros: bigint;
  markPpm: number;
  interestAccruedMicros: bigint;
  principalOutstandingMicros: bigint;
  kind: LiquidationKind;
}): LiquidationWaterfall {
  const sold = assertNonNegativeMicros("soldMicros", input.soldMicros);
  const interest = assertNonNegativeMicros("interestAccruedMicros", input.interestAccruedMicros);
  const principal = assertNonNegativeMicros("principalOutstandingMicros", input.principalOutstandingMicros);
  if (input.kind !== "FULL" && input.kind !== "PARTIAL") throw new RangeError(`kind must be FULL or PARTIAL, got ${String(input.kind)}.`);

  const proceeds = saleProceedsMicros(sold, input.markPpm);
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
