import { describe, expect, test } from "vitest";
import { installmentDisplay } from "./installment-display";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const day = (d: string) => new Date(`${d}T00:00:00.000Z`);
const installment = (patch: Partial<{ status: string; amountMicros: bigint; paidMicros: bigint; dueDate: Date }> = {}) => ({
  status: "DUE",
  amountMicros: 1_000n,
  paidMicros: 0n,
  dueDate: day("2026-04-01"),
  ...patch,
});

describe("installmentDisplay: a closed loan lists no installment as due", () => {
  test.each<[string, ReturnType<typeof installment>, string, string, string]>([
    ["paid in full", installment({ status: "PAID", paidMicros: 1_000n }), "ACTIVE", "paid", "Paid"],
    ["paid amount reached although still marked DUE", installment({ paidMicros: 1_000n }), "ACTIVE", "paid", "Paid"],
    ["future, unpaid, open loan", installment(), "ACTIVE", "due", "Due"],
    ["future, part paid", installment({ paidMicros: 400n }), "MARGIN_CALL", "due", "Due, part paid"],
    ["past its due date, within the 5-day grace", installment({ dueDate: day("2026-03-08") }), "ACTIVE", "past_due", "Past due, in grace period"],
    ["past its due date and the grace, sweep not run yet", installment({ dueDate: day("2026-03-01") }), "ACTIVE", "past_due", "Past due"],
    ["marked overdue by the sweep", installment({ status: "OVERDUE", dueDate: day("2026-03-01") }), "DELINQUENT", "overdue", "Overdue"],
    ["liquidated loan, stored DUE (the demo world's)", installment(), "LIQUIDATED", "closed", "Not due (loan liquidated)"],
    ["liquidated loan, stored OVERDUE", installment({ status: "OVERDUE", dueDate: day("2026-01-01") }), "LIQUIDATED", "closed", "Not due (loan liquidated)"],
    ["repaid loan, never paid by installment (prepaid)", installment(), "REPAID", "closed", "Not due (loan repaid)"],
    ["liquidated loan, part paid", installment({ paidMicros: 1n }), "LIQUIDATED", "closed", "Not due (loan liquidated, part paid)"],
    ["written off by a full liquidation with a loss", installment({ status: "WRITTEN_OFF", dueDate: day("2026-01-01") }), "LIQUIDATED", "closed", "Written off"],
    ["a paid installment of a liquidated loan stays paid", installment({ status: "PAID", paidMicros: 1_000n }), "LIQUIDATED", "paid", "Paid"],
  ])("%s", (_label, row, state, kind, label) => {
    expect(installmentDisplay(row, { state, gracePeriodDays: 5 }, NOW)).toEqual({ kind, label });
  });
});
