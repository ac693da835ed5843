import { LedgerRuleError, type LedgerRuleCode } from "./transfer";

export const LOT_KINDS = ["PURCHASED", "FINANCED", "PLEDGED"] as const;
export type LotKind = (typeof LOT_KINDS)[number];

/** Usage spends the lender's credits first, then the pledge, then the startup's own (DESIGN.md). */
export const LOT_PRIORITY = { FINANCED: 0, PLEDGED: 1, PURCHASED: 2 } as const satisfies Record<LotKind, number>;

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

/** The part of a lot usage may spend or a freeze may take. Never negative, even on bad data. */
export function unfrozenMicros(lot: Pick<LotBalance, "remainingMicros" | "frozenMicros">): bigint {
  const free = lot.remainingMicros - lot.frozenMicros;
  return free > 0n ? free : 0n;
}

function frozenPart(lot: LotBalance): bigint {
  return lot.frozenMicros > 0n ? lot.frozenMicros : 0n;
}

const isCollateral = (lot: LotBalance) => lot.kind === "FINANCED" || lot.kind === "PLEDGED";

// Tie-breaks shared by every ordering: soonest expiry (never-expiring last), then oldest, then id,
// so two instances planning over the same lots always agree.
function compareTieBreaks(a: LotBalance, b: LotBalance): number {
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry < bExpiry ? -1 : 1;
  const createdDelta = a.createdAt.getTime() - b.createdAt.getTime();
  if (createdDelta !== 0) return createdDelta;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Consumption order: the lot's stored priority ascending, then the tie-breaks. */
export function compareLotsForConsumption(a: LotBalance, b: LotBalance): number {
  return a.priority - b.priority || compareTieBreaks(a, b);
}

// A freeze is about one loan's collateral: the lender's own (financed) credits first, then the pledge.
function compareLotsForFreeze(a: LotBalance, b: LotBalance): number {
  return LOT_PRIORITY[a.kind] - LOT_PRIORITY[b.kind] || compareTieBreaks(a, b);
}

function allocate(
  ordered: LotBalance[],
  amountMicros: bigint,
  available: (lot: LotBalance) => bigint,
  shortfall: { code: LedgerRuleCode; verb: string; what: string },
): LotStep[] {
  if (typeof amountMicros !== "bigint" || amountMicros < 0n) {
    throw new LedgerRuleError("INVALID_AMOUNT", `The amount to ${shortfall.verb} must be zero or more µUSD, got ${String(amountMicros)}.`);
  }
  const steps: LotStep[] = [];
  let leftMicros = amountMicros;
  for (const lot of ordered) {
    if (leftMicros === 0n) break;
    const free = available(lot);
    if (free === 0n) continue;
    const stepMicros = free < leftMicros ? free : leftMicros;
    steps.push({ lotId: lot.id, amountMicros: stepMicros });
    leftMicros -= stepMicros;
  }
  if (leftMicros > 0n) {
    const totalMicros = ordered.reduce((sum, lot) => sum + available(lot), 0n);
    throw new LedgerRuleError(shortfall.code, `Cannot ${shortfall.verb} ${amountMicros} µUSD: only ${totalMicros} µUSD ${shortfall.what}.`);
  }
  return steps;
}

/**
 * Which lots a spend of `amountMicros` draws on: only unfrozen credits, by priority, then soonest
 * expiry, then oldest. Zero spends nothing; more than the unfrozen total throws.
 */
export function planLotConsumption(lots: LotBalance[], amountMicros: bigint): LotStep[] {
  return allocate([...lots].sort(compareLotsForConsumption), amountMicros, unfrozenMicros, {
    code: "INSUFFICIENT_LOT_BALANCE",
    verb: "consume",
    what: "is unfrozen in the lots",
  });
}

/**
 * Spreads a freeze over a loan's collateral lots: financed credits before pledged ones, so the
 * startup's own pledge is the last thing a lender locks. Purchased lots are never frozen.
 */
export function planFreeze(loanLots: LotBalance[], amountMicros: bigint): LotStep[] {
  return allocate(loanLots.filter(isCollateral).sort(compareLotsForFreeze), amountMicros, unfrozenMicros, {
    code: "NOTHING_TO_FREEZE",
    verb: "freeze",
    what: "of the loan's collateral is unfrozen",
  });
}

/** Releases frozen credits in exactly the reverse of the freeze order: the pledge comes back first. */
export function planUnfreeze(loanLots: LotBalance[], amountMicros: bigint): LotStep[] {
  return allocate(loanLots.filter(isCollateral).sort(compareLotsForFreeze).reverse(), amountMicros, frozenPart, {
    code: "NOTHING_TO_UNFREEZE",
    verb: "unfreeze",
    what: "of the loan's collateral is frozen",
  });
}

/** DESIGN.md: collateral = unspent credits of the loan's FINANCED and PLEDGED lots, frozen included. */
export function collateralMicros(loanLots: LotBalance[]): bigint {
  return loanLots.filter(isCollateral).reduce((sum, lot) => sum + lot.remainingMicros, 0n);
}

/** How much a full freeze of the loan would take now. */
export function freezableMicros(loanLots: LotBalance[]): bigint {
  return loanLots.filter(isCollateral).reduce((sum, lot) => sum + unfrozenMicros(lot), 0n);
}

/** How much of the loan's collateral is frozen now. */
export function frozenCollateralMicros(loanLots: LotBalance[]): bigint {
  return loanLots.filter(isCollateral).reduce((sum, lot) => sum + frozenPart(lot), 0n);
}
