import { describe, expect, test } from "vitest";
import { alertMessage, formatThresholdBps, type AlertMessageInput } from "./messages";

const USD = 1_000_000n;

describe("alertMessage", () => {
  test.each<[string, AlertMessageInput, string]>([
    ["first early warning", { kind: "EARLY_WARNING_1", thresholdBps: 14_000, coverageBps: 13_820 }, "Coverage fell below the 140% early-warning level (now 138.20%)."],
    ["second early warning", { kind: "EARLY_WARNING_2", thresholdBps: 13_000, coverageBps: 12_955 }, "Coverage fell below the 130% early-warning level (now 129.55%)."],
    ["a threshold that is not a whole percent", { kind: "EARLY_WARNING_1", thresholdBps: 13_750, coverageBps: 13_700 }, "Coverage fell below the 137.50% early-warning level (now 137.00%)."],
    [
      "margin call with its cure deadline",
      { kind: "MARGIN_CALL", thresholdBps: 12_500, coverageBps: 12_421, cureDeadline: new Date("2026-04-05T12:00:00Z") },
      "Coverage fell below the 125% maintenance level (now 124.21%): margin call, cure by 2026-04-05 12:00 UTC by repaying or pledging more credits.",
    ],
    ["liquidation zone, lender to act", { kind: "LIQUIDATION_ZONE", thresholdBps: 11_000, coverageBps: 10_710 }, "Coverage fell below the 110% liquidation level (now 107.10%): the lender may freeze the collateral now."],
    ["liquidation zone with auto-freeze", { kind: "LIQUIDATION_ZONE", thresholdBps: 11_000, coverageBps: 10_710, autoFreeze: true }, "Coverage fell below the 110% liquidation level (now 107.10%): the collateral freezes automatically."],
    [
      "one overdue installment",
      { kind: "PAYMENT_OVERDUE", gracePeriodDays: 5, overdue: [{ seq: 3, dueDate: new Date("2026-03-01T00:00:00Z"), amountMicros: 8_560_750_000n, paidMicros: 0n, unpaidMicros: 8_560_750_000n, daysPastDue: 7 }] },
      "Installment 3 ($8,560.75 unpaid, due 2026-03-01) is 7 days overdue, past the 5-day grace period.",
    ],
    [
      "two overdue installments",
      {
        kind: "PAYMENT_OVERDUE",
        gracePeriodDays: 1,
        overdue: [
          { seq: 3, dueDate: new Date("2026-03-01T00:00:00Z"), amountMicros: 8_000n * USD, paidMicros: 3_000n * USD, unpaidMicros: 5_000n * USD, daysPastDue: 33 },
          { seq: 4, dueDate: new Date("2026-04-01T00:00:00Z"), amountMicros: 8_000n * USD, paidMicros: 0n, unpaidMicros: 8_000n * USD, daysPastDue: 2 },
        ],
      },
      "2 installments are overdue, past the 1-day grace period: $13,000.00 unpaid; the oldest, installment 3 due 2026-03-01, is 33 days overdue.",
    ],
    // (1,400 − 1,000) / 1,000 = 40.00%
    ["burn above plan", { kind: "BURN_ABOVE_PLAN", burnMicrosPerDay: 1_400n * USD, plannedBurnMicrosPerDay: 1_000n * USD }, "7-day burn is $1,400.00/day, 40.00% above the planned $1,000.00/day."],
    // (1,234.57 − 1,000) / 1,000 = 23.457% → 2,345 bps, shown 23.45%
    ["burn above plan, percent rounded down", { kind: "BURN_ABOVE_PLAN", burnMicrosPerDay: 1_234_570_000n, plannedBurnMicrosPerDay: 1_000n * USD }, "7-day burn is $1,234.57/day, 23.45% above the planned $1,000.00/day."],
    ["burn with no planned spend", { kind: "BURN_ABOVE_PLAN", burnMicrosPerDay: 10n * USD, plannedBurnMicrosPerDay: 0n }, "7-day burn is $10.00/day against a plan of no spend."],
    ["freeze", { kind: "FROZEN", amountMicros: 147_058_823_530n, actor: "Kestrel Capital" }, "Collateral frozen by Kestrel Capital: $147,058.82."],
    ["freeze with a reason", { kind: "FROZEN", amountMicros: 180_000n * USD, actor: "auto-freeze", reason: "Coverage below 110%." }, "Collateral frozen by auto-freeze: $180,000.00. Reason: Coverage below 110%."],
    ["unfreeze", { kind: "UNFROZEN", amountMicros: 50_000n * USD, actor: "Kestrel Capital", frozenAfterMicros: 0n }, "Collateral unfrozen by Kestrel Capital: $50,000.00 ($0.00 still frozen)."],
  ])("%s", (_label, input, expected) => {
    expect(alertMessage(input)).toBe(expected);
  });

  test("a PAYMENT_OVERDUE message needs an overdue installment", () => {
    expect(() => alertMessage({ kind: "PAYMENT_OVERDUE", overdue: [], gracePeriodDays: 5 })).toThrow(RangeError);
  });

  test.each([
    [14_000, "140%"],
    [12_500, "125%"],
    [13_750, "137.50%"],
  ])("formatThresholdBps(%s) = %s", (bps, text) => {
    expect(formatThresholdBps(bps)).toBe(text);
  });
});
