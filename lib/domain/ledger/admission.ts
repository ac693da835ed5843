// Whether the routing API would admit a request: the condition of the hold it takes before calling
// a model (lib/server/ledger/hold-programs.ts, reserveHoldProgram and reserve-pg.ts): one
// conditional write `spendable >= worst case`, and when it fails the refusal code of
// `reserveRefusal` — `credits_frozen` when the organisation has frozen credits, else
// `insufficient_credits` — both answered as HTTP 402 by the gateway.

/** The smallest hold the gateway takes: a request whose worst-case cost is 1 µUSD. */
export const MIN_HOLD_MICROS = 1n;

export type HoldAdmission =
  | { isAdmitted: true; spendableMicros: bigint }
  | { isAdmitted: false; status: 402; code: "credits_frozen" | "insufficient_credits"; spendableMicros: bigint };

/**
 * Would a hold of `amountMicros` (default: the smallest, 1 µUSD) be admitted with these balances?
 * Spendable ≥ amount admits; otherwise 402 `credits_frozen` if anything is frozen, else
 * `insufficient_credits`.
 */
export function holdAdmission(input: { spendableMicros: bigint; frozenMicros: bigint; amountMicros?: bigint }): HoldAdmission {
  const amount = input.amountMicros ?? MIN_HOLD_MICROS;
  if (typeof amount !== "bigint" || amount <= 0n) throw new RangeError(`amountMicros must be a positive bigint of µUSD, got ${String(amount)}.`);
  if (typeof input.spendableMicros !== "bigint" || typeof input.frozenMicros !== "bigint") throw new RangeError("spendableMicros and frozenMicros must be bigints of µUSD.");
  if (input.spendableMicros >= amount) return { isAdmitted: true, spendableMicros: input.spendableMicros };
  return { isAdmitted: false, status: 402, code: input.frozenMicros > 0n ? "credits_frozen" : "insufficient_credits", spendableMicros: input.spendableMicros };
}
