import { describe, expect, test } from "vitest";
import {
  accrueInterest,
  accrueInterestMicros,
  addMonthsUtc,
  allocatePaymentToInstallments,
  applyPayment,
  buildInstallmentSchedule,
  debtMicros,
  installmentStatuses,
  levelPaymentMicros,
  LoanRuleError,
  overdueInstallments,
  utcDaysBetween,
  type InstallmentDueState,
  type LoanBalance,
} from "./schedule";

const USD = 1_000_000n;
const utc = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const iso = (date: Date) => date.toISOString().slice(0, 10);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof LoanRuleError) return error.code;
    throw error;
  }
  return "no error";
}

describe("levelPaymentMicros: A = P·a·(b+a)^n / (b·((b+a)^n − b^n)), b = 120,000, rounded up", () => {
  test.each<[string, bigint, number, number, bigint]>([
    // 1.01^12 = 101^12 / 100^12 = 1.126825030131969720661201 exactly;
    // A = 100,000,000,000 × 0.01 × 1.126825030131969720661201 / 0.126825030131969720661201 = 8,884,878,867.834171… → 8,884,878,868.
    ["$100,000 at 12% over 12 months = $8,884.878868", 100_000n * USD, 1_200, 12, 8_884_878_868n],
    // i = 1,500 / 120,000 = 0.0125; 1.0125^24 = 1.347351050414351337…;
    // A = 10,000,000,000 × 0.0125 × 1.347351050414… / 0.347351050414… = 484,866,480.469510… → 484,866,481.
    ["$10,000 at 15% over 24 months", 10_000n * USD, 1_500, 24, 484_866_481n],
    // i = 1,650 / 120,000 = 0.01375: A = 7,380,352,700.081829… → 7,380,352,701 (Parsec's demo loan: $150,000, 16.5%, 24 months).
    ["$150,000 at 16.5% over 24 months: a fraction of a µUSD still rounds up", 150_000n * USD, 1_650, 24, 7_380_352_701n],
    // i = 999 / 120,000; (1 + i)^360 = 19.778466480243047…; A = 10^15 × i × that / (that − 1) = 8,768,326,935,602.477935… → …603.
    // Exact over a 360th power: a float would carry ~16 significant digits of 19 here.
    ["$1,000,000,000 at 9.99% over 360 months", 1_000_000_000n * USD, 999, 360, 8_768_326_935_603n],
    // One month: A = P·a·(b+a) / (b·a) = P × (1 + i) = 100,000 × 1.01 exactly.
    ["one month is principal plus one month's interest", 100_000n * USD, 1_200, 1, 101_000n * USD],
    // APR 0: ⌈P / n⌉.
    ["APR 0 divides evenly: $120 over 12 months", 120n * USD, 0, 12, 10n * USD],
    ["APR 0 rounds up: 100 µUSD over 3 months = ⌈33.33…⌉", 100n, 0, 3, 34n],
    // 1 µUSD at 1 bps over 1 month: 1 × 120,001 / 120,000 = 1.0000083 → 2.
    ["1 µUSD at 1 bps for 1 month rounds up to 2 µUSD", 1n, 1, 1, 2n],
  ])("%s", (_label, principal, aprBps, termMonths, expected) => {
    expect(levelPaymentMicros(principal, aprBps, termMonths)).toBe(expected);
  });

  test.each<[string, unknown, unknown, unknown, string]>([
    ["a zero principal", 0n, 1_200, 12, "INVALID_AMOUNT"],
    ["a negative principal", -1n, 1_200, 12, "INVALID_AMOUNT"],
    ["a number principal", 100, 1_200, 12, "INVALID_AMOUNT"],
    ["a negative APR", 1n, -1, 12, "INVALID_RATE"],
    ["a fractional APR", 1n, 12.5, 12, "INVALID_RATE"],
    ["a zero term", 1n, 1_200, 0, "INVALID_TERM"],
    ["a fractional term", 1n, 1_200, 1.5, "INVALID_TERM"],
    ["a term over 30 years", 1n, 1_200, 361, "INVALID_TERM"],
  ])("refuses %s", (_label, principal, aprBps, termMonths, code) => {
    expect(codeOf(() => levelPaymentMicros(principal as bigint, aprBps as number, termMonths as number))).toBe(code);
  });
});

describe("addMonthsUtc: same day of the month, clamped to the month's end", () => {
  test.each<[string, string, number, string]>([
    ["Jan 15 + 1", "2026-01-15T14:20:00Z", 1, "2026-02-15"],
    ["Jan 31 + 1 → Feb 28", "2026-01-31", 1, "2026-02-28"],
    ["Jan 31 + 1 in a leap year → Feb 29", "2028-01-31", 1, "2028-02-29"],
    ["Jan 31 + 2 → Mar 31 (counted from the anchor, not from Feb 28)", "2026-01-31", 2, "2026-03-31"],
    ["Aug 31 + 1 → Sep 30", "2026-08-31", 1, "2026-09-30"],
    ["Dec 15 + 1 crosses the year", "2026-12-15", 1, "2027-01-15"],
    ["Feb 29 + 12 → Feb 28 next year", "2028-02-29", 12, "2029-02-28"],
    ["Mar 31 − 1 → Feb 28", "2026-03-31", -1, "2026-02-28"],
    ["+ 0 drops the time of day", "2026-05-05T23:59:59Z", 0, "2026-05-05"],
  ])("%s", (_label, from, months, expected) => {
    const result = addMonthsUtc(utc(from), months);
    expect(result.toISOString()).toBe(`${expected}T00:00:00.000Z`);
  });
});

describe("buildInstallmentSchedule", () => {
  test("month-end anchors clamp each month and come back to the 31st", () => {
    const schedule = buildInstallmentSchedule({ principalMicros: 6_000n * USD, aprBps: 1_000, termMonths: 6, startDate: utc("2027-12-31T10:00:00Z") });
    expect(schedule.map((row) => iso(row.dueDate))).toEqual(["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30"]);
  });

  test("firstDueDate is the first installment's date", () => {
    const schedule = buildInstallmentSchedule({ principalMicros: 3_000n * USD, aprBps: 0, termMonths: 3, firstDueDate: utc("2026-01-31") });
    expect(schedule.map((row) => iso(row.dueDate))).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
  });

  // 100 µUSD at 0% over 3: A = ⌈100 / 3⌉ = 34; 34 + 34 leaves 32 for the last.
  test("APR 0: level ⌈P/n⌉, the last clears the rest", () => {
    const schedule = buildInstallmentSchedule({ principalMicros: 100n, aprBps: 0, termMonths: 3, startDate: utc("2026-01-01") });
    expect(schedule.map((row) => [row.amountMicros, row.interestMicros, row.principalMicros, row.balanceAfterMicros])).toEqual([
      [34n, 0n, 34n, 66n],
      [34n, 0n, 34n, 32n],
      [32n, 0n, 32n, 0n],
    ]);
  });

  // 5 µUSD over 12 months at 0%: A = ⌈5/12⌉ = 1, so five installments of 1 pay it all; the rest plan 0, never below.
  test("rounding A up never plans a negative balance (tiny loan)", () => {
    const schedule = buildInstallmentSchedule({ principalMicros: 5n, aprBps: 0, termMonths: 12, startDate: utc("2026-01-01") });
    expect(schedule.map((row) => row.amountMicros)).toEqual([1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(schedule.every((row) => row.balanceAfterMicros >= 0n)).toBe(true);
  });

  test.each<[string, bigint, number, number]>([
    ["$100,000 at 12% over 12", 100_000n * USD, 1_200, 12],
    ["$150,000 at 16.5% over 24", 150_000n * USD, 1_650, 24],
    ["$7.77 at 0.01% over 7", 7_770_000n, 1, 7],
    ["$1,000,000,000 at 9.99% over 360", 1_000_000_000n * USD, 999, 360],
  ])("principal parts sum to the principal and every row is interest + principal: %s", (_label, principal, aprBps, termMonths) => {
    const schedule = buildInstallmentSchedule({ principalMicros: principal, aprBps, termMonths, startDate: utc("2026-01-15") });
    expect(schedule.reduce((sum, row) => sum + row.principalMicros, 0n)).toBe(principal);
    expect(schedule.every((row) => row.amountMicros === row.interestMicros + row.principalMicros)).toBe(true);
    const payment = levelPaymentMicros(principal, aprBps, termMonths);
    expect(schedule.slice(0, -1).every((row) => row.amountMicros === payment)).toBe(true);
    // Each month the plan pays down up to 2 µUSD more than the exact annuity (A rounded up, interest
    // floored), and that lead compounds at i = a/b: the last installment is short of A by less than
    // 2 × Σ (1+i)^j (j < n) = 2 × ((b+a)^n − b^n) / (a × b^(n−1)) µUSD (2n at APR 0).
    const last = schedule[schedule.length - 1].amountMicros;
    const [a, b, n] = [BigInt(aprBps), 120_000n, BigInt(termMonths)];
    const shortfall = payment - last;
    expect(shortfall >= 0n).toBe(true);
    if (a === 0n) expect(shortfall < 2n * n).toBe(true);
    else expect(shortfall * a * b ** (n - 1n) < 2n * ((b + a) ** n - b ** n)).toBe(true);
  });

  test.each<[string, object]>([
    ["neither startDate nor firstDueDate", {}],
    ["both", { startDate: utc("2026-01-01"), firstDueDate: utc("2026-02-01") }],
    ["an invalid date", { startDate: new Date("nope") }],
  ])("refuses %s", (_label, dates) => {
    expect(codeOf(() => buildInstallmentSchedule({ principalMicros: USD, aprBps: 0, termMonths: 1, ...dates }))).toBe("INVALID_DATE");
  });
});

describe("utcDaysBetween counts UTC midnights crossed", () => {
  test.each<[string, string, string, number]>([
    ["same day, morning to night", "2026-01-15T00:00:00Z", "2026-01-15T23:59:59Z", 0],
    ["one minute across midnight is a day", "2026-01-15T23:59:00Z", "2026-01-16T00:00:00Z", 1],
    ["Jan 15 14:20 → Feb 15 10:00 is 31 days", "2026-01-15T14:20:00Z", "2026-02-15T10:00:00Z", 31],
    ["Feb 28 → Mar 1 in 2028 (leap) is 2 days", "2028-02-28", "2028-03-01", 2],
    ["a whole year 2026 is 365 days", "2026-01-01", "2027-01-01", 365],
    ["backwards is negative", "2026-01-02", "2026-01-01", -1],
  ])("%s", (_label, from, to, expected) => {
    expect(utcDaysBetween(utc(from), utc(to))).toBe(expected);
  });
});

describe("accrueInterestMicros: ⌊principal × aprBps × days / 3,650,000⌋", () => {
  test.each<[string, bigint, number, string, string, bigint]>([
    // 100,000,000,000 × 1,200 × 31 / 3,650,000 = 1,019,178,082.19… → 1,019,178,082.
    ["$100,000 at 12% for 31 days", 100_000n * USD, 1_200, "2026-01-15T14:20:00Z", "2026-02-15T10:00:00Z", 1_019_178_082n],
    // 1,000,000,000,000 × 3,650 × 1 / 3,650,000 = 1,000,000,000 exactly.
    ["$1,000,000 at 36.5% for one day is exactly $1,000", 1_000_000n * USD, 3_650, "2026-03-01T12:00:00Z", "2026-03-02T00:00:00Z", 1_000n * USD],
    ["no midnight crossed: nothing", 1_000_000n * USD, 3_650, "2026-03-01T00:00:00Z", "2026-03-01T23:59:59Z", 0n],
    // 1 × 10,000 × 1 / 3,650,000 = 0.0027 → 0.
    ["1 µUSD at 100% for a day floors to 0", 1n, 10_000, "2026-03-01", "2026-03-02", 0n],
    ["APR 0 accrues nothing", 1_000_000n * USD, 0, "2026-01-01", "2027-01-01", 0n],
    ["no principal accrues nothing", 0n, 1_200, "2026-01-01", "2027-01-01", 0n],
    // 1,000,000 × 1,000 × 365 / 3,650,000 = 100,000 exactly: 10% of $1 over a year.
    ["$1 at 10% for a 365-day year is exactly 10 cents", USD, 1_000, "2026-01-01", "2027-01-01", 100_000n],
    // 2028 has 366 days: 1,000,000 × 1,000 × 366 / 3,650,000 = 100,273.97… → 100,273 (APR/365, actual days).
    ["…and a leap year earns one more day", USD, 1_000, "2028-01-01", "2029-01-01", 100_273n],
  ])("%s", (_label, principal, aprBps, from, to, expected) => {
    expect(accrueInterestMicros(principal, aprBps, utc(from), utc(to))).toBe(expected);
  });

  test("carrying the remainder makes daily accrual equal the single-period figure", () => {
    // $1 at 10% for 365 days. Per day: 1,000,000 × 1,000 / 3,650,000 = 273.97… µUSD.
    // Flooring each day alone loses the .97: 273 × 365 = 99,645. With the carry: 100,000, as in one go.
    let remainder = 0n;
    let carried = 0n;
    let naive = 0n;
    for (let day = 0; day < 365; day++) {
      const from = Date.UTC(2026, 0, 1 + day);
      const to = Date.UTC(2026, 0, 2 + day);
      const accrual = accrueInterest({ principalOutstandingMicros: USD, aprBps: 1_000, from, to, remainder });
      carried += accrual.interestMicros;
      remainder = accrual.remainder;
      naive += accrueInterestMicros(USD, 1_000, from, to);
    }
    expect(carried).toBe(100_000n);
    expect(remainder).toBe(0n);
    expect(naive).toBe(99_645n);
  });

  test.each<[string, number[]]>([
    ["two halves", [0, 100, 200]],
    ["uneven segments", [0, 1, 2, 30, 31, 59, 200]],
    ["a segment of zero days in the middle", [0, 10, 10, 200]],
  ])("any segmentation sums to the single-period figure: %s", (_label, dayMarks) => {
    const principal = 123_456_789n;
    const start = Date.UTC(2026, 0, 1);
    let remainder = 0n;
    let total = 0n;
    for (let i = 1; i < dayMarks.length; i++) {
      const accrual = accrueInterest({ principalOutstandingMicros: principal, aprBps: 1_337, from: start + dayMarks[i - 1] * 86_400_000, to: start + dayMarks[i] * 86_400_000, remainder });
      total += accrual.interestMicros;
      remainder = accrual.remainder;
    }
    // 123,456,789 × 1,337 × 200 / 3,650,000 = 9,044,478.185918 → 9,044,478, and the 0.185918 µUSD (678,600 / 3,650,000) stays as the remainder.
    expect(total).toBe(9_044_478n);
    expect(remainder).toBe(678_600n);
    expect(total * 3_650_000n + remainder).toBe(123_456_789n * 1_337n * 200n);
  });

  test.each<[string, () => unknown, string]>([
    ["backwards in time", () => accrueInterest({ principalOutstandingMicros: USD, aprBps: 100, from: utc("2026-02-01"), to: utc("2026-01-01") }), "INVALID_DATE"],
    ["a remainder of a whole µUSD or more", () => accrueInterest({ principalOutstandingMicros: USD, aprBps: 100, from: 0, to: 0, remainder: 3_650_000n }), "INVALID_AMOUNT"],
    ["a negative remainder", () => accrueInterest({ principalOutstandingMicros: USD, aprBps: 100, from: 0, to: 0, remainder: -1n }), "INVALID_AMOUNT"],
    ["a negative principal", () => accrueInterestMicros(-1n, 100, 0, 0), "INVALID_AMOUNT"],
    ["a fractional APR", () => accrueInterestMicros(USD, 1.5, 0, 0), "INVALID_RATE"],
  ])("refuses %s", (_label, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe("applyPayment: interest first, then principal", () => {
  const balance: LoanBalance = { principalOutstandingMicros: 1_000n, interestAccruedMicros: 30n };

  test("debt = principal outstanding + accrued interest", () => {
    expect(debtMicros(balance)).toBe(1_030n);
  });

  test.each<[string, bigint, bigint, bigint, LoanBalance]>([
    ["less than the interest pays only interest", 10n, 10n, 0n, { principalOutstandingMicros: 1_000n, interestAccruedMicros: 20n }],
    ["exactly the interest", 30n, 30n, 0n, { principalOutstandingMicros: 1_000n, interestAccruedMicros: 0n }],
    ["interest, then principal", 130n, 30n, 100n, { principalOutstandingMicros: 900n, interestAccruedMicros: 0n }],
    ["the whole debt leaves nothing", 1_030n, 30n, 1_000n, { principalOutstandingMicros: 0n, interestAccruedMicros: 0n }],
  ])("%s", (_label, amount, interestPaid, principalPaid, remaining) => {
    expect(applyPayment(balance, amount)).toEqual({ interestPaidMicros: interestPaid, principalPaidMicros: principalPaid, remaining });
  });

  test("paying more than the debt is refused, naming both figures", () => {
    expect(() => applyPayment(balance, 1_031n)).toThrow(
      expect.objectContaining({ code: "OVERPAYMENT", message: "A payment of 1031 µUSD is more than the debt of 1030 µUSD (30 µUSD interest + 1000 µUSD principal)." }),
    );
  });

  test.each<[string, bigint]>([
    ["zero", 0n],
    ["negative", -5n],
  ])("a %s payment is refused", (_label, amount) => {
    expect(codeOf(() => applyPayment(balance, amount))).toBe("INVALID_AMOUNT");
  });
});

describe("allocatePaymentToInstallments: oldest first; the last clears whatever remains", () => {
  const three = () => [
    { seq: 1, amountMicros: 100n, paidMicros: 0n },
    { seq: 2, amountMicros: 100n, paidMicros: 0n },
    { seq: 3, amountMicros: 90n, paidMicros: 0n },
  ];
  const rows = (allocations: ReturnType<typeof allocatePaymentToInstallments>) => allocations.map((a) => [a.seq, a.appliedMicros, a.paidMicros, a.isPaid]);

  test.each<[string, { seq: number; amountMicros: bigint; paidMicros: bigint }[], bigint, unknown[]]>([
    ["exactly the first installment", three(), 100n, [[1, 100n, 100n, true]]],
    ["part of the first", three(), 40n, [[1, 40n, 40n, false]]],
    ["the rest of a part-paid one, then the next", [{ seq: 1, amountMicros: 100n, paidMicros: 60n }, ...three().slice(1)], 50n, [[1, 40n, 100n, true], [2, 10n, 10n, false]]],
    ["paid ones are skipped", [{ seq: 1, amountMicros: 100n, paidMicros: 100n }, ...three().slice(1)], 100n, [[2, 100n, 100n, true]]],
    ["paying ahead prepays the next installments", three(), 250n, [[1, 100n, 100n, true], [2, 100n, 100n, true], [3, 50n, 50n, false]]],
    ["beyond every plan, the rest goes to the last one", three(), 300n, [[1, 100n, 100n, true], [2, 100n, 100n, true], [3, 100n, 100n, true]]],
    ["on a fully paid schedule, the last one takes it all", three().map((i) => ({ ...i, paidMicros: i.amountMicros })), 7n, [[3, 7n, 97n, true]]],
    ["input order does not matter: seq decides", three().reverse(), 150n, [[1, 100n, 100n, true], [2, 50n, 50n, false]]],
    ["zero allocates nothing", three(), 0n, []],
  ])("%s", (_label, installments, amount, expected) => {
    expect(rows(allocatePaymentToInstallments(installments, amount))).toEqual(expected);
  });

  test.each<[string, () => unknown, string]>([
    ["a negative payment", () => allocatePaymentToInstallments(three(), -1n), "INVALID_AMOUNT"],
    ["a payment to a loan with no installments", () => allocatePaymentToInstallments([], 1n), "INVALID_AMOUNT"],
  ])("refuses %s", (_label, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe("overdueInstallments: unpaid more than gracePeriodDays whole UTC days after the due date", () => {
  const installments = (paid: bigint[] = [0n, 0n, 0n]): InstallmentDueState[] => [
    { seq: 1, dueDate: utc("2026-02-15"), amountMicros: 100n, paidMicros: paid[0] },
    { seq: 2, dueDate: utc("2026-03-15"), amountMicros: 100n, paidMicros: paid[1] },
    { seq: 3, dueDate: utc("2026-04-15"), amountMicros: 90n, paidMicros: paid[2] },
  ];
  const seqs = (now: string, paid?: bigint[], options?: { debtMicros?: bigint }, grace = 5) =>
    overdueInstallments(installments(paid), utc(now), grace, options).map((o) => [o.seq, o.daysPastDue, o.unpaidMicros]);

  test.each<[string, string, bigint[] | undefined, { debtMicros?: bigint } | undefined, number, unknown[]]>([
    ["on the due date: not late", "2026-02-15T23:59:59Z", undefined, undefined, 5, []],
    ["5 days after (Feb 20): late but inside grace", "2026-02-20T23:00:00Z", undefined, undefined, 5, []],
    ["6 days after (Feb 21, 00:00): past grace", "2026-02-21T00:00:00Z", undefined, undefined, 5, [[1, 6, 100n]]],
    ["grace 0: the day after the due date", "2026-02-16", undefined, undefined, 0, [[1, 1, 100n]]],
    ["several, oldest first", "2026-03-25", undefined, undefined, 5, [[1, 38, 100n], [2, 10, 100n]]],
    ["a part-paid installment owes the rest", "2026-02-25", [70n, 0n, 0n], undefined, 5, [[1, 10, 30n]]],
    ["a paid one is never overdue", "2026-02-25", [100n, 0n, 0n], undefined, 5, []],
    ["a repaid loan (debt 0) owes nothing", "2026-05-25", [100n, 0n, 0n], { debtMicros: 0n }, 5, []],
    ["the last owes whatever remains once the others are paid (late interest)", "2026-04-25", [100n, 100n, 90n], { debtMicros: 4n }, 5, [[3, 10, 4n]]],
    ["without the debt, the plan decides for the last one too", "2026-04-25", [100n, 100n, 90n], undefined, 5, []],
  ])("%s", (_label, now, paid, options, grace, expected) => {
    expect(seqs(now, paid, options, grace)).toEqual(expected);
  });

  test("the due date comes back as the UTC date", () => {
    expect(overdueInstallments([{ seq: 1, dueDate: utc("2026-02-15T13:00:00Z"), amountMicros: 1n, paidMicros: 0n }], utc("2026-03-01"), 5)[0].dueDate.toISOString()).toBe("2026-02-15T00:00:00.000Z");
  });

  test.each<[string, unknown]>([
    ["negative", -1],
    ["fractional", 2.5],
  ])("refuses a %s grace period", (_label, grace) => {
    expect(codeOf(() => overdueInstallments(installments(), utc("2026-03-01"), grace as number))).toBe("INVALID_TERM");
  });

  test("installmentStatuses: PAID, OVERDUE past grace, else DUE", () => {
    const statuses = installmentStatuses(installments([100n, 40n, 0n]), utc("2026-03-21"), 5, { debtMicros: 150n });
    expect([...statuses]).toEqual([
      [1, "PAID"],
      [2, "OVERDUE"],
      [3, "DUE"],
    ]);
    expect([...installmentStatuses(installments([100n, 40n, 0n]), utc("2026-03-21"), 5, { debtMicros: 0n }).values()]).toEqual(["PAID", "PAID", "PAID"]);
  });
});
