import { describe, expect, test } from "vitest";
import { evaluatePaymentOverdue, overdueInstallments, type InstallmentStatus } from "./payment-overdue";

const USD = 1_000_000n;
const DAY = 86_400_000;
const installment = (seq: number, dueDate: string, amountUsd: bigint, paidUsd = 0n): InstallmentStatus => ({ seq, dueDate: new Date(dueDate), amountMicros: amountUsd * USD, paidMicros: paidUsd * USD });
const march1 = installment(1, "2026-03-01T00:00:00Z", 8_000n);
const sixDaysOn = (ms = 0) => new Date(Date.parse("2026-03-06T00:00:00Z") + ms); // due + 5 days

describe("overdueInstallments: unpaid after the due date + grace days", () => {
  test.each([
    ["at due + 5 days exactly the borrower is still within grace", [march1], sixDaysOn(), []],
    ["1 ms later it is overdue, 5 whole days past due", [march1], sixDaysOn(1), [{ ...march1, unpaidMicros: 8_000n * USD, daysPastDue: 5 }]],
    ["a paid installment is never overdue", [installment(1, "2026-03-01T00:00:00Z", 8_000n, 8_000n)], sixDaysOn(40 * DAY), []],
    ["a partly paid one is overdue for the rest", [installment(1, "2026-03-01T00:00:00Z", 8_000n, 3_000n)], sixDaysOn(DAY), [{ ...installment(1, "2026-03-01T00:00:00Z", 8_000n, 3_000n), unpaidMicros: 5_000n * USD, daysPastDue: 6 }]],
    ["one not yet due is not overdue", [installment(2, "2026-04-01T00:00:00Z", 8_000n)], sixDaysOn(DAY), []],
  ])("%s", (_label, installments, now, expected) => {
    expect(overdueInstallments({ installments, now })).toEqual(expected);
  });

  test("several are listed oldest first, with a loan's own grace period", () => {
    const april = installment(2, "2026-04-01T00:00:00Z", 8_000n);
    const overdue = overdueInstallments({ installments: [april, march1], now: new Date("2026-04-03T00:00:01Z"), gracePeriodDays: 1 });
    expect(overdue.map((i) => [i.seq, i.daysPastDue])).toEqual([
      [1, 33], // 2026-03-01 → 2026-04-03: 31 + 2 days
      [2, 2],
    ]);
  });

  test("refuses a fractional grace period", () => {
    expect(() => overdueInstallments({ installments: [march1], now: sixDaysOn(), gracePeriodDays: 0.5 })).toThrow(RangeError);
  });
});

describe("evaluatePaymentOverdue", () => {
  test.each([
    ["overdue and not open: open", sixDaysOn(1), false, { open: ["PAYMENT_OVERDUE"], resolve: [] }],
    ["overdue and open: nothing", sixDaysOn(1), true, { open: [], resolve: [] }],
    ["within grace and open (paid since): resolve", sixDaysOn(), true, { open: [], resolve: ["PAYMENT_OVERDUE"] }],
    ["within grace and not open: nothing", sixDaysOn(), false, { open: [], resolve: [] }],
  ])("%s", (_label, now, isOpen, expected) => {
    expect(evaluatePaymentOverdue({ installments: [march1], now, isOpen })).toEqual(expected);
  });
});
