import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currentCountForRefusal, isAdmissible, judgeRequest, msUntilAdmissible, msUntilReset, remainingRequests, windowPosition, type WindowCounts } from "./sliding-window";

const MINUTE = 60_000;
const T0 = 1_800_000_000_000; // a minute boundary (divisible by 60,000)

/** Runs requests at the given times through one bucket (as every instance's shared counts would) and reports which were admitted. */
function requestsAt(timesMs: number[], limit: number, windowMs = MINUTE) {
  const counts = new Map<number, number>();
  return timesMs.map((nowMs) => {
    const position = windowPosition(nowMs, windowMs);
    const before = { currentCount: counts.get(position.windowStartMs) ?? 0, previousCount: counts.get(position.previousWindowStartMs) ?? 0 };
    const verdict = judgeRequest(before, position, limit);
    if (verdict.isAdmitted) counts.set(position.windowStartMs, before.currentCount + 1);
    return verdict;
  });
}

const burst = (count: number, atMs = T0) => Array.from({ length: count }, () => atMs);

describe("sliding-window request limits", () => {
  it.each<[string, number[], number, boolean[]]>([
    ["a new key's first request is admitted", [T0], 600, [true]],
    ["600 rpm: a burst of 600 is admitted, the 601st is not", burst(601), 600, [...burst(600).map(() => true), false]],
    ["1 rpm: a second request 1 ms short of a minute is refused", [T0, T0 + 59_999], 1, [true, false]],
    // Fixed windows would let 2 × limit through across a boundary; the previous window still weighs.
    ["3 rpm: 3 at the end of a minute and 3 at the start of the next admit only 3", [...burst(3, T0 + 59_999), ...burst(3, T0 + MINUTE)], 3, [true, true, true, false, false, false]],
    ["3 rpm: half a minute into the next window, 1 of the 3 previous has faded", [...burst(3, T0), ...burst(2, T0 + MINUTE + 30_000)], 3, [true, true, true, true, false]],
    ["refused requests are not counted: retries do not push the next window's budget away", [...burst(2, T0), ...burst(5, T0 + 1), T0 + MINUTE + 30_000], 2, [true, true, false, false, false, false, false, true]],
  ])("%s", (_label, timesMs, limit, expected) => {
    expect(requestsAt(timesMs, limit).map((verdict) => verdict.isAdmitted)).toEqual(expected);
  });

  it.each<[string, WindowCounts, number, number, number]>([
    // [label, counts, elapsedMs, limit, retry after ms]
    ["admissible now: 0", { currentCount: 5, previousCount: 0 }, 0, 6, 0],
    ["limit 1 used this window: start of the window after next", { currentCount: 1, previousCount: 0 }, 10_000, 1, 110_000],
    ["60 used at 0 ms: next window, once 1/60 of it has passed", { currentCount: 60, previousCount: 0 }, 0, 60, 60_000 + 1_000],
    ["previous window full, this one empty: as soon as one request's weight has faded", { currentCount: 0, previousCount: 60 }, 0, 60, 1_000],
    ["7 rpm, previous full: ⌈60,000 / 7⌉ ms", { currentCount: 0, previousCount: 7 }, 0, 7, 8_572],
  ])("retry after: %s", (_label, counts, elapsedMs, limit, expectedMs) => {
    expect(msUntilAdmissible(counts, windowPosition(T0 + elapsedMs, MINUTE), limit)).toBe(expectedMs);
  });

  it("retry-after is exact: admitted at that instant, refused 1 ms before", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.nat({ max: 1_000 }), fc.nat({ max: 1_000 }), fc.nat({ max: MINUTE - 1 }), (limit, current, previous, elapsedMs) => {
        const counts = { currentCount: Math.min(current, limit), previousCount: Math.min(previous, limit) };
        const nowMs = T0 + elapsedMs;
        const waitMs = msUntilAdmissible(counts, windowPosition(nowMs, MINUTE), limit);
        const countsAt = (atMs: number) => {
          const windowsLater = (windowPosition(atMs, MINUTE).windowStartMs - T0) / MINUTE;
          if (windowsLater === 0) return counts;
          if (windowsLater === 1) return { currentCount: 0, previousCount: counts.currentCount };
          return { currentCount: 0, previousCount: 0 };
        };
        expect(isAdmissible(countsAt(nowMs + waitMs), windowPosition(nowMs + waitMs, MINUTE), limit)).toBe(true);
        if (waitMs > 0) expect(isAdmissible(countsAt(nowMs + waitMs - 1), windowPosition(nowMs + waitMs - 1, MINUTE), limit)).toBe(false);
      }),
    );
  });

  it("remaining ≥ 1 exactly when one more request would be admitted", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.nat({ max: 1_200 }), fc.nat({ max: 1_200 }), fc.nat({ max: MINUTE - 1 }), (limit, currentCount, previousCount, elapsedMs) => {
        const position = windowPosition(T0 + elapsedMs, MINUTE);
        expect(remainingRequests({ currentCount, previousCount }, position, limit) >= 1).toBe(isAdmissible({ currentCount, previousCount }, position, limit));
      }),
    );
  });

  it.each<[string, WindowCounts, number, number]>([
    ["nothing used: 0", { currentCount: 0, previousCount: 0 }, 12_000, 0],
    ["only the previous window: when it has faded, at the end of this one", { currentCount: 0, previousCount: 3 }, 12_000, 48_000],
    ["this window used: at the end of the next one", { currentCount: 1, previousCount: 0 }, 12_000, 108_000],
  ])("reset: %s", (_label, counts, elapsedMs, expectedMs) => {
    expect(msUntilReset(counts, windowPosition(T0 + elapsedMs, MINUTE))).toBe(expectedMs);
  });

  it("a refusal reported from an older snapshot still implies the count that refused it", () => {
    const position = windowPosition(T0 + 30_000, MINUTE);
    // limit 10, previous 4 weighing 2: refused means current ≥ 8, whatever the snapshot saw.
    expect(currentCountForRefusal(5, 4, position, 10)).toBe(8);
    expect(currentCountForRefusal(9, 4, position, 10)).toBe(9);
    expect(isAdmissible({ currentCount: 7, previousCount: 4 }, position, 10)).toBe(true);
    expect(isAdmissible({ currentCount: 8, previousCount: 4 }, position, 10)).toBe(false);
  });

  it("rejects a limit below 1 and a window below 1 ms", () => {
    expect(() => judgeRequest({ currentCount: 0, previousCount: 0 }, windowPosition(T0, MINUTE), 0)).toThrow(RangeError);
    expect(() => windowPosition(T0, 0)).toThrow(RangeError);
  });
});
