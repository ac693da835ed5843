// Argument checks shared by the valuation rules. A wrong unit (a fractional ratio, bps where ppm
// was meant, a negative debt) is a caller bug: it throws a RangeError that names the argument,
// rather than turning into a plausible-looking coverage figure.

import { PPM } from "../money";

export function assertNonNegativeMicros(name: string, value: bigint): bigint {
  if (typeof value !== "bigint") throw new RangeError(`${name} must be a bigint number of µUSD, got ${typeof value} ${String(value)}.`);
  if (value < 0n) throw new RangeError(`${name} cannot be negative, got ${value} µUSD.`);
  return value;
}

export function assertMicros(name: string, value: bigint): bigint {
  if (typeof value !== "bigint") throw new RangeError(`${name} must be a bigint number of µUSD, got ${typeof value} ${String(value)}.`);
  return value;
}

export function assertIntegerInRange(name: string, value: number, min: number, max: number, unit: string): bigint {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer number of ${unit}, got ${String(value)}.`);
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max} ${unit}, got ${value}.`);
  return BigInt(value);
}

/** A mark is a price per 1 USD of credits: 0 (worthless) to 1,000,000 ppm (par). */
export function assertMarkPpm(value: number): bigint {
  return assertIntegerInRange("markPpm", value, 0, Number(PPM), "ppm");
}

export function assertBps(name: string, value: number, min = 0, max = Number.MAX_SAFE_INTEGER): bigint {
  return assertIntegerInRange(name, value, min, max, "bps");
}
