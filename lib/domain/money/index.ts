// Money is integer micro-dollars (µUSD) in BigInt. Floats never hold money: they appear only in
// display helpers, after every calculation is done.

export type Micros = bigint;

export const MICROS_PER_USD = 1_000_000n;
export const BPS_DENOMINATOR = 10_000n;
export const PPM = 1_000_000n;
export const TOKENS_PER_PRICE_UNIT = 1_000_000n;
const MAX_USD = 10n ** 15n;

export class MoneyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyParseError";
  }
}

function assertPositiveDenominator(denominator: bigint) {
  if (denominator <= 0n) throw new RangeError(`Denominator must be positive, got ${denominator}`);
}

/** ⌊n / d⌋ for any sign of n (BigInt division truncates toward zero). */
export function floorDiv(numerator: bigint, denominator: bigint): bigint {
  assertPositiveDenominator(denominator);
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
}

/** ⌈n / d⌉ for any sign of n. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  assertPositiveDenominator(denominator);
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator > 0n ? quotient + 1n : quotient;
}

export type Rounding = "up" | "down";

function divide(numerator: bigint, denominator: bigint, rounding: Rounding) {
  return rounding === "up" ? ceilDiv(numerator, denominator) : floorDiv(numerator, denominator);
}

function assertTokenCount(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/** DESIGN.md: ceil((in × inPrice + out × outPrice) / 1,000,000) µUSD, prices in µUSD per million tokens. */
export function requestCostMicros(input: {
  inputTokens: number;
  outputTokens: number;
  inputPriceMicrosPerMTokens: bigint;
  outputPriceMicrosPerMTokens: bigint;
}): Micros {
  assertTokenCount("inputTokens", input.inputTokens);
  assertTokenCount("outputTokens", input.outputTokens);
  if (input.inputPriceMicrosPerMTokens < 0n || input.outputPriceMicrosPerMTokens < 0n) throw new RangeError("Prices cannot be negative");
  const numerator = BigInt(input.inputTokens) * input.inputPriceMicrosPerMTokens + BigInt(input.outputTokens) * input.outputPriceMicrosPerMTokens;
  return ceilDiv(numerator, TOKENS_PER_PRICE_UNIT);
}

export function mulBps(amountMicros: Micros, bps: number | bigint, rounding: Rounding): Micros {
  return divide(amountMicros * BigInt(bps), BPS_DENOMINATOR, rounding);
}

export function mulPpm(amountMicros: Micros, ppm: number | bigint, rounding: Rounding): Micros {
  return divide(amountMicros * BigInt(ppm), PPM, rounding);
}

export function minMicros(a: Micros, b: Micros): Micros {
  return a < b ? a : b;
}

export function maxMicros(a: Micros, b: Micros): Micros {
  return a > b ? a : b;
}

/** "1,234.56", "$1,000", " 3.25 " → µUSD. At most 6 decimals: no silent rounding of input. */
export function parseUsdToMicros(input: string, options: { allowNegative?: boolean } = {}): Micros {
  const trimmed = input.trim();
  if (!trimmed) throw new MoneyParseError("Enter an amount.");
  const match = /^(-)?\$?(-)?([0-9][0-9,]*)?(?:\.([0-9]*))?$/.exec(trimmed);
  if (!match || (!match[3] && !match[4])) throw new MoneyParseError(`"${input}" is not an amount in dollars, like 1,250.50.`);
  const isNegative = Boolean(match[1] || match[2]);
  if (match[1] && match[2]) throw new MoneyParseError(`"${input}" has two minus signs.`);
  const whole = (match[3] ?? "0").replace(/,/g, "");
  if (match[3] && !/^\d{1,3}(,\d{3})*$|^\d+$/.test(match[3])) throw new MoneyParseError(`"${input}" has misplaced thousands separators.`);
  const fraction = match[4] ?? "";
  if (fraction.length > 6) throw new MoneyParseError(`"${input}" has more than 6 decimals; the smallest unit is $0.000001.`);
  if (isNegative && !options.allowNegative) throw new MoneyParseError("The amount cannot be negative.");
  const micros = BigInt(whole) * MICROS_PER_USD + BigInt((fraction + "000000").slice(0, 6));
  if (BigInt(whole) > MAX_USD) throw new MoneyParseError("The amount is too large.");
  return isNegative ? -micros : micros;
}

const MINUS = "\u2212";

/** For display only: "$1,234.56", "−$5.00", compact "$1.2M". Rounds half away from zero. */
export function formatMicros(micros: Micros, opts: { decimals?: number; compact?: boolean; sign?: boolean } = {}): string {
  const isNegative = micros < 0n;
  const abs = isNegative ? -micros : micros;
  let body: string;
  if (opts.compact && abs >= 1_000n * MICROS_PER_USD) {
    const units: [bigint, string][] = [
      [1_000_000_000_000n * MICROS_PER_USD, "T"],
      [1_000_000_000n * MICROS_PER_USD, "B"],
      [1_000_000n * MICROS_PER_USD, "M"],
      [1_000n * MICROS_PER_USD, "K"],
    ];
    const [unit, suffix] = units.find(([size]) => abs >= size)!;
    const tenths = (abs * 10n + unit / 2n) / unit;
    body = `$${tenths / 10n}${tenths % 10n === 0n ? "" : `.${tenths % 10n}`}${suffix}`;
  } else {
    const decimals = Math.max(0, Math.min(6, opts.decimals ?? 2));
    const scale = 10n ** BigInt(6 - decimals);
    const rounded = (abs + scale / 2n) / scale;
    const factor = 10n ** BigInt(decimals);
    const whole = (rounded / factor).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const fraction = decimals ? `.${(rounded % factor).toString().padStart(decimals, "0")}` : "";
    body = `$${whole}${fraction}`;
  }
  if (isNegative && body !== "$0.00") return `${MINUS}${body}`;
  return opts.sign && micros > 0n ? `+${body}` : body;
}

/** 14_250 bps → "142.50%"; null (infinite coverage) → "∞". */
export function formatBps(bps: number | null, decimals = 2): string {
  if (bps === null) return "∞";
  return `${(bps / 100).toFixed(decimals)}%`;
}

/** JSON wire format: a decimal string of µUSD. */
export function microsToString(micros: Micros): string {
  return micros.toString();
}

export function microsFromString(value: string): Micros {
  if (!/^-?\d+$/.test(value)) throw new MoneyParseError(`"${value}" is not a whole number of micro-dollars.`);
  return BigInt(value);
}
