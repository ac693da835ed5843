import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { takeToken, type RateLimitState } from "./rate-limit";

/** Runs requests at the given times and reports which were allowed and the last retry-after. */
function requestsAt(timesMs: number[], rpm: number) {
  let state: RateLimitState | null = null;
  const allowed: boolean[] = [];
  let retryAfterMs = 0;
  for (const nowMs of timesMs) {
    const decision = takeToken(state, nowMs, rpm);
    state = decision.state;
    allowed.push(decision.allowed);
    retryAfterMs = decision.retryAfterMs;
  }
  return { allowed, retryAfterMs, state };
}

const burst = (count: number, atMs = 0) => Array.from({ length: count }, () => atMs);

describe("takeToken (token bucket, rpm per key)", () => {
  it.each<[string, number[], number, boolean[], number]>([
    ["the first request of a new key is allowed", [0], 1, [true], 0],
    ["1 rpm: a second request 1 ms short of a minute waits 1 ms", [0, 59_999], 1, [true, false], 1],
    ["1 rpm: a second request exactly a minute later is allowed", [0, 60_000], 1, [true, true], 0],
    ["60 rpm: a burst of 60 is allowed", burst(60), 60, burst(60).map(() => true), 0],
    ["60 rpm: the 61st in the same instant waits one second", burst(61), 60, [...burst(60).map(() => true), false], 1_000],
    ["60 rpm: after the burst, one more is allowed a second later", [...burst(60), 1_000], 60, burst(61).map(() => true), 0],
    ["60 rpm: 999 ms after the burst is 1 ms too early", [...burst(60), 999], 60, [...burst(60).map(() => true), false], 1],
    ["7 rpm: a token takes ⌈60,000 / 7⌉ = 8,572 ms", [...burst(8), 0], 7, [...burst(7).map(() => true), false, false], 8_572],
    ["7 rpm: 8,571 ms is 3 units short, rounded up to 1 ms", [...burst(7), 8_571], 7, [...burst(7).map(() => true), false], 1],
    ["7 rpm: 8,572 ms later one more is allowed", [...burst(7), 8_572], 7, burst(8).map(() => true), 0],
    ["a refused request does not consume a token", [0, 30_000, 60_000], 1, [true, false, true], 0],
    ["idle time refills only up to the minute's allowance", [0, 10 * 60_000, ...burst(2, 10 * 60_000)], 2, [true, true, true, false], 30_000],
  ])("%s", (_label, timesMs, rpm, expectedAllowed, expectedRetryAfterMs) => {
    const result = requestsAt(timesMs, rpm);
    expect(result.allowed).toEqual(expectedAllowed);
    expect(result.retryAfterMs).toBe(expectedRetryAfterMs);
  });

  it("a clock that steps backwards refills nothing and never lets extra requests through", () => {
    const { allowed } = requestsAt([10_000, 5_000, 9_000], 1);
    expect(allowed).toEqual([true, false, false]);
  });

  it("lowering the rpm cuts the bucket to the new allowance at once", () => {
    const first = takeToken(null, 0, 100);
    const second = takeToken(first.state, 0, 1);
    expect(second.allowed).toBe(true);
    expect(takeToken(second.state, 0, 1)).toMatchObject({ allowed: false, retryAfterMs: 60_000 });
  });

  it.each([[0], [-5], [1.5], [Number.NaN]])("refuses an rpm of %s", (rpm) => {
    expect(() => takeToken(null, 0, rpm)).toThrow(RangeError);
  });

  it("never allows more than rpm + (elapsed minutes × rpm) requests (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }), (rpm, gapsMs) => {
        let nowMs = 0;
        const times = gapsMs.map((gapMs) => (nowMs += gapMs));
        const { allowed } = requestsAt(times, rpm);
        const allowedCount = allowed.filter(Boolean).length;
        const spanMs = times[times.length - 1] - times[0];
        expect(allowedCount).toBeLessThanOrEqual(rpm + Math.floor((spanMs * rpm) / 60_000));
      }),
    );
  });
});
