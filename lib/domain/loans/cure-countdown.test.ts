import { describe, expect, test } from "vitest";
import { cureCountdown } from "./cure-countdown";

const DEADLINE = Date.UTC(2026, 2, 4, 9, 0, 0);
const before = (ms: number) => DEADLINE - ms;
const S = 1_000;
const H = 3_600 * S;

describe("cureCountdown: the time left in the cure window", () => {
  test.each<[string, number, string, boolean]>([
    ["72 hours before: 3 days", before(72 * H), "3 d 00 h 00 m 00 s", false],
    ["2 d 3 h 12 m 5 s before", before(((2 * 24 + 3) * 3600 + 12 * 60 + 5) * S), "2 d 03 h 12 m 05 s", false],
    ["under a day: no day count", before(5 * H + 61 * S), "05 h 01 m 01 s", false],
    ["a started second is not counted: 1.9 s left shows 1 s", before(1_900), "00 h 00 m 01 s", false],
    ["half a second left is still open", before(500), "00 h 00 m 00 s", false],
    ["at the deadline: ended", DEADLINE, "cure window ended", true],
    ["after the deadline: ended", DEADLINE + 10 * H, "cure window ended", true],
  ])("%s", (_label, now, text, isOver) => {
    const countdown = cureCountdown(new Date(DEADLINE), now);
    expect(countdown.text).toBe(text);
    expect(countdown.isOver).toBe(isOver);
    expect(countdown.msLeft).toBe(Math.max(0, DEADLINE - now));
  });

  test("refuses an invalid deadline", () => {
    expect(() => cureCountdown(new Date("nope"), DEADLINE)).toThrow(RangeError);
  });
});
