// DESIGN.md, "Freeze": the protective amount is the credits whose value covers the debt at the
// maintenance ratio; the rest stays spendable.

import { BPS_DENOMINATOR, ceilDiv, PPM } from "../money";
import { assertBps, assertMarkPpm, assertNonNegativeMicros } from "./checks";

/**
 * min(collateral, ⌈debt × maintenance / mark⌉) µUSD of credits, i.e.
 * min(C, ⌈D × maintenance_bps × 100 / mark_ppm⌉). Rounded UP, so the frozen credits' value at the
 * mark is never below debt × maintenance. No debt freezes nothing; a mark of 0 (worthless credits)
 * freezes everything.
 */
export function protectiveFreezeMicros(input: { collateralMicros: bigint; debtMicros: bigint; maintenanceBps: number; markPpm: number }): bigint {
  const collateral = assertNonNegativeMicros("collateralMicros", input.collateralMicros);
  const debt = assertNonNegativeMicros("debtMicros", input.debtMicros);
  const maintenance = assertBps("maintenanceBps", input.maintenanceBps);
  const mark = assertMarkPpm(input.markPpm);
  if (debt === 0n) return 0n;
  if (mark === 0n) return collateral;
  const needed = ceilDiv(debt * maintenance * (PPM / BPS_DENOMINATOR), mark);
  return needed < collateral ? needed : collateral;
}
