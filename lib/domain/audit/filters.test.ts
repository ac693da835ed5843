import { describe, expect, test } from "vitest";
import { auditFiltersFromQuery, auditFiltersToQuery, auditTimeBounds, decodeAuditCursor, encodeAuditCursor, isCalendarDay } from "./filters";

describe("isCalendarDay", () => {
  test.each<[string, boolean]>([
    ["2026-02-28", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["2026-2-3", false],
    ["yesterday", false],
    ["2026-01-01T00:00", false],
  ])("%s → %s", (value, expected) => {
    expect(isCalendarDay(value)).toBe(expected);
  });
});

describe("auditFiltersFromQuery", () => {
  test("blank fields are no filter; values are trimmed", () => {
    const parsed = auditFiltersFromQuery({ actor: "  ana ", action: "", org: undefined, from: "2026-01-01", to: ["2026-01-31", "2027-01-01"] });
    expect(parsed.success && parsed.data).toEqual({ actor: "ana", action: undefined, org: undefined, from: "2026-01-01", to: "2026-01-31" });
  });

  test.each<[string, Record<string, string>, string]>([
    ["a day that does not exist", { from: "2026-02-30" }, "From: not a real calendar date."],
    ["a day in another format", { to: "31/01/2026" }, "To: use a date as YYYY-MM-DD."],
    ["a range backwards", { from: "2026-02-01", to: "2026-01-31" }, "To: must be on or after From."],
    ["an action with spaces", { action: "loan approve" }, "Action: letters, digits, dots, dashes and underscores only."],
  ])("refuses %s", (_label, query, message) => {
    const parsed = auditFiltersFromQuery(query);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe(message);
  });
});

test("auditFiltersToQuery: fixed order, no empty ones, extras after", () => {
  expect(auditFiltersToQuery({ actor: "", action: "loan.approve", org: "", from: "2026-01-01", to: "" }, { after: "1_x", before: null })).toBe("?action=loan.approve&from=2026-01-01&after=1_x");
  expect(auditFiltersToQuery({})).toBe("");
});

test("auditTimeBounds: whole UTC days, `to` inclusive", () => {
  expect(auditTimeBounds({ from: "2026-01-01", to: "2026-01-31" })).toEqual({ atOrAfter: new Date("2026-01-01T00:00:00.000Z"), before: new Date("2026-02-01T00:00:00.000Z") });
  expect(auditTimeBounds({})).toEqual({ atOrAfter: null, before: null });
});

describe("audit cursors", () => {
  test("round trip", () => {
    const cursor = { at: new Date("2026-03-04T05:06:07.089Z"), id: "cm1abc_def-9" };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
  });
  test.each(["", "abc", "12_", "_abc", "12_a b", `1_${"x".repeat(65)}`])("%j is no cursor", (value) => {
    expect(decodeAuditCursor(value)).toBeNull();
  });
});
