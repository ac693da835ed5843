import { describe, expect, it } from "vitest";
import { freezeNotice, marginCallNotice } from "./notifications";

const AT = new Date("2026-12-04T10:00:00.000Z");
const DEADLINE = new Date("2026-12-07T10:00:00.000Z");

describe("margin-call notifications", () => {
  it.each([
    ["a margin call opens (ACTIVE → MARGIN_CALL)", { marginCallAt: null }, { state: "MARGIN_CALL", marginCallAt: AT, cureDeadline: DEADLINE }, "MARGIN_CALL_OPENED"],
    ["an unfreeze that opens one (FROZEN → MARGIN_CALL)", { marginCallAt: null }, { state: "MARGIN_CALL", marginCallAt: AT, cureDeadline: DEADLINE }, "MARGIN_CALL_OPENED"],
    ["cured (MARGIN_CALL → ACTIVE)", { marginCallAt: AT }, { state: "ACTIVE", marginCallAt: null, cureDeadline: null }, "MARGIN_CALL_CURED"],
    ["cured with an installment overdue (→ DELINQUENT)", { marginCallAt: AT }, { state: "DELINQUENT", marginCallAt: null, cureDeadline: null }, "MARGIN_CALL_CURED"],
    ["a freeze during the call: nothing about the call", { marginCallAt: AT }, { state: "FROZEN", marginCallAt: AT, cureDeadline: DEADLINE }, null],
    ["repaid in full: closed, not a cure", { marginCallAt: AT }, { state: "REPAID", marginCallAt: null, cureDeadline: null }, null],
    ["ACTIVE → DELINQUENT: not about a margin call", { marginCallAt: null }, { state: "DELINQUENT", marginCallAt: null, cureDeadline: null }, null],
  ])("%s", (_label, before, after, kind) => {
    expect(marginCallNotice({ reference: "BL-1", before, after })?.kind ?? null).toBe(kind);
  });

  it("says the deadline in UTC", () => {
    expect(marginCallNotice({ reference: "BL-1", before: { marginCallAt: null }, after: { state: "MARGIN_CALL", marginCallAt: AT, cureDeadline: DEADLINE } })).toEqual({
      kind: "MARGIN_CALL_OPENED",
      severity: "critical",
      title: "Margin call on BL-1",
      body: "Coverage fell below the maintenance level. Cure it by 2026-12-07 10:00 UTC: repay part of the debt or pledge more credits.",
    });
  });
});

describe("freeze notifications", () => {
  it.each([
    ["a lender's freeze, with the reason", { action: "FREEZE", amountMicros: 1_500_000_000n, frozenAfterMicros: 2_000_000_000n, reason: "coverage dropping", isAuto: false }, { kind: "FROZEN", severity: "critical", title: "Credits frozen on BL-1", body: "Your lender froze $1,500.00 of collateral ($2,000.00 frozen in all). Reason: coverage dropping" }],
    ["auto-freeze", { action: "FREEZE", amountMicros: 1_000_000n, frozenAfterMicros: 1_000_000n, reason: "below liquidation", isAuto: true }, { kind: "FROZEN", severity: "critical", title: "Credits frozen on BL-1", body: "Auto-freeze froze $1.00 of collateral ($1.00 frozen in all). Reason: below liquidation" }],
    ["a full unfreeze", { action: "UNFREEZE", amountMicros: 2_000_000n, frozenAfterMicros: 0n, reason: "cured", isAuto: false }, { kind: "UNFROZEN", severity: "info", title: "Credits unfrozen on BL-1", body: "Your lender released $2.00 of frozen collateral. Nothing stays frozen. Reason: cured" }],
    ["a partial unfreeze", { action: "UNFREEZE", amountMicros: 2_000_000n, frozenAfterMicros: 3_000_000n, reason: "partly", isAuto: false }, { kind: "UNFROZEN", severity: "info", title: "Credits unfrozen on BL-1", body: "Your lender released $2.00 of frozen collateral. $3.00 stays frozen. Reason: partly" }],
  ] as const)("%s", (_label, input, expected) => {
    expect(freezeNotice({ reference: "BL-1", ...input })).toEqual(expected);
  });
});
