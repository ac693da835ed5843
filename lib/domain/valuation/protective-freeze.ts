// DESIGN.md, "Freeze": the protective amount is the credits whose value covers the debt at the
// maintenance ratio; the rest stays spendable. The debt is the one projected with interest to the
// end of the cure window (the caller projects it), so the frozen credits alone still cover
// maintenance when the window closes.

import { BPS_DENOMINATOR, ceilDiv } from "../money";
import { assertBps, assertNonNegativeMicros } from "./checks";
import { resolveMark, type MarkInput } from "./mark";

/**
 * min(collateral, ⌈debt × maintenance / mark⌉) µUSD of credits; for a mark n/d that is
 * min(C, ⌈D × maintenance_bps × d / (10⁴ × n)⌉), one rounding UP on the exact fraction, so the
 * frozen credits' value at the mark is never below debt × maintenance. `debtMicros` is debt_T, the
 * debt at the end of the cure window. No debt freezes nothing; a mark of 0 (worthless credits)
 * freezes everything.
 */
export function protectiveFreezeMicros(input: { collateralMicros: bigint; debtMicros: bigint; maintenanceBps: number } & MarkInput): bigint {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const maintenance = assertBps("maintenanceBps", input.maintenanceBps);
  const mark = resolveMark(input);
  if (debt === 0n) return 0n;
  if (mark.numerator === 0n) return collateral;
  const needed = ceilDiv(debt * maintenance * mark.denominator, BPS_DENOMINATOR * mark.numerator);
  return needed < collateral ? needed : collateral;
}
