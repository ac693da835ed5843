// Golden scenarios: a $100,000 loan at 12% APR over 12 months, activated 2026-01-15 at 14:20 UTC,
// installments due on the 15th, 5 days of grace. Every expected figure below was worked out
// independently of this code, with exact fractions (the derivation is in the comment above each
// row), and never copied from the functions' output.
//
// How each row is derived. Interest accrues at APR/365 on whole UTC days: a segment of d days on
// principal p earns p × 1,200 × d / 3,650,000 µUSD. The sub-µUSD "carry" is kept, so the interest
// accrued by a date is ⌊total exact interest so far⌋ and each row's interest is that floor minus
// the previous one. A payment pays the interest accrued, then principal; the last payment is the
// whole debt (principal left + its interest).

import { describe, expect, test } from "vitest";
import { derivedEventForFacts, transition, type LoanState } from "./lifecycle";
import {
  accrueInterest,
  allocatePaymentToInstallments,
  applyPayment,
  buildInstallmentSchedule,
  debtMicros,
  installmentStatuses,
  levelPaymentMicros,
  overdueInstallments,
  type LoanBalance,
} from "./schedule";

const P = 100_000_000_000n; // $100,000
const APR_BPS = 1_200; // 12%
const TERM_MONTHS = 12;
const GRACE_DAYS = 5;
const ACTIVATED_AT = Date.parse("2026-01-15T14:20:00Z");
const HEALTHY_COVERAGE_BPS = 15_000;
const MAINTENANCE_BPS = 12_500;

// i = 1,200 / 120,000 = 1/100 a month. (1.01)^12 = 101^12 / 100^12 = 1.126825030131969720661201 exactly, so
// A = P × i / (1 − 1.01^−12) = 100,000,000,000 × 0.01 × 1.126825030131969720661201 / 0.126825030131969720661201
//   = 8,884,878,867.834171… µUSD → rounded up: 8,884,878,868 µUSD ($8,884.88, the textbook figure).
const A = 8_884_878_868n;

/** [date paid (10:00 UTC), amount paid, days since the previous payment, interest paid, principal paid, principal left, carry (µUSD/3,650,000)] */
type Row = [string, bigint, number, bigint, bigint, bigint, bigint];

const schedule = () => buildInstallmentSchedule({ principalMicros: P, aprBps: APR_BPS, termMonths: TERM_MONTHS, startDate: ACTIVATED_AT });

/** A loan as the server would hold it: balance, carry, installments and state, moved only by the domain functions. */
function openLoan() {
  const installments = schedule().map((row) => ({ seq: row.seq, dueDate: row.dueDate, amountMicros: row.amountMicros, paidMicros: 0n }));
  let balance: LoanBalance = { principalOutstandingMicros: P, interestAccruedMicros: 0n };
  let remainder = 0n;
  let accruedThrough = ACTIVATED_AT;
  let lastPaymentAt = ACTIVATED_AT;
  let state: LoanState = "ACTIVE";
  const states: LoanState[] = [state];
  const rows: Row[] = [];

  function accrueTo(at: number) {
    const accrual = accrueInterest({ principalOutstandingMicros: balance.principalOutstandingMicros, aprBps: APR_BPS, from: accruedThrough, to: at, remainder });
    balance = { ...balance, interestAccruedMicros: balance.interestAccruedMicros + accrual.interestMicros };
    remainder = accrual.remainder;
    accruedThrough = at;
  }

  function overdueAt(at: number) {
    return overdueInstallments(installments, at, GRACE_DAYS, { debtMicros: debtMicros(balance) });
  }

  /** What the coverage monitor / overdue sweep does: accrue, derive the event if any, transition. */
  function monitor(iso: string): LoanState {
    const at = Date.parse(iso);
    accrueTo(at);
    if (debtMicros(balance) === 0n) {
      state = transition(state, { type: "repaidInFull", debtMicros: 0n }, { role: "system" }, at).state;
    } else {
      const event = derivedEventForFacts(state, { coverageBps: HEALTHY_COVERAGE_BPS, maintenanceBps: MAINTENANCE_BPS, overdue: overdueAt(at) }, { cureWindowHours: 72 });
      if (event) state = transition(state, event, { role: "system" }, at).state;
    }
    if (states[states.length - 1] !== state) states.push(state);
    return state;
  }

  function pay(day: string, amount: bigint | "payoff") {
    const at = Date.parse(`${day}T10:00:00Z`);
    accrueTo(at);
    const interestBefore = balance.interestAccruedMicros;
    const amountMicros = amount === "payoff" ? debtMicros(balance) : amount;
    const applied = applyPayment(balance, amountMicros);
    expect(applied.interestPaidMicros).toBe(interestBefore); // every payment here covers the interest
    balance = applied.remaining;
    const allocations = allocatePaymentToInstallments(installments, amountMicros);
    for (const allocation of allocations) installments.find((i) => i.seq === allocation.seq)!.paidMicros = allocation.paidMicros;
    const days = Math.floor(at / 86_400_000) - Math.floor(lastPaymentAt / 86_400_000); // calendar days between the two UTC dates
    lastPaymentAt = at;
    rows.push([day, amountMicros, days, applied.interestPaidMicros, applied.principalPaidMicros, balance.principalOutstandingMicros, remainder]);
    monitor(`${day}T10:00:00Z`);
    return allocations.map((a) => [a.seq, a.appliedMicros, a.paidMicros]);
  }

  return {
    pay,
    monitor,
    overdueAt: (iso: string) => overdueAt(Date.parse(iso)).map((o) => [o.seq, o.daysPastDue, o.unpaidMicros]),
    statuses: (iso: string) => [...installmentStatuses(installments, Date.parse(iso), GRACE_DAYS, { debtMicros: debtMicros(balance) }).values()],
    get balance() {
      return balance;
    },
    get rows() {
      return rows;
    },
    get states() {
      return states;
    },
  };
}

describe("(a) the full 12-month term, every installment paid on its due date", () => {
  test("the level payment", () => {
    expect(levelPaymentMicros(P, APR_BPS, TERM_MONTHS)).toBe(A);
  });

  test("the planned schedule: due dates, amounts and the APR/12 split", () => {
    // Planned interest = ⌊balance × 1,200 / 120,000⌋ = ⌊balance / 100⌋; principal = A − interest; the last row is the balance left plus its interest.
    // [seq, due date, amount, interest, principal, planned balance after]
    const expected = [
      // #1 due 2026-02-15: interest ⌊100,000,000,000 / 100⌋ = 1,000,000,000; principal 8,884,878,868 − 1,000,000,000 = 7,884,878,868; balance 100,000,000,000 − 7,884,878,868 = 92,115,121,132
      [1, "2026-02-15", 8_884_878_868n, 1_000_000_000n, 7_884_878_868n, 92_115_121_132n],
      // #2 due 2026-03-15: interest ⌊92,115,121,132 / 100⌋ = 921,151,211; principal 8,884,878,868 − 921,151,211 = 7,963,727,657; balance 92,115,121,132 − 7,963,727,657 = 84,151,393,475
      [2, "2026-03-15", 8_884_878_868n, 921_151_211n, 7_963_727_657n, 84_151_393_475n],
      // #3 due 2026-04-15: interest ⌊84,151,393,475 / 100⌋ = 841,513,934; principal 8,884,878,868 − 841,513,934 = 8,043,364,934; balance 84,151,393,475 − 8,043,364,934 = 76,108,028,541
      [3, "2026-04-15", 8_884_878_868n, 841_513_934n, 8_043_364_934n, 76_108_028_541n],
      // #4 due 2026-05-15: interest ⌊76,108,028,541 / 100⌋ = 761,080,285; principal 8,884,878,868 − 761,080,285 = 8,123,798,583; balance 76,108,028,541 − 8,123,798,583 = 67,984,229,958
      [4, "2026-05-15", 8_884_878_868n, 761_080_285n, 8_123_798_583n, 67_984_229_958n],
      // #5 due 2026-06-15: interest ⌊67,984,229,958 / 100⌋ = 679,842,299; principal 8,884,878,868 − 679,842,299 = 8,205,036,569; balance 67,984,229,958 − 8,205,036,569 = 59,779,193,389
      [5, "2026-06-15", 8_884_878_868n, 679_842_299n, 8_205_036_569n, 59_779_193_389n],
      // #6 due 2026-07-15: interest ⌊59,779,193,389 / 100⌋ = 597,791,933; principal 8,884,878,868 − 597,791,933 = 8,287,086,935; balance 59,779,193,389 − 8,287,086,935 = 51,492,106,454
      [6, "2026-07-15", 8_884_878_868n, 597_791_933n, 8_287_086_935n, 51_492_106_454n],
      // #7 due 2026-08-15: interest ⌊51,492,106,454 / 100⌋ = 514,921,064; principal 8,884,878,868 − 514,921,064 = 8,369,957,804; balance 51,492,106,454 − 8,369,957,804 = 43,122,148,650
      [7, "2026-08-15", 8_884_878_868n, 514_921_064n, 8_369_957_804n, 43_122_148_650n],
      // #8 due 2026-09-15: interest ⌊43,122,148,650 / 100⌋ = 431,221,486; principal 8,884,878,868 − 431,221,486 = 8,453,657,382; balance 43,122,148,650 − 8,453,657,382 = 34,668,491,268
      [8, "2026-09-15", 8_884_878_868n, 431_221_486n, 8_453_657_382n, 34_668_491_268n],
      // #9 due 2026-10-15: interest ⌊34,668,491,268 / 100⌋ = 346,684,912; principal 8,884,878,868 − 346,684,912 = 8,538,193,956; balance 34,668,491,268 − 8,538,193,956 = 26,130,297,312
      [9, "2026-10-15", 8_884_878_868n, 346_684_912n, 8_538_193_956n, 26_130_297_312n],
      // #10 due 2026-11-15: interest ⌊26,130,297,312 / 100⌋ = 261,302,973; principal 8,884,878,868 − 261,302,973 = 8,623,575,895; balance 26,130,297,312 − 8,623,575,895 = 17,506,721,417
      [10, "2026-11-15", 8_884_878_868n, 261_302_973n, 8_623_575_895n, 17_506_721_417n],
      // #11 due 2026-12-15: interest ⌊17,506,721,417 / 100⌋ = 175,067,214; principal 8,884,878,868 − 175,067,214 = 8,709,811,654; balance 17,506,721,417 − 8,709,811,654 = 8,796,909,763
      [11, "2026-12-15", 8_884_878_868n, 175_067_214n, 8_709_811_654n, 8_796_909_763n],
      // #12 due 2027-01-15: interest ⌊8,796,909,763 / 100⌋ = 87,969,097; principal = the balance left 8,796,909,763; amount 87,969,097 + 8,796,909,763 = 8,884,878,860
      [12, "2027-01-15", 8_884_878_860n, 87_969_097n, 8_796_909_763n, 0n],
    ];
    expect(schedule().map((row) => [row.seq, row.dueDate.toISOString().slice(0, 10), row.amountMicros, row.interestMicros, row.principalMicros, row.balanceAfterMicros])).toEqual(expected);
  });

  test("actual interest at APR/365, paid on time to a debt of 0", () => {
    const expected: Row[] = [
      // Feb 15: 31 d × 100,000,000,000 × 1,200 / 3,650,000 = 1,019,178,082.191781; + carry 0.000000 = 1,019,178,082.191781 → interest 1,019,178,082, carry 0.191781 µUSD (= 700,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 1,019,178,082 = 7,865,700,786, leaving 100,000,000,000 − 7,865,700,786 = 92,134,299,214
      ["2026-02-15", A, 31, 1_019_178_082n, 7_865_700_786n, 92_134_299_214n, 700_000n],
      // Mar 15: 28 d × 92,134,299,214 × 1,200 / 3,650,000 = 848,140,398.243945; + carry 0.191781 = 848,140,398.435726 → interest 848,140,398, carry 0.435726 µUSD (= 1,590,400 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 848,140,398 = 8,036,738,470, leaving 92,134,299,214 − 8,036,738,470 = 84,097,560,744
      ["2026-03-15", A, 28, 848_140_398n, 8_036_738_470n, 84_097_560_744n, 1_590_400n],
      // Apr 15: 31 d × 84,097,560,744 × 1,200 / 3,650,000 = 857,103,906.760767; + carry 0.435726 = 857,103,907.196493 → interest 857,103,907, carry 0.196493 µUSD (= 717,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 857,103,907 = 8,027,774,961, leaving 84,097,560,744 − 8,027,774,961 = 76,069,785,783
      ["2026-04-15", A, 31, 857_103_907n, 8_027_774_961n, 76_069_785_783n, 717_200n],
      // May 15: 30 d × 76,069,785,783 × 1,200 / 3,650,000 = 750,277,339.229589; + carry 0.196493 = 750,277,339.426082 → interest 750,277,339, carry 0.426082 µUSD (= 1,555,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 750,277,339 = 8,134,601,529, leaving 76,069,785,783 − 8,134,601,529 = 67,935,184,254
      ["2026-05-15", A, 30, 750_277_339n, 8_134_601_529n, 67_935_184_254n, 1_555_200n],
      // Jun 15: 31 d × 67,935,184,254 × 1,200 / 3,650,000 = 692,380,508.013370; + carry 0.426082 = 692,380,508.439452 → interest 692,380,508, carry 0.439452 µUSD (= 1,604,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 692,380,508 = 8,192,498,360, leaving 67,935,184,254 − 8,192,498,360 = 59,742,685,894
      ["2026-06-15", A, 31, 692_380_508n, 8_192_498_360n, 59_742_685_894n, 1_604_000n],
      // Jul 15: 30 d × 59,742,685,894 × 1,200 / 3,650,000 = 589,242,929.365479; + carry 0.439452 = 589,242,929.804932 → interest 589,242,929, carry 0.804932 µUSD (= 2,938,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 589,242,929 = 8,295,635,939, leaving 59,742,685,894 − 8,295,635,939 = 51,447,049,955
      ["2026-07-15", A, 30, 589_242_929n, 8_295_635_939n, 51_447_049_955n, 2_938_000n],
      // Aug 15: 31 d × 51,447,049,955 × 1,200 / 3,650,000 = 524,337,057.075616; + carry 0.804932 = 524,337,057.880548 → interest 524,337,057, carry 0.880548 µUSD (= 3,214,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 524,337,057 = 8,360,541,811, leaving 51,447,049,955 − 8,360,541,811 = 43,086,508,144
      ["2026-08-15", A, 31, 524_337_057n, 8_360_541_811n, 43_086_508_144n, 3_214_000n],
      // Sep 15: 31 d × 43,086,508,144 × 1,200 / 3,650,000 = 439,128,247.385425; + carry 0.880548 = 439,128,248.265973 → interest 439,128,248, carry 0.265973 µUSD (= 970,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 439,128,248 = 8,445,750,620, leaving 43,086,508,144 − 8,445,750,620 = 34,640,757,524
      ["2026-09-15", A, 31, 439_128_248n, 8_445_750_620n, 34_640_757_524n, 970_800n],
      // Oct 15: 30 d × 34,640,757,524 × 1,200 / 3,650,000 = 341,662,265.990137; + carry 0.265973 = 341,662,266.256110 → interest 341,662,266, carry 0.256110 µUSD (= 934,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 341,662,266 = 8,543,216,602, leaving 34,640,757,524 − 8,543,216,602 = 26,097,540,922
      ["2026-10-15", A, 30, 341_662_266n, 8_543_216_602n, 26_097_540_922n, 934_800n],
      // Nov 15: 31 d × 26,097,540,922 × 1,200 / 3,650,000 = 265,980,417.068055; + carry 0.256110 = 265,980,417.324164 → interest 265,980,417, carry 0.324164 µUSD (= 1,183,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 265,980,417 = 8,618,898,451, leaving 26,097,540,922 − 8,618,898,451 = 17,478,642,471
      ["2026-11-15", A, 31, 265_980_417n, 8_618_898_451n, 17_478_642_471n, 1_183_200n],
      // Dec 15: 30 d × 17,478,642,471 × 1,200 / 3,650,000 = 172,392,090.124932; + carry 0.324164 = 172,392,090.449096 → interest 172,392,090, carry 0.449096 µUSD (= 1,639,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 172,392,090 = 8,712,486,778, leaving 17,478,642,471 − 8,712,486,778 = 8,766,155,693
      ["2026-12-15", A, 30, 172_392_090n, 8_712_486_778n, 8_766_155_693n, 1_639_200n],
      // Jan 15: 31 d × 8,766,155,693 × 1,200 / 3,650,000 = 89,342,737.473863; + carry 0.449096 = 89,342,737.922959 → interest 89,342,737, carry 0.922959 µUSD (= 3,368,800 / 3,650,000)
      //   pays off the debt 8,766,155,693 + 89,342,737 = 8,855,498,430; principal 8,855,498,430 − 89,342,737 = 8,766,155,693, leaving 8,766,155,693 − 8,766,155,693 = 0
      ["2027-01-15", 8_855_498_430n, 31, 89_342_737n, 8_766_155_693n, 0n, 3_368_800n],
    ];
    const loan = openLoan();
    expected.forEach((row, index) => loan.pay(row[0], index === expected.length - 1 ? "payoff" : row[1]));
    expect(loan.rows).toEqual(expected);
    expect(loan.balance).toEqual({ principalOutstandingMicros: 0n, interestAccruedMicros: 0n });
    expect(debtMicros(loan.balance)).toBe(0n);
    // 31+28+31+30+31+30+31+31+30+31+30+31 = 365 days. Interest paid in total = ⌊Σ exact⌋ = 6,589,165,978 µUSD
    // ($6,589.17, vs $6,618.55 planned at APR/12); the 0.922959 µUSD still carried is never charged.
    expect(loan.rows.reduce((sum, row) => sum + row[3], 0n)).toBe(6_589_165_978n);
    expect(loan.rows.reduce((sum, row) => sum + row[2], 0)).toBe(365);
    expect(loan.states).toEqual(["ACTIVE", "REPAID"]);
    expect(loan.statuses("2027-01-15T10:00:00Z")).toEqual(Array(12).fill("PAID"));
  });
});

describe("(b) an early payment: $20,000 extra on Apr 30, then A each month until paid off", () => {
  test("interest falls, principal falls faster, and the loan is repaid on Nov 15", () => {
    const expected: Row[] = [
      // Feb 15: 31 d × 100,000,000,000 × 1,200 / 3,650,000 = 1,019,178,082.191781; + carry 0.000000 = 1,019,178,082.191781 → interest 1,019,178,082, carry 0.191781 µUSD (= 700,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 1,019,178,082 = 7,865,700,786, leaving 100,000,000,000 − 7,865,700,786 = 92,134,299,214
      ["2026-02-15", A, 31, 1_019_178_082n, 7_865_700_786n, 92_134_299_214n, 700_000n],
      // Mar 15: 28 d × 92,134,299,214 × 1,200 / 3,650,000 = 848,140,398.243945; + carry 0.191781 = 848,140,398.435726 → interest 848,140,398, carry 0.435726 µUSD (= 1,590,400 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 848,140,398 = 8,036,738,470, leaving 92,134,299,214 − 8,036,738,470 = 84,097,560,744
      ["2026-03-15", A, 28, 848_140_398n, 8_036_738_470n, 84_097_560_744n, 1_590_400n],
      // Apr 15: 31 d × 84,097,560,744 × 1,200 / 3,650,000 = 857,103,906.760767; + carry 0.435726 = 857,103,907.196493 → interest 857,103,907, carry 0.196493 µUSD (= 717,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 857,103,907 = 8,027,774,961, leaving 84,097,560,744 − 8,027,774,961 = 76,069,785,783
      ["2026-04-15", A, 31, 857_103_907n, 8_027_774_961n, 76_069_785_783n, 717_200n],
      // Apr 30: 15 d × 76,069,785,783 × 1,200 / 3,650,000 = 375,138,669.614794; + carry 0.196493 = 375,138,669.811288 → interest 375,138,669, carry 0.811288 µUSD (= 2,961,200 / 3,650,000)
      //   pays 20,000,000,000; principal 20,000,000,000 − 375,138,669 = 19,624,861,331, leaving 76,069,785,783 − 19,624,861,331 = 56,444,924,452
      ["2026-04-30", 20_000_000_000n, 15, 375_138_669n, 19_624_861_331n, 56_444_924_452n, 2_961_200n],
      // May 15: 15 d × 56,444,924,452 × 1,200 / 3,650,000 = 278,358,531.544110; + carry 0.811288 = 278,358,532.355397 → interest 278,358,532, carry 0.355397 µUSD (= 1,297,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 278,358,532 = 8,606,520,336, leaving 56,444,924,452 − 8,606,520,336 = 47,838,404,116
      ["2026-05-15", A, 15, 278_358_532n, 8_606_520_336n, 47_838_404_116n, 1_297_200n],
      // Jun 15: 31 d × 47,838,404,116 × 1,200 / 3,650,000 = 487,558,529.620603; + carry 0.355397 = 487,558,529.976000 → interest 487,558,529, carry 0.976000 µUSD (= 3,562,400 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 487,558,529 = 8,397,320,339, leaving 47,838,404,116 − 8,397,320,339 = 39,441,083,777
      ["2026-06-15", A, 31, 487_558_529n, 8_397_320_339n, 39_441_083_777n, 3_562_400n],
      // Jul 15: 30 d × 39,441,083,777 × 1,200 / 3,650,000 = 389,007,949.581370; + carry 0.976000 = 389,007,950.557370 → interest 389,007,950, carry 0.557370 µUSD (= 2,034,400 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 389,007,950 = 8,495,870,918, leaving 39,441,083,777 − 8,495,870,918 = 30,945,212,859
      ["2026-07-15", A, 30, 389_007_950n, 8_495_870_918n, 30_945_212_859n, 2_034_400n],
      // Aug 15: 31 d × 30,945,212,859 × 1,200 / 3,650,000 = 315,386,826.946521; + carry 0.557370 = 315,386,827.503890 → interest 315,386,827, carry 0.503890 µUSD (= 1,839,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 315,386,827 = 8,569,492,041, leaving 30,945,212,859 − 8,569,492,041 = 22,375,720,818
      ["2026-08-15", A, 31, 315_386_827n, 8_569_492_041n, 22_375_720_818n, 1_839_200n],
      // Sep 15: 31 d × 22,375,720,818 × 1,200 / 3,650,000 = 228,048,442.309479; + carry 0.503890 = 228,048,442.813370 → interest 228,048,442, carry 0.813370 µUSD (= 2,968,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 228,048,442 = 8,656,830,426, leaving 22,375,720,818 − 8,656,830,426 = 13,718,890,392
      ["2026-09-15", A, 31, 228_048_442n, 8_656_830_426n, 13_718_890_392n, 2_968_800n],
      // Oct 15: 30 d × 13,718,890,392 × 1,200 / 3,650,000 = 135,309,603.866301; + carry 0.813370 = 135,309,604.679671 → interest 135,309,604, carry 0.679671 µUSD (= 2,480,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 135,309,604 = 8,749,569,264, leaving 13,718,890,392 − 8,749,569,264 = 4,969,321,128
      ["2026-10-15", A, 30, 135_309_604n, 8_749_569_264n, 4_969_321_128n, 2_480_800n],
      // Nov 15: 31 d × 4,969,321,128 × 1,200 / 3,650,000 = 50,646,231.770301; + carry 0.679671 = 50,646,232.449973 → interest 50,646,232, carry 0.449973 µUSD (= 1,642,400 / 3,650,000)
      //   pays off the debt 4,969,321,128 + 50,646,232 = 5,019,967,360; principal 5,019,967,360 − 50,646,232 = 4,969,321,128, leaving 4,969,321,128 − 4,969,321,128 = 0
      ["2026-11-15", 5_019_967_360n, 31, 50_646_232n, 4_969_321_128n, 0n, 1_642_400n],
    ];
    const loan = openLoan();
    const allocations = expected.map((row, index) => loan.pay(row[0], index === expected.length - 1 ? "payoff" : row[1]));
    expect(loan.rows).toEqual(expected);
    expect(loan.balance).toEqual({ principalOutstandingMicros: 0n, interestAccruedMicros: 0n });
    // Total interest ⌊Σ exact⌋ = 4,983,877,172 µUSD, 1,605,288,806 less than paying on schedule (6,589,165,978).
    expect(loan.rows.reduce((sum, row) => sum + row[3], 0n)).toBe(4_983_877_172n);

    // Installments, oldest first, paying ahead: Feb–Apr 15 each settle their own installment; the extra
    // 20,000,000,000 settles #4 and #5 (8,884,878,868 each) and puts 20,000,000,000 − 2 × 8,884,878,868
    // = 2,230,242,264 on #6. Each later A finishes one (8,884,878,868 − 2,230,242,264 = 6,654,636,604)
    // and puts 2,230,242,264 on the next.
    expect(allocations[3]).toEqual([
      [4, A, A],
      [5, A, A],
      [6, 2_230_242_264n, 2_230_242_264n],
    ]);
    expect(allocations[4]).toEqual([
      [6, 6_654_636_604n, A],
      [7, 2_230_242_264n, 2_230_242_264n],
    ]);
    // Oct 15 (the 6th A after the extra) finishes #11 and starts #12; the Nov 15 payoff of 5,019,967,360 goes
    // to #12: 2,230,242,264 + 5,019,967,360 = 7,250,209,624, under its plan (8,884,878,860) — the loan owes nothing.
    expect(allocations[9]).toEqual([
      [11, 6_654_636_604n, A],
      [12, 2_230_242_264n, 2_230_242_264n],
    ]);
    expect(allocations[10]).toEqual([[12, 5_019_967_360n, 7_250_209_624n]]);
    expect(loan.statuses("2026-11-15T10:00:00Z")).toEqual(Array(12).fill("PAID"));
    expect(loan.states).toEqual(["ACTIVE", "REPAID"]);
  });
});

describe("(c) a late payment: #3 (due Apr 15) paid on Apr 25, with 5 days of grace", () => {
  test("DELINQUENT on Apr 21, cured on Apr 25, repaid on Jan 15 with the extra interest", () => {
    const expected: Row[] = [
      // Feb 15: 31 d × 100,000,000,000 × 1,200 / 3,650,000 = 1,019,178,082.191781; + carry 0.000000 = 1,019,178,082.191781 → interest 1,019,178,082, carry 0.191781 µUSD (= 700,000 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 1,019,178,082 = 7,865,700,786, leaving 100,000,000,000 − 7,865,700,786 = 92,134,299,214
      ["2026-02-15", A, 31, 1_019_178_082n, 7_865_700_786n, 92_134_299_214n, 700_000n],
      // Mar 15: 28 d × 92,134,299,214 × 1,200 / 3,650,000 = 848,140,398.243945; + carry 0.191781 = 848,140,398.435726 → interest 848,140,398, carry 0.435726 µUSD (= 1,590,400 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 848,140,398 = 8,036,738,470, leaving 92,134,299,214 − 8,036,738,470 = 84,097,560,744
      ["2026-03-15", A, 28, 848_140_398n, 8_036_738_470n, 84_097_560_744n, 1_590_400n],
      // Apr 25: 41 d × 84,097,560,744 × 1,200 / 3,650,000 = 1,133,589,037.973918; + carry 0.435726 = 1,133,589,038.409644 → interest 1,133,589,038, carry 0.409644 µUSD (= 1,495,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 1,133,589,038 = 7,751,289,830, leaving 84,097,560,744 − 7,751,289,830 = 76,346,270,914
      ["2026-04-25", A, 41, 1_133_589_038n, 7_751_289_830n, 76_346_270_914n, 1_495_200n],
      // May 15: 20 d × 76,346,270,914 × 1,200 / 3,650,000 = 502,002,877.242740; + carry 0.409644 = 502,002,877.652384 → interest 502,002,877, carry 0.652384 µUSD (= 2,381,200 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 502,002,877 = 8,382,875,991, leaving 76,346,270,914 − 8,382,875,991 = 67,963,394,923
      ["2026-05-15", A, 20, 502_002_877n, 8_382_875_991n, 67_963_394_923n, 2_381_200n],
      // Jun 15: 31 d × 67,963,394,923 × 1,200 / 3,650,000 = 692,668,024.968657; + carry 0.652384 = 692,668,025.621041 → interest 692,668,025, carry 0.621041 µUSD (= 2,266,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 692,668,025 = 8,192,210,843, leaving 67,963,394,923 − 8,192,210,843 = 59,771,184,080
      ["2026-06-15", A, 31, 692_668_025n, 8_192_210_843n, 59_771_184_080n, 2_266_800n],
      // Jul 15: 30 d × 59,771,184,080 × 1,200 / 3,650,000 = 589,524,007.364384; + carry 0.621041 = 589,524,007.985425 → interest 589,524,007, carry 0.985425 µUSD (= 3,596,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 589,524,007 = 8,295,354,861, leaving 59,771,184,080 − 8,295,354,861 = 51,475,829,219
      ["2026-07-15", A, 30, 589_524_007n, 8_295_354_861n, 51_475_829_219n, 3_596_800n],
      // Aug 15: 31 d × 51,475,829,219 × 1,200 / 3,650,000 = 524,630,369.026521; + carry 0.985425 = 524,630,370.011945 → interest 524,630,370, carry 0.011945 µUSD (= 43,600 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 524,630,370 = 8,360,248,498, leaving 51,475,829,219 − 8,360,248,498 = 43,115,580,721
      ["2026-08-15", A, 31, 524_630_370n, 8_360_248_498n, 43_115_580_721n, 43_600n],
      // Sep 15: 31 d × 43,115,580,721 × 1,200 / 3,650,000 = 439,424,548.718137; + carry 0.011945 = 439,424,548.730082 → interest 439,424,548, carry 0.730082 µUSD (= 2,664,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 439,424,548 = 8,445,454,320, leaving 43,115,580,721 − 8,445,454,320 = 34,670,126,401
      ["2026-09-15", A, 31, 439_424_548n, 8_445_454_320n, 34_670_126_401n, 2_664_800n],
      // Oct 15: 30 d × 34,670,126,401 × 1,200 / 3,650,000 = 341,951,931.626301; + carry 0.730082 = 341,951,932.356384 → interest 341,951,932, carry 0.356384 µUSD (= 1,300,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 341,951,932 = 8,542,926,936, leaving 34,670,126,401 − 8,542,926,936 = 26,127,199,465
      ["2026-10-15", A, 30, 341_951_932n, 8_542_926_936n, 26_127_199_465n, 1_300_800n],
      // Nov 15: 31 d × 26,127,199,465 × 1,200 / 3,650,000 = 266,282,690.437808; + carry 0.356384 = 266,282,690.794192 → interest 266,282,690, carry 0.794192 µUSD (= 2,898,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 266,282,690 = 8,618,596,178, leaving 26,127,199,465 − 8,618,596,178 = 17,508,603,287
      ["2026-11-15", A, 31, 266_282_690n, 8_618_596_178n, 17_508_603_287n, 2_898_800n],
      // Dec 15: 30 d × 17,508,603,287 × 1,200 / 3,650,000 = 172,687,594.063562; + carry 0.794192 = 172,687,594.857753 → interest 172,687,594, carry 0.857753 µUSD (= 3,130,800 / 3,650,000)
      //   pays 8,884,878,868; principal 8,884,878,868 − 172,687,594 = 8,712,191,274, leaving 17,508,603,287 − 8,712,191,274 = 8,796,412,013
      ["2026-12-15", A, 30, 172_687_594n, 8_712_191_274n, 8_796_412_013n, 3_130_800n],
      // Jan 15: 31 d × 8,796,412,013 × 1,200 / 3,650,000 = 89,651,103.255781; + carry 0.857753 = 89,651,104.113534 → interest 89,651,104, carry 0.113534 µUSD (= 414,400 / 3,650,000)
      //   pays off the debt 8,796,412,013 + 89,651,104 = 8,886,063,117; principal 8,886,063,117 − 89,651,104 = 8,796,412,013, leaving 8,796,412,013 − 8,796,412,013 = 0
      ["2027-01-15", 8_886_063_117n, 31, 89_651_104n, 8_796_412_013n, 0n, 414_400n],
    ];
    const loan = openLoan();
    loan.pay(expected[0][0], expected[0][1]);
    loan.pay(expected[1][0], expected[1][1]);

    // #3 is due 2026-04-15: days past due = UTC days since then; past grace when > 5.
    expect(loan.monitor("2026-04-15T23:59:59Z")).toBe("ACTIVE"); // due today: 0 days
    expect(loan.overdueAt("2026-04-16T00:00:00Z")).toEqual([]); // 1 day late, inside grace
    expect(loan.monitor("2026-04-20T23:59:59Z")).toBe("ACTIVE"); // 5 days: still inside grace
    expect(loan.overdueAt("2026-04-21T00:00:00Z")).toEqual([[3, 6, A]]); // 6 days > 5: past grace, A owed
    expect(loan.monitor("2026-04-21T00:00:00Z")).toBe("DELINQUENT");
    expect(loan.statuses("2026-04-21T00:00:00Z")).toEqual(["PAID", "PAID", "OVERDUE", ...Array(9).fill("DUE")]);
    expect(loan.monitor("2026-04-24T12:00:00Z")).toBe("DELINQUENT");

    // Paid 10 days after the due date: settles #3 exactly, and the monitor cures the loan.
    expect(loan.pay(expected[2][0], expected[2][1])).toEqual([[3, A, A]]);
    expect(loan.overdueAt("2026-04-25T10:00:00Z")).toEqual([]);
    expect(loan.states).toEqual(["ACTIVE", "DELINQUENT", "ACTIVE"]);

    for (const row of expected.slice(3, -1)) loan.pay(row[0], row[1]);
    // The payoff: every earlier installment is settled, so #12 takes the whole debt 8,886,063,117, which is
    // 8,886,063,117 − 8,884,878,860 = 1,184,257 µUSD over its plan (the ten late days' extra interest, net of the rest).
    expect(loan.statuses("2027-01-15T09:00:00Z")).toEqual([...Array(11).fill("PAID"), "DUE"]);
    expect(loan.pay(expected[11][0], "payoff")).toEqual([[12, 8_886_063_117n, 8_886_063_117n]]);

    // The Apr 25 row's 41 days' interest was accrued in five segments (Apr 15, 20, 21, 24, 25) and still equals
    // the one-period figure, because the carry is kept.
    expect(loan.rows).toEqual(expected);
    expect(loan.balance).toEqual({ principalOutstandingMicros: 0n, interestAccruedMicros: 0n });
    // Total interest ⌊Σ exact⌋ = 6,619,730,665 µUSD: 30,564,687 µUSD more than paying on time (6,589,165,978).
    expect(loan.rows.reduce((sum, row) => sum + row[3], 0n)).toBe(6_619_730_665n);
    expect(loan.states).toEqual(["ACTIVE", "DELINQUENT", "ACTIVE", "REPAID"]);
  });
});
