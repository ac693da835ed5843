import { describe, expect, test } from "vitest";
import { acknowledgedToast, alertKindLabel, alertSeverityVariant, formatExactUtc, formatRelativeTime, selectAlertLabel } from "./alert-labels";

const NOW = new Date("2026-03-04T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("formatRelativeTime", () => {
  test.each([
    ["30 seconds ago reads as just now", ago(30_000), "just now"],
    ["a time ahead of now (clock skew) reads as just now", ago(-5 * MIN), "just now"],
    ["exactly one minute ago", ago(MIN), "1 minute ago"],
    ["59 minutes ago stays in minutes", ago(59 * MIN + 59_000), "59 minutes ago"],
    ["one hour ago", ago(HOUR), "1 hour ago"],
    ["23 hours ago", ago(23 * HOUR + 59 * MIN), "23 hours ago"],
    ["one day ago reads as yesterday", ago(DAY), "yesterday"],
    ["6 days ago", ago(6 * DAY), "6 days ago"],
    ["8 days ago is last week", ago(8 * DAY), "last week"],
    ["3 weeks ago", ago(21 * DAY), "3 weeks ago"],
    ["45 days ago is last month", ago(45 * DAY), "last month"],
    ["400 days ago is last year", ago(400 * DAY), "last year"],
  ])("%s", (_label, at, expected) => {
    expect(formatRelativeTime(at, NOW)).toBe(expected);
  });
});

test("the exact time is UTC to the second", () => {
  expect(formatExactUtc(new Date("2026-03-04T14:05:09.730Z"))).toBe("2026-03-04 14:05:09 UTC");
});

test.each([
  ["MARGIN_CALL", "Margin call"],
  ["EARLY_WARNING_2", "Early warning, second level"],
  ["FROZEN", "Collateral frozen"],
  ["SOMETHING_NEW", "Something new"],
])("kind %s reads as %s", (kind, label) => {
  expect(alertKindLabel(kind)).toBe(label);
});

test.each([
  ["critical", "destructive"],
  ["warning", "warning"],
  ["info", "info"],
  ["unknown", "secondary"],
])("severity %s shows the %s badge", (severity, variant) => {
  expect(alertSeverityVariant(severity)).toBe(variant);
});

test("a row's checkbox label names the loan, then the kind, so two alerts of one loan differ", () => {
  const margin = selectAlertLabel({ loanReference: "BL-2026-0003", kind: "MARGIN_CALL" });
  const frozen = selectAlertLabel({ loanReference: "BL-2026-0003", kind: "FROZEN" });
  expect(margin).toBe("Select alert for BL-2026-0003: margin call");
  expect(margin.startsWith("Select alert for BL-2026-0003")).toBe(true);
  expect(frozen).not.toBe(margin);
});

test.each([
  ["one alert names it", [{ loanReference: "BL-2026-0003", kind: "MARGIN_CALL" }], "Acknowledged the margin call alert on BL-2026-0003."],
  ["several count them", [{ loanReference: "BL-1", kind: "FROZEN" }, { loanReference: "BL-2", kind: "MARGIN_CALL" }], "Acknowledged 2 alerts."],
])("the toast: %s", (_label, alerts, text) => {
  expect(acknowledgedToast(alerts)).toBe(text);
});
