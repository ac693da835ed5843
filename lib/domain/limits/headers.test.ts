import { describe, expect, it } from "vitest";
import { concurrencyLimitMessage, effectiveKeyRpm, limitDefaultsFromEnv, rateLimitMessage } from "./config";
import { formatOpenAiDuration, rateLimitHeaders, retryAfterSeconds } from "./headers";

describe("OpenAI's rate-limit headers", () => {
  it.each<[number, string]>([
    [0, "0s"],
    [120, "120ms"],
    [999, "999ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [17_250, "17.25s"],
    [60_000, "1m0s"],
    [90_500, "1m30.5s"],
    [360_000, "6m0s"],
    [3_723_000, "1h2m3s"],
    [0.4, "1ms"],
  ])("%d ms reads %s", (ms, expected) => {
    expect(formatOpenAiDuration(ms)).toBe(expected);
  });

  it.each<[number, number]>([
    [0, 1],
    [1, 1],
    [1_000, 1],
    [1_001, 2],
    [61_000, 61],
  ])("retry-after for %d ms is %d s (rounded up, never 0)", (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });

  it("names the limit, what is left and when it is whole again", () => {
    expect(rateLimitHeaders({ limit: 600, remaining: 599, resetMs: 108_000 })).toEqual({
      "x-ratelimit-limit-requests": "600",
      "x-ratelimit-remaining-requests": "599",
      "x-ratelimit-reset-requests": "1m48s",
    });
  });
});

describe("limit defaults and messages", () => {
  it("defaults to 600 requests per minute per key and 64 requests in flight per organisation", () => {
    expect(limitDefaultsFromEnv({})).toEqual({ keyRpm: 600, orgConcurrency: 64 });
    expect(limitDefaultsFromEnv({ BLOCKABLE_DEFAULT_KEY_RPM: " 1200 ", BLOCKABLE_DEFAULT_ORG_CONCURRENCY: "8" })).toEqual({ keyRpm: 1200, orgConcurrency: 8 });
  });

  it.each(["0", "-5", "1.5", "lots", "1e3"])("refuses BLOCKABLE_DEFAULT_KEY_RPM=%s, naming it", (value) => {
    expect(() => limitDefaultsFromEnv({ BLOCKABLE_DEFAULT_KEY_RPM: value })).toThrow(/BLOCKABLE_DEFAULT_KEY_RPM must be a whole number/);
  });

  it("a key's own rpm wins over the default; null takes the default", () => {
    const defaults = { keyRpm: 600, orgConcurrency: 64 };
    expect(effectiveKeyRpm(30, defaults)).toEqual({ rpm: 30, isDefault: false });
    expect(effectiveKeyRpm(null, defaults)).toEqual({ rpm: 600, isDefault: true });
  });

  it("messages say which limit, its value and when to retry", () => {
    expect(rateLimitMessage(600, true, 3)).toBe("Rate limit reached: 600 requests per minute (the platform default for API keys without their own limit). Retry in 3 s.");
    expect(rateLimitMessage(1500, false, 1)).toBe("Rate limit reached: 1,500 requests per minute (this API key's limit). Retry in 1 s.");
    expect(concurrencyLimitMessage(64, 1)).toBe("Concurrency limit reached: your organisation may have 64 requests in flight at once. Retry in 1 s, once one of them has finished.");
  });
});
