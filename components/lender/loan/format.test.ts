import { describe, expect, test } from "vitest";
import { compareMicros, markText, utcDate, utcMinute } from "./format";

describe("loan page display formats", () => {
  test.each<[string, string | null, string]>([
    ["an instant, to the minute in UTC", "2026-12-04T14:03:27.000Z", "2026-12-04 14:03 UTC"],
    ["nothing", null, "—"],
  ])("utcMinute: %s", (_label, iso, text) => {
    expect(utcMinute(iso)).toBe(text);
  });

  test("utcDate keeps the UTC day (23:59 UTC is still that day everywhere)", () => {
    expect(utcDate("2026-12-04T23:59:59.999Z")).toBe("2026-12-04");
    expect(utcDate(null)).toBe("—");
  });

  test.each<[number | null, string]>([
    [850_000, "$0.8500"],
    [799_249, "$0.7992"],
    [1_000_000, "$1.0000"],
    [null, "—"],
  ])("markText(%s) = %s", (ppm, text) => {
    expect(markText(ppm)).toBe(text);
  });

  test.each<[string, string | null, string | null, number]>([
    ["exact beyond 2^53 (a float would call these equal)", "9007199254740993", "9007199254740992", 1],
    ["smaller", "5", "50", -1],
    ["equal", "70", "70", 0],
    ["null sorts first", null, "0", -1],
  ])("compareMicros: %s", (_label, a, b, sign) => {
    expect(compareMicros(a, b)).toBe(sign);
  });
});
