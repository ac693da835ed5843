// Money as an exact decimal string of dollars, for files people open in a spreadsheet (CSV
// exports): every µUSD kept, no currency sign, no thousands separators, an ASCII minus. The
// digits are cut from the bigint's own decimal text, never through a Number or a float, so
// 9,007,199,254,740,993 µUSD (above 2^53) exports as 9007199254.740993 exactly.

import type { Micros } from "./index";

const MICRO_DECIMALS = 6;

/** 1_234_500_000n → "1234.500000"; -5n → "-0.000005"; 0n → "0.000000". Always 6 decimals. */
export function microsToUsdDecimal(micros: Micros): string {
  if (typeof micros !== "bigint") throw new TypeError(`microsToUsdDecimal takes a bigint of µUSD, got ${typeof micros}.`);
  const isNegative = micros < 0n;
  const digits = (isNegative ? -micros : micros).toString().padStart(MICRO_DECIMALS + 1, "0");
  const whole = digits.slice(0, -MICRO_DECIMALS);
  const fraction = digits.slice(-MICRO_DECIMALS);
  return `${isNegative ? "-" : ""}${whole}.${fraction}`;
}
