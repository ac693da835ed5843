import { describe, expect, test } from "vitest";
import { dayNumber, isCalendarDay } from "./days";

describe("isCalendarDay: a real UTC day written YYYY-MM-DD", () => {
  test.each([
    ["2026-02-28", true],
    ["2024-02-29", true],
    ["1970-01-01", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-99-99", false],
    ["0000-00-00", false],
    ["2026-13-01", false],
    ["2026-2-3", false],
    ["20260203", false],
    ["yesterday", false],
    ["", false],
  ])("%s → %s", (day, expected) => {
    expect(isCalendarDay(day)).toBe(expected);
  });

  test("agrees with dayNumber, which throws exactly where it says no", () => {
    expect(dayNumber("2026-03-01") - dayNumber("2026-02-28")).toBe(1);
    expect(() => dayNumber("0000-00-00")).toThrow(RangeError);
  });
});
