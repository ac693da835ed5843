import { describe, expect, it } from "vitest";
import { formatDurationMs, formatPricePerM } from "./format";

describe("catalogue display", () => {
  it.each([
    ["0.15 $/M", 150_000n, "$0.15"],
    ["whole dollars keep two decimals", 3_000_000n, "$3.00"],
    ["the smallest step is shown, not rounded away", 1n, "$0.000001"],
    ["thousands", 1_200_000_000n, "$1,200.00"],
    ["free", 0n, "$0.00"],
    ["six decimals", 1_234_567_891n, "$1,234.567891"],
  ])("price %s", (_label, micros, text) => {
    expect(formatPricePerM(micros)).toBe(text);
  });

  it.each([
    [250, "250 ms"],
    [1_500, "1.5 s"],
    [30_000, "30 s"],
    [600_000, "10 min"],
    [90_000, "90 s"],
  ])("%s ms reads %s", (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});
