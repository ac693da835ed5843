import { describe, expect, test } from "vitest";
import { ALERT_KINDS, ALERT_SEVERITY, alertOpenKey, isAlertKind, parseEarlyWarningBps } from "./kinds";

describe("alert kinds and severities", () => {
  test.each([
    ["EARLY_WARNING_1", "warning"],
    ["EARLY_WARNING_2", "warning"],
    ["MARGIN_CALL", "critical"],
    ["LIQUIDATION_ZONE", "critical"],
    ["PAYMENT_OVERDUE", "critical"],
    ["BURN_ABOVE_PLAN", "warning"],
    ["FROZEN", "critical"],
    ["UNFROZEN", "info"],
  ] as const)("%s is %s", (kind, severity) => {
    expect(ALERT_SEVERITY[kind]).toBe(severity);
  });

  test("every kind has a severity, and the list matches the Alert.kind column", () => {
    expect(Object.keys(ALERT_SEVERITY).sort()).toEqual([...ALERT_KINDS].sort());
    expect(ALERT_KINDS).toHaveLength(8);
  });

  test.each([
    ["MARGIN_CALL", true],
    ["margin_call", false],
    ["MARGIN", false],
  ])("isAlertKind(%s) is %s", (value, expected) => {
    expect(isAlertKind(value)).toBe(expected);
  });

  test("the open key is loanId:kind, as Alert.openKey documents", () => {
    expect(alertOpenKey("loan_1", "FROZEN")).toBe("loan_1:FROZEN");
  });
});

describe("parseEarlyWarningBps reads Loan.earlyWarningBps", () => {
  test.each([
    ["the default", "14000,13000", [14_000, 13_000]],
    ["spaces and low-first order", " 13000 , 14000 ", [14_000, 13_000]],
    ["a single level", "14500", [14_500]],
    ["none", "", []],
  ])("%s: %j", (_label, text, expected) => {
    expect(parseEarlyWarningBps(text)).toEqual(expected);
  });

  test.each([
    ["three levels", "15000,14000,13000"],
    ["a percent sign", "140%,130%"],
    ["a fraction", "14000.5"],
    ["a negative level", "-14000"],
    ["an empty piece", "14000,"],
  ])("refuses %s", (_label, text) => {
    expect(() => parseEarlyWarningBps(text)).toThrow(RangeError);
  });
});
