/**
 * What settling a hold will do, worked out before the settlement is written: a JSON reply goes out
 * while its settlement commits after the response (the hold already secures the worst case), so
 * the reply's figures come from here and must equal what the settlement then records.
 */

/** The charge a settlement records: the actual cost, never more than the hold reserved. */
export function settledChargeMicros(holdMicros: bigint, actualMicros: bigint): bigint {
  if (holdMicros <= 0n) throw new RangeError("A hold is a positive amount of micro-dollars.");
  if (actualMicros < 0n) throw new RangeError("A settled cost cannot be negative.");
  return actualMicros < holdMicros ? actualMicros : holdMicros;
}

/**
 * The spendable balance once this request is settled, seen from its own hold: the balance right
 * after the hold was taken, plus the part of the hold the settlement gives back. Other requests of
 * the same organisation settling in between move the live balance; this is the request's own view.
 */
export function spendableAfterSettlementMicros(input: { spendableAfterHoldMicros: bigint; holdMicros: bigint; actualMicros: bigint }): bigint {
  return input.spendableAfterHoldMicros + input.holdMicros - settledChargeMicros(input.holdMicros, input.actualMicros);
}
