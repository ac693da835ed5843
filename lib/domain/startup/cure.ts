// How a startup cures a margin call (DESIGN.md, "Valuation and coverage"): coverage must reach
// maintenance + 5 points (the hysteresis) for the call to close. Two ways, each the least amount
// that does it at today's figures, computed by the valuation rules (cureAmountsMicros):
// - repay: cash to the lender (the debt falls once an admin confirms the payment arrived);
// - pledge: more of its own credits into the loan's PLEDGED lot. What it lacks of its own credits
//   it must buy first (a purchase request, credited once an admin confirms payment).

import { MARGIN_CALL_HYSTERESIS_BPS } from "../loans/lifecycle";
import { cureAmountsMicros } from "../valuation/coverage";
import type { MarkInput } from "../valuation/mark";

export type CureInput = {
  collateralMicros: bigint;
  debtMicros: bigint;
  maintenanceBps: number;
  /** The startup's own spendable credits outside any loan: what it can pledge now. */
  ownPledgeableMicros: bigint;
} & MarkInput;

export type CureOptions = {
  /** maintenance + hysteresis: the coverage that closes the call. */
  targetBps: number;
  /** The least repayment that reaches the target (0: already there). */
  repayMicros: bigint;
  /** The least extra pledge that reaches the target; null when no pledge can (the mark is 0). */
  pledgeMicros: bigint | null;
  /** Of the pledge, what the startup can pledge from its own credits now. */
  pledgeFromOwnMicros: bigint;
  /** Of the pledge, what it must buy first (0 when its own credits suffice). */
  buyMicros: bigint;
};

export function cureOptions(input: CureInput): CureOptions {
  const targetBps = input.maintenanceBps + MARGIN_CALL_HYSTERESIS_BPS;
  const { repayMicros, pledgeMicros } = cureAmountsMicros({ ...input, targetBps });
  const own = input.ownPledgeableMicros > 0n ? input.ownPledgeableMicros : 0n;
  const pledgeFromOwnMicros = pledgeMicros === null ? 0n : pledgeMicros < own ? pledgeMicros : own;
  const buyMicros = pledgeMicros === null ? 0n : pledgeMicros - pledgeFromOwnMicros;
  return { targetBps, repayMicros, pledgeMicros, pledgeFromOwnMicros, buyMicros };
}
