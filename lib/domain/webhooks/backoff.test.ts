import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, jitterFromId, MAX_ATTEMPTS, nextAttemptDelayMs, retryDecision } from "./backoff";

describe("nextAttemptDelayMs", () => {
  it.each([
    ["after the 1st attempt: 30 s", 1, 30_000],
    ["after the 2nd: 1 min", 2, 60_000],
    ["after the 3rd: 2 min", 3, 120_000],
    ["after the 5th: 8 min", 5, 480_000],
    ["after the 7th: 32 min", 7, 1_920_000],
    ["after the 8th: capped at 1 h", 8, 3_600_000],
    ["after the 9th: still 1 h", 9, 3_600_000],
    ["after attempt 1,000: the cap, no overflow", 1_000, 3_600_000],
  ])("%s", (_label, attempt, expected) => {
    expect(nextAttemptDelayMs(attempt)).toBe(expected);
  });

  it.each([
    ["jitter 0 is the full delay", 0, 120_000],
    ["jitter 0.5 shortens by 12.5%", 0.5, 105_000],
    ["jitter close to 1 shortens by almost 25%", 0.999_999, 90_000],
  ])("%s", (_label, jitter, expected) => {
    expect(nextAttemptDelayMs(3, { jitter })).toBe(expected);
  });

  it("custom base and cap", () => {
    expect([1, 2, 3, 4].map((n) => nextAttemptDelayMs(n, { baseMs: 100, capMs: 500 }))).toEqual([100, 200, 400, 500]);
  });

  it.each([
    ["attempt 0", 0, 0],
    ["a fractional attempt", 1.5, 0],
    ["jitter 1", 1, 1],
    ["negative jitter", 1, -0.1],
    ["NaN jitter", 1, Number.NaN],
  ])("refuses %s", (_label, attempt, jitter) => {
    expect(() => nextAttemptDelayMs(attempt, { jitter })).toThrow(RangeError);
  });

  it("never grows past the cap and never shrinks with more attempts (no jitter)", () => {
    const delays = Array.from({ length: 30 }, (_, i) => nextAttemptDelayMs(i + 1));
    expect(Math.max(...delays)).toBe(BACKOFF_CAP_MS);
    delays.forEach((delay, i) => i > 0 && expect(delay).toBeGreaterThanOrEqual(delays[i - 1]));
  });
});

describe("retryDecision", () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    ["the 1st failure retries 30 s later", 1, { kind: "retry", nextAttemptAtMs: now + 30_000 }],
    [`failure ${MAX_ATTEMPTS - 1} still retries`, MAX_ATTEMPTS - 1, { kind: "retry", nextAttemptAtMs: now + nextAttemptDelayMs(MAX_ATTEMPTS - 1) }],
    [`failure ${MAX_ATTEMPTS} (the last attempt) gives up`, MAX_ATTEMPTS, { kind: "give_up" }],
  ])("%s", (_label, attemptsMade, expected) => {
    expect(retryDecision(attemptsMade, now)).toEqual(expected);
  });

  it("honours a custom attempt budget", () => {
    expect(retryDecision(3, now, { maxAttempts: 3 })).toEqual({ kind: "give_up" });
  });
});

describe("jitterFromId", () => {
  it("is stable for an id, in [0, 1), and differs between ids", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `delivery-${i}`);
    const values = ids.map(jitterFromId);
    expect(ids.map(jitterFromId)).toEqual(values);
    for (const value of values) expect(value >= 0 && value < 1).toBe(true);
    expect(new Set(values).size).toBe(200);
  });
});
