// Installments, interest and payments of a loan, in exact integer arithmetic. Amounts are µUSD
// (bigint), rates are basis points, dates are UTC. Every rounding is named where it happens and
// listed in ./README.md.

import { BPS_DENOMINATOR, ceilDiv } from "../money";

export const DAY_MS = 86_400_000;
/** APR/12 in bps: a month's interest is balance × aprBps / 120,000. */
export const MONTHLY_INTEREST_DENOMINATOR = 12n * BPS_DENOMINATOR;
/** APR/365 in bps: a day's interest is principal × aprBps / 3,650,000. */
export const DAILY_INTEREST_DENOMINATOR = 365n * BPS_DENOMINATOR;
/** Longest term accepted: 30 years. Beyond it the numbers stay exact, they just stop being a product. */
export const MAX_TERM_MONTHS = 360;

export type LoanRuleCode = "INVALID_AMOUNT" | "INVALID_RATE" | "INVALID_TERM" | "INVALID_DATE" | "OVERPAYMENT";

export class LoanRuleError extends Error {
  constructor(
    readonly code: LoanRuleCode,
    message: string,
  ) {
    super(message);
    this.name = "LoanRuleError";
  }
}

// ───────────────────────────── Validation ─────────────────────────────

function assertAmount(name: string, value: unknown, { allowZero }: { allowZero: boolean }): asserts value is bigint {
  if (typeof value !== "bigint" || value < 0n || (!allowZero && value === 0n)) {
    throw new LoanRuleError("INVALID_AMOUNT", `${name} must be ${allowZero ? "zero or more" : "a positive number of"} µUSD (bigint), got ${String(value)}.`);
  }
}

function assertAprBps(value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new LoanRuleError("INVALID_RATE", `aprBps must be a non-negative integer of basis points, got ${String(value)}.`);
  }
}

function assertTerm(value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > MAX_TERM_MONTHS) {
    throw new LoanRuleError("INVALID_TERM", `termMonths must be a whole number from 1 to ${MAX_TERM_MONTHS}, got ${String(value)}.`);
  }
}

function toMs(name: string, value: Date | number): number {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new LoanRuleError("INVALID_DATE", `${name} must be a Date or epoch milliseconds, got ${String(value)}.`);
  return ms;
}

// ───────────────────────────── UTC calendar ─────────────────────────────

/** Days since 1970-01-01 of the UTC calendar day holding `at`. */
export function utcDayNumber(at: Date | number): number {
  return Math.floor(toMs("date", at) / DAY_MS);
}

/**
 * Whole UTC days from `from` to `to`: the number of UTC midnights crossed, i.e. the difference of
 * their calendar dates. Additive — days(a, b) + days(b, c) = days(a, c) — which is what lets
 * interest be accrued in any number of segments. Negative when `to` is before `from`.
 */
export function utcDaysBetween(from: Date | number, to: Date | number): number {
  return utcDayNumber(to) - utcDayNumber(from);
}

/**
 * Midnight UTC of the calendar date `months` after `date`'s, on the same day of the month clamped
 * to the month's end (Jan 31 + 1 → Feb 28, or 29 in a leap year). Always counted from the given
 * date, so Jan 31 + 2 is Mar 31, not Mar 28.
 */
export function addMonthsUtc(date: Date | number, months: number): Date {
  if (!Number.isSafeInteger(months)) throw new LoanRuleError("INVALID_DATE", `months must be an integer, got ${months}.`);
  const d = new Date(toMs("date", date));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDayOfMonth)));
}

// ───────────────────────────── Level payment and schedule ─────────────────────────────

/**
 * The level annuity payment for `principalMicros` at APR/12 over `termMonths`, rounded UP to the µUSD.
 *
 * With the monthly rate i = a / b (a = aprBps, b = 120,000) the annuity is
 *   A = P·i / (1 − (1 + i)^−n) = P·a·(b + a)^n / (b·((b + a)^n − b^n)),
 * a ratio of two integers, so it is computed exactly in BigInt and rounded once with ceilDiv — no
 * float and no fixed-point truncation anywhere. APR 0 is ⌈P / n⌉.
 */
export function levelPaymentMicros(principalMicros: bigint, aprBps: number, termMonths: number): bigint {
  assertAmount("principalMicros", principalMicros, { allowZero: false });
  assertAprBps(aprBps);
  assertTerm(termMonths);
  const n = BigInt(termMonths);
  if (aprBps === 0) return ceilDiv(principalMicros, n);
  const a = BigInt(aprBps);
  const b = MONTHLY_INTEREST_DENOMINATOR;
  const growth = (b + a) ** n;
  const flat = b ** n;
  return ceilDiv(principalMicros * a * growth, b * (growth - flat));
}

export type PlannedInstallment = {
  seq: number;
  /** Midnight UTC of the due date; the installment is on time through the end of that UTC day. */
  dueDate: Date;
  amountMicros: bigint;
  interestMicros: bigint;
  principalMicros: bigint;
  /** Planned principal still owed after this installment. */
  balanceAfterMicros: bigint;
};

export type ScheduleInput = {
  principalMicros: bigint;
  aprBps: number;
  termMonths: number;
  /** Activation: installment k falls due k months after this date (time of day ignored). */
  startDate?: Date | number;
  /** Or the first due date itself: installment k falls due k − 1 months after it. */
  firstDueDate?: Date | number;
};

/**
 * The planned monthly installments. Each is the level payment A, split at APR/12 into
 * interest = ⌊balance × aprBps / 120,000⌋ and principal = A − interest; the last one is whatever
 * planned principal remains plus its interest. The plan is the contract's amounts and dates; what
 * a payment really pays of interest and principal follows daily accrual (`accrueInterest`).
 */
export function buildInstallmentSchedule(input: ScheduleInput): PlannedInstallment[] {
  const { principalMicros, aprBps, termMonths } = input;
  const payment = levelPaymentMicros(principalMicros, aprBps, termMonths);
  if ((input.startDate === undefined) === (input.firstDueDate === undefined)) {
    throw new LoanRuleError("INVALID_DATE", "Give exactly one of startDate and firstDueDate.");
  }
  const anchor = input.firstDueDate ?? input.startDate!;
  const firstOffset = input.firstDueDate === undefined ? 1 : 0;
  toMs(input.firstDueDate === undefined ? "startDate" : "firstDueDate", anchor);

  const rows: PlannedInstallment[] = [];
  let balance = principalMicros;
  for (let seq = 1; seq <= termMonths; seq++) {
    const interest = (balance * BigInt(aprBps)) / MONTHLY_INTEREST_DENOMINATOR; // ⌊⌋: both sides ≥ 0
    const isLast = seq === termMonths;
    // Rounding A up can pay the planned balance off a few µUSD early on tiny loans: never plan below zero.
    const scheduledPrincipal = isLast ? balance : payment - interest;
    const principal = scheduledPrincipal < balance ? scheduledPrincipal : balance;
    balance -= principal;
    rows.push({ seq, dueDate: addMonthsUtc(anchor, seq - 1 + firstOffset), amountMicros: interest + principal, interestMicros: interest, principalMicros: principal, balanceAfterMicros: balance });
  }
  return rows;
}

// ───────────────────────────── Daily interest ─────────────────────────────

export type InterestAccrual = {
  interestMicros: bigint;
  /** The sub-µUSD part not yet accrued, in µUSD / 3,650,000 (0 ≤ remainder < 3,650,000): pass it to the next accrual. */
  remainder: bigint;
  days: number;
};

/**
 * Simple interest at APR/365 on the principal outstanding over the whole UTC days from `from` to
 * `to` (see `utcDaysBetween`):
 *   exact = principal × aprBps × days / 3,650,000 + remainder / 3,650,000,
 *   interest = ⌊exact⌋, remainder' = the rest (in 1/3,650,000 µUSD).
 * Flooring never charges a fraction of a µUSD not yet earned, and carrying the remainder means no
 * fraction is ever lost: over any segmentation, the interest accrued equals the floor of the exact
 * total Σ principalᵢ × aprBps × daysᵢ / 3,650,000.
 */
export function accrueInterest(input: { principalOutstandingMicros: bigint; aprBps: number; from: Date | number; to: Date | number; remainder?: bigint }): InterestAccrual {
  assertAmount("principalOutstandingMicros", input.principalOutstandingMicros, { allowZero: true });
  assertAprBps(input.aprBps);
  const carried = input.remainder ?? 0n;
  if (typeof carried !== "bigint" || carried < 0n || carried >= DAILY_INTEREST_DENOMINATOR) {
    throw new LoanRuleError("INVALID_AMOUNT", `remainder must be a bigint from 0 to ${DAILY_INTEREST_DENOMINATOR - 1n}, got ${String(carried)}.`);
  }
  const fromMs = toMs("from", input.from);
  const toMsValue = toMs("to", input.to);
  const days = utcDaysBetween(fromMs, toMsValue);
  if (days < 0) throw new LoanRuleError("INVALID_DATE", `Cannot accrue interest backwards: ${new Date(toMsValue).toISOString()} is before ${new Date(fromMs).toISOString()}.`);
  const exactTimesDenominator = input.principalOutstandingMicros * BigInt(input.aprBps) * BigInt(days) + carried;
  return {
    interestMicros: exactTimesDenominator / DAILY_INTEREST_DENOMINATOR,
    remainder: exactTimesDenominator % DAILY_INTEREST_DENOMINATOR,
    days,
  };
}

/** ⌊principal × aprBps × whole UTC days / 3,650,000⌋ µUSD, for a single period with no carried remainder. */
export function accrueInterestMicros(principalOutstandingMicros: bigint, aprBps: number, fromMs: Date | number, toMs: Date | number): bigint {
  return accrueInterest({ principalOutstandingMicros, aprBps, from: fromMs, to: toMs }).interestMicros;
}

// ───────────────────────────── Debt and payments ─────────────────────────────

export type LoanBalance = { principalOutstandingMicros: bigint; interestAccruedMicros: bigint };

/** DESIGN.md: debt = principal outstanding + accrued interest. */
export function debtMicros(balance: LoanBalance): bigint {
  return balance.principalOutstandingMicros + balance.interestAccruedMicros;
}

export type PaymentApplication = { interestPaidMicros: bigint; principalPaidMicros: bigint; remaining: LoanBalance };

/**
 * A payment pays accrued interest first, then principal. Accrue interest up to the payment's time
 * before calling. Paying more than the debt is refused (OVERPAYMENT), not silently capped: the cash
 * would have nowhere to go, and a payment form should offer "pay off" = `debtMicros()` instead.
 */
export function applyPayment(balance: LoanBalance, amountMicros: bigint): PaymentApplication {
  assertAmount("principalOutstandingMicros", balance.principalOutstandingMicros, { allowZero: true });
  assertAmount("interestAccruedMicros", balance.interestAccruedMicros, { allowZero: true });
  assertAmount("The payment", amountMicros, { allowZero: false });
  const debt = debtMicros(balance);
  if (amountMicros > debt) {
    throw new LoanRuleError("OVERPAYMENT", `A payment of ${amountMicros} µUSD is more than the debt of ${debt} µUSD (${balance.interestAccruedMicros} µUSD interest + ${balance.principalOutstandingMicros} µUSD principal).`);
  }
  const interestPaidMicros = amountMicros < balance.interestAccruedMicros ? amountMicros : balance.interestAccruedMicros;
  const principalPaidMicros = amountMicros - interestPaidMicros;
  return {
    interestPaidMicros,
    principalPaidMicros,
    remaining: { principalOutstandingMicros: balance.principalOutstandingMicros - principalPaidMicros, interestAccruedMicros: balance.interestAccruedMicros - interestPaidMicros },
  };
}

// ───────────────────────────── Installments: allocation and delinquency ─────────────────────────────

export type InstallmentPaymentState = { seq: number; amountMicros: bigint; paidMicros: bigint };
export type InstallmentDueState = InstallmentPaymentState & { dueDate: Date | number };

export type InstallmentAllocation = {
  seq: number;
  appliedMicros: bigint;
  /** paidMicros after this payment. */
  paidMicros: bigint;
  isPaid: boolean;
};

function bySeq<T extends { seq: number }>(installments: readonly T[]): T[] {
  return [...installments].sort((a, b) => a.seq - b.seq);
}

function plannedUnpaid(installment: InstallmentPaymentState): bigint {
  const unpaid = installment.amountMicros - installment.paidMicros;
  return unpaid > 0n ? unpaid : 0n;
}

/**
 * Which installments a payment settles: oldest first, each up to its planned amount, future ones
 * included (paying ahead prepays the next installments). What is left after every planned amount
 * goes to the last installment, which "clears whatever remains" (it can exceed its plan when late
 * payments cost extra interest). Returns only the installments the payment touches.
 */
export function allocatePaymentToInstallments(installments: readonly InstallmentPaymentState[], amountMicros: bigint): InstallmentAllocation[] {
  assertAmount("The payment", amountMicros, { allowZero: true });
  if (amountMicros === 0n) return [];
  const ordered = bySeq(installments);
  if (ordered.length === 0) throw new LoanRuleError("INVALID_AMOUNT", `Cannot allocate ${amountMicros} µUSD: the loan has no installments.`);
  const applied = new Map<number, bigint>();
  let leftMicros = amountMicros;
  for (const installment of ordered) {
    if (leftMicros === 0n) break;
    const unpaid = plannedUnpaid(installment);
    if (unpaid === 0n) continue;
    const step = unpaid < leftMicros ? unpaid : leftMicros;
    applied.set(installment.seq, step);
    leftMicros -= step;
  }
  const last = ordered[ordered.length - 1];
  if (leftMicros > 0n) applied.set(last.seq, (applied.get(last.seq) ?? 0n) + leftMicros);
  return ordered
    .filter((installment) => applied.has(installment.seq))
    .map((installment) => {
      const appliedMicros = applied.get(installment.seq)!;
      const paidMicros = installment.paidMicros + appliedMicros;
      return { seq: installment.seq, appliedMicros, paidMicros, isPaid: paidMicros >= installment.amountMicros };
    });
}

export type OverdueInstallment = { seq: number; dueDate: Date; daysPastDue: number; unpaidMicros: bigint };

function assertGraceDays(value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new LoanRuleError("INVALID_TERM", `gracePeriodDays must be a non-negative whole number of days, got ${String(value)}.`);
  }
}

/**
 * What each installment still owes. With `debtMicros` known: nothing once the debt is zero, and the
 * last installment owes the whole debt once every earlier one is settled ("clears whatever remains").
 */
function unpaidBySeq(ordered: readonly InstallmentPaymentState[], debt: bigint | undefined): Map<number, bigint> {
  const unpaid = new Map<number, bigint>();
  ordered.forEach((installment, index) => {
    let owed = debt === 0n ? 0n : plannedUnpaid(installment);
    const isLast = index === ordered.length - 1;
    if (isLast && debt !== undefined && debt > 0n && ordered.slice(0, -1).every((earlier) => plannedUnpaid(earlier) === 0n)) owed = debt;
    unpaid.set(installment.seq, owed);
  });
  return unpaid;
}

/**
 * Installments unpaid past their grace period, oldest first. daysPastDue = whole UTC days since the
 * due date (0 on the due date itself); an installment is past grace when daysPastDue > gracePeriodDays,
 * so with 5 days of grace one due on the 15th is late on the 16th and past grace (DELINQUENT) on the 21st.
 * Pass `debtMicros` so that a repaid loan owes nothing and the last installment owes whatever remains.
 */
export function overdueInstallments(installments: readonly InstallmentDueState[], now: Date | number, gracePeriodDays: number, options: { debtMicros?: bigint } = {}): OverdueInstallment[] {
  assertGraceDays(gracePeriodDays);
  if (options.debtMicros !== undefined) assertAmount("debtMicros", options.debtMicros, { allowZero: true });
  const today = utcDayNumber(now);
  const ordered = bySeq(installments);
  const unpaid = unpaidBySeq(ordered, options.debtMicros);
  const overdue: OverdueInstallment[] = [];
  for (const installment of ordered) {
    const unpaidMicros = unpaid.get(installment.seq)!;
    const daysPastDue = today - utcDayNumber(installment.dueDate);
    if (unpaidMicros > 0n && daysPastDue > gracePeriodDays) {
      overdue.push({ seq: installment.seq, dueDate: new Date(utcDayNumber(installment.dueDate) * DAY_MS), daysPastDue, unpaidMicros });
    }
  }
  return overdue;
}

export type InstallmentStatus = "DUE" | "PAID" | "OVERDUE";

/**
 * The status a full liquidation gives an installment its proceeds did not pay: the loan is closed
 * and the unpaid rest is the lender's loss, so it is neither due nor paid.
 */
export const INSTALLMENT_WRITTEN_OFF = "WRITTEN_OFF";

/** The Installment.status column: PAID when it owes nothing, OVERDUE when unpaid past grace, else DUE. */
export function installmentStatuses(installments: readonly InstallmentDueState[], now: Date | number, gracePeriodDays: number, options: { debtMicros?: bigint } = {}): Map<number, InstallmentStatus> {
  const overdue = new Set(overdueInstallments(installments, now, gracePeriodDays, options).map((o) => o.seq));
  const unpaid = unpaidBySeq(bySeq(installments), options.debtMicros);
  return new Map(bySeq(installments).map((i) => [i.seq, unpaid.get(i.seq) === 0n ? "PAID" : overdue.has(i.seq) ? "OVERDUE" : "DUE"]));
}
