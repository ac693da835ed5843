import { LedgerRuleError } from "./transfer";

export type LotKind = "PURCHASED" | "FINANCED" | "PLEDGED";

/** Usage spends the lender's credits first, then the pledge, then the startup's own (DESIGN.md). */
export const LOT_PRIORITY: Record<LotKind, number> = { FINANCED: 0, PLEDGED: 1, PURCHASED: 2 };

export type LotBalance = {
  id: string;
  kind: LotKind;
  priority: number;
  remainingMicros: bigint;
  frozenMicros: bigint;
  expiresAt: Date | null;
  createdAt: Date;
  loanId: string | null;
};

export type LotStep = { lotId: string; amountMicros: bigint };

const unfrozen = (lot: LotBalance) => lot.remainingMicros - lot.frozenMicros;

function compareLots(a: LotBalance, b: LotBalance): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry < bExpiry ? -1 : 1;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function take(ordered: LotBalance[], amountMicros: bigint, available: (lot: LotBalance) => bigint, code: "INSUFFICIENT_LOT_BALANCE" | "NOTHING_TO_FREEZE" | "NOTHING_TO_UNFREEZE", what: string): LotStep[] {
  if (amountMicros <= 0n) throw new LedgerRuleError("INSUFFICIENT_LOT_BALANCE", `The amount to ${what} must be positive, got ${amountMicros} µUSD.`);
  const steps: LotStep[] = [];
  let left = amountMicros;
  for (const lot of ordered) {
    if (left === 0n) break;
    const free = available(lot);
    if (free <= 0n) continue;
    const step = free < left ? free : left;
    steps.push({ lotId: lot.id, amountMicros: step });
    left -= step;
  }
  if (left > 0n) {
    const total = ordered.reduce((sum, lot) => sum + (available(lot) > 0n ? available(lot) : 0n), 0n);
    throw new LedgerRuleError(code, `Cannot ${what} ${amountMicros} µUSD: only ${total} µUSD is available in the lots.`);
  }
  return steps;
}

/** Which lots a spend of `amountMicros` consumes: only unfrozen credits, in priority order. */
export function planLotConsumption(lots: LotBalance[], amountMicros: bigint): LotStep[] {
  return take([...lots].sort(compareLots), amountMicros, unfrozen, "INSUFFICIENT_LOT_BALANCE", "consume");
}

const isCollateral = (lot: LotBalance) => lot.kind === "FINANCED" || lot.kind === "PLEDGED";

/** Freezes a loan's collateral lots: financed credits first, then pledged ones. */
export function planFreeze(loanLots: LotBalance[], amountMicros: bigint): LotStep[] {
  return take(loanLots.filter(isCollateral).sort(compareLots), amountMicros, unfrozen, "NOTHING_TO_FREEZE", "freeze");
}

/** Unfreezes in the reverse order: pledged credits first, then financed ones. */
export function planUnfreeze(loanLots: LotBalance[], amountMicros: bigint): LotStep[] {
  return take(loanLots.filter(isCollateral).sort(compareLots).reverse(), amountMicros, (lot) => lot.frozenMicros, "NOTHING_TO_UNFREEZE", "unfreeze");
}

/** DESIGN.md: collateral = unspent credits of the loan's FINANCED and PLEDGED lots, frozen included. */
export function collateralMicros(loanLots: LotBalance[]): bigint {
  return loanLots.filter(isCollateral).reduce((sum, lot) => sum + lot.remainingMicros, 0n);
}
