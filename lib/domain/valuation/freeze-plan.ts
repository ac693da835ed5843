// How much a freeze moves now (DESIGN.md, "Freeze"): the one rule the freeze service applies under
// its locks and the lender's Freeze dialog previews, so the preview cannot differ from the commit.

import { assertNonNegativeMicros } from "./checks";

export type FreezePlanMode = "FULL" | "AMOUNT" | "PROTECTIVE" | "AUTO";

export type FreezePlanInput = {
  mode: FreezePlanMode;
  /** The loan's collateral not frozen yet (its FINANCED and PLEDGED lots). */
  unfrozenMicros: bigint;
  /** The loan's collateral already frozen. */
  frozenMicros: bigint;
  /** The startup's spendable balance now: credits held by requests in flight are not in it. */
  spendableMicros: bigint;
  /** AMOUNT: the amount asked for (> 0). */
  amountMicros?: bigint | null;
  /** PROTECTIVE: the protective target, min(C, ⌈debt_T × maintenance / mark⌉) (protectiveFreezeMicros). */
  protectiveMicros?: bigint | null;
};

export type FreezePlan = {
  /** What the mode asks for: FULL and AUTO all unfrozen collateral, AMOUNT the amount, PROTECTIVE the target less what is frozen. */
  requestedMicros: bigint;
  /** What moves from spendable to frozen now (0 when refused). */
  amountMicros: bigint;
  /** Unfrozen collateral that can move now: min(unfrozen, spendable). */
  freezableNowMicros: bigint;
  /** Unfrozen collateral held by requests in flight (a FULL freeze captures it as they resolve). */
  inFlightMicros: bigint;
  frozenAfterMicros: bigint;
  /** The startup's spendable balance after the freeze. */
  spendableAfterMicros: bigint;
  /**
   * Why nothing moves: AMOUNT above what is freezable now (refused, never capped), or PROTECTIVE
   * whose target is already frozen. null otherwise (FULL with nothing freezable moves 0 and may
   * still capture requests in flight).
   */
  refusal: "amount_exceeds_freezable" | "protective_already_frozen" | null;
};

/**
 * FULL / AUTO: every unfrozen credit that is spendable now. AMOUNT: exactly the amount, refused when
 * it exceeds what is freezable now. PROTECTIVE: the protective target less what is already frozen,
 * as much of it as is freezable now.
 */
export function planFreeze(input: FreezePlanInput): FreezePlan {
  const unfrozen = assertNonNegativeMicros("unfrozenMicros", input.unfrozenMicros);
  const frozen = assertNonNegativeMicros("frozenMicros", input.frozenMicros);
  const spendable = assertNonNegativeMicros("spendableMicros", input.spendableMicros);
  // Lots do not say which credits a request in flight holds: at most the spendable balance can move.
  const freezableNow = unfrozen < spendable ? unfrozen : spendable;
  const inFlight = unfrozen - freezableNow;
  const result = (requested: bigint, amount: bigint, refusal: FreezePlan["refusal"]): FreezePlan => ({
    requestedMicros: requested,
    amountMicros: amount,
    freezableNowMicros: freezableNow,
    inFlightMicros: inFlight,
    frozenAfterMicros: frozen + amount,
    spendableAfterMicros: spendable - amount,
    refusal,
  });
  switch (input.mode) {
    case "FULL":
    case "AUTO":
      return result(unfrozen, freezableNow, null);
    case "AMOUNT": {
      const amount = input.amountMicros;
      if (typeof amount !== "bigint" || amount <= 0n) throw new RangeError(`amountMicros must be a positive bigint of µUSD for mode AMOUNT, got ${String(amount)}.`);
      return amount > freezableNow ? result(amount, 0n, "amount_exceeds_freezable") : result(amount, amount, null);
    }
    case "PROTECTIVE": {
      if (input.protectiveMicros === undefined || input.protectiveMicros === null) throw new RangeError("mode PROTECTIVE needs protectiveMicros, the protective target.");
      const target = assertNonNegativeMicros("protectiveMicros", input.protectiveMicros);
      const requested = target > frozen ? target - frozen : 0n;
      if (requested === 0n) return result(0n, 0n, "protective_already_frozen");
      return result(requested, requested < freezableNow ? requested : freezableNow, null);
    }
    default:
      throw new RangeError(`mode must be FULL, AMOUNT, PROTECTIVE or AUTO, got ${String(input.mode)}.`);
  }
}
