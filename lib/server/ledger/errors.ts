import "@/lib/server/server-only";

export type LedgerErrorCode =
  | "INSUFFICIENT_CREDITS"
  | "CREDITS_FROZEN"
  | "INVALID_AMOUNT"
  | "IDEMPOTENCY_CONFLICT"
  | "HOLD_NOT_FOUND"
  | "NOTHING_TO_FREEZE"
  | "NOTHING_TO_UNFREEZE"
  | "NEGATIVE_BALANCE"
  | "INSUFFICIENT_LOT_BALANCE"
  | "SPEND_CAP_EXCEEDED";

/** A ledger rule refused the operation; nothing was written. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LedgerError";
  }
}
