// Money is integer micro-dollars (µUSD) in BigInt. Floats never hold money: every calculation is
// exact, and the only rounding happens where a function names its direction.

export type Micros = bigint;
export type Rounding = "up" | "down";

export const MICROS_PER_USD = 1_000_000n;
export const BPS_DENOMINATOR = 10_000n;
export const PPM = 1_000_000n;
/** Model prices are quoted per million tokens. */
export const TOKENS_PER_PRICE_UNIT = 1_000_000n;
/** No amount a person types is larger than this; anything above is a typo or an attack. */
export const MAX_PARSE_USD = 10n ** 15n;

const MICRO_DECIMALS = 6;
const MINUS_SIGN = "\u2212";

export class MoneyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyParseError";
  }
}

// ───────────────────────────── Exact arithmetic ─────────────────────────────

function assertPositiveDenominator(denominator: bigint) {
  if (denominator <= 0n) throw new RangeError(`Denominator must be positive, got ${denominator}.`);
}

/** ⌊n / d⌋. BigInt division truncates toward zero, which is the ceiling for negative n. */
export function floorDiv(numerator: bigint, denominator: bigint): bigint {
  assertPositiveDenominator(denominator);
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
}

/** ⌈n / d⌉, also for negative n (where truncation already is the ceiling). */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  assertPositiveDenominator(denominator);
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator > 0n ? quotient + 1n : quotient;
}

export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  return rounding === "up" ? ceilDiv(numerator, denominator) : floorDiv(numerator, denominator);
}

function toIntegerBigInt(name: string, value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  // BigInt(1.5) would throw an unhelpful message; a fractional ratio is a caller bug worth naming.
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}.`);
  return BigInt(value);
}

/** amount × bps / 10,000, rounded in the caller's chosen direction (who the rounding favours). */
export function mulBps(amountMicros: Micros, bps: number | bigint, rounding: Rounding): Micros {
  return divRound(amountMicros * toIntegerBigInt("bps", bps), BPS_DENOMINATOR, rounding);
}

/** amount × ppm / 1,000,000, rounded in the caller's chosen direction. */
export function mulPpm(amountMicros: Micros, ppm: number | bigint, rounding: Rounding): Micros {
  return divRound(amountMicros * toIntegerBigInt("ppm", ppm), PPM, rounding);
}

export function minMicros(a: Micros, b: Micros): Micros {
  return a < b ? a : b;
}

export function maxMicros(a: Micros, b: Micros): Micros {
  return a > b ? a : b;
}

export function absMicros(a: Micros): Micros {
  return a < 0n ? -a : a;
}

// ───────────────────────────── Request cost ─────────────────────────────

function assertTokenCount(name: string, value: number) {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}.`);
  }
}

/**
 * DESIGN.md: ceil((in × inPrice + out × outPrice) / 1,000,000) µUSD. Rounding up once, on the
 * sum, means a request is never billed less than it used and never more than 1 µUSD over.
 */
export function requestCostMicros(input: {
  inputTokens: number;
  outputTokens: number;
  inputPriceMicrosPerMTokens: bigint;
  outputPriceMicrosPerMTokens: bigint;
}): Micros {
  assertTokenCount("inputTokens", input.inputTokens);
  assertTokenCount("outputTokens", input.outputTokens);
  if (input.inputPriceMicrosPerMTokens < 0n || input.outputPriceMicrosPerMTokens < 0n) {
    throw new RangeError(`Prices cannot be negative (input ${input.inputPriceMicrosPerMTokens}, output ${input.outputPriceMicrosPerMTokens} µUSD per M tokens).`);
  }
  const numerator = BigInt(input.inputTokens) * input.inputPriceMicrosPerMTokens + BigInt(input.outputTokens) * input.outputPriceMicrosPerMTokens;
  return ceilDiv(numerator, TOKENS_PER_PRICE_UNIT);
}

// ───────────────────────────── Parsing what people type ─────────────────────────────

const GROUPED_WHOLE = /^\d{1,3}(,\d{3})+$/;

/**
 * "12", "12.5", "1,234.567891", "$1,000", " 3.25 " → µUSD. Refuses rather than rounds: an amount
 * someone typed into a payment or freeze form must mean exactly what it says.
 */
export function parseUsdToMicros(input: string, options: { allowNegative?: boolean } = {}): Micros {
  const trimmed = input.trim();
  if (trimmed === "") throw new MoneyParseError("Enter an amount.");

  // Accept the display format's own minus sign so a formatted amount parses back.
  let rest = trimmed.replace(MINUS_SIGN, "-");
  let isNegative = false;
  if (rest.startsWith("-")) {
    isNegative = true;
    rest = rest.slice(1);
  }
  if (rest.startsWith("$")) rest = rest.slice(1);
  if (!isNegative && rest.startsWith("-")) {
    isNegative = true; // "$-5" is how some spreadsheets write it
    rest = rest.slice(1);
  }

  const stray = /[^0-9.,]/.exec(rest);
  if (stray) {
    const what = stray[0] === "-" || stray[0] === "$" ? `a misplaced "${stray[0]}"` : /\s/.test(stray[0]) ? "a space inside the number" : `"${stray[0]}", which is not a digit`;
    throw new MoneyParseError(`"${input}" contains ${what}; write an amount like 1,250.50.`);
  }
  const dots = rest.split(".").length - 1;
  if (dots > 1) throw new MoneyParseError(`"${input}" has ${dots} decimal points; use at most one.`);
  const [wholeText, fraction = ""] = rest.split(".");
  if (wholeText === "" && fraction === "") throw new MoneyParseError(`"${input}" has no digits.`);
  if (fraction.includes(",")) throw new MoneyParseError(`"${input}" has a comma after the decimal point.`);
  if (wholeText.includes(",") && !GROUPED_WHOLE.test(wholeText)) {
    throw new MoneyParseError(`"${input}" has misplaced thousands separators; group digits in threes, like 1,234,567.`);
  }
  if (fraction.length > MICRO_DECIMALS) {
    throw new MoneyParseError(`"${input}" has ${fraction.length} decimals; at most 6 are allowed (the smallest unit is $0.000001).`);
  }
  if (isNegative && !options.allowNegative) throw new MoneyParseError(`"${input}" is negative; the amount cannot be negative.`);

  const whole = BigInt(wholeText.replace(/,/g, "") || "0");
  const micros = whole * MICROS_PER_USD + BigInt(fraction.padEnd(MICRO_DECIMALS, "0"));
  if (micros > MAX_PARSE_USD * MICROS_PER_USD) {
    throw new MoneyParseError(`"${input}" is too large; the most an amount can be is $1,000,000,000,000,000.`);
  }
  return isNegative ? -micros : micros;
}

// ───────────────────────────── Display ─────────────────────────────

/** Round half away from zero (display only: "$0.005" shows as "$0.01", never as banker's "$0.00"). */
function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const magnitude = (absMicros(numerator) * 2n + denominator) / (2n * denominator);
  return numerator < 0n ? -magnitude : magnitude;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

const COMPACT_UNITS: [bigint, string][] = [
  [10n ** 12n, "T"],
  [10n ** 9n, "B"],
  [10n ** 6n, "M"],
  [10n ** 3n, "K"],
];

function compactBody(absMicrosValue: bigint): string {
  for (const [usd, suffix] of COMPACT_UNITS) {
    const tenths = roundHalfAwayFromZero(absMicrosValue * 10n, usd * MICROS_PER_USD);
    // Rounding can carry into the next unit up ($999,960 → "$1.0M", not "$1000.0K").
    if (tenths >= 10n && (tenths < 10_000n || suffix === "T")) {
      const whole = groupThousands((tenths / 10n).toString());
      return `$${whole}${tenths % 10n === 0n ? "" : `.${tenths % 10n}`}${suffix}`;
    }
  }
  throw new RangeError(`compactBody needs at least $1,000, got ${absMicrosValue} µUSD.`);
}

/**
 * For display only: "$1,234.56", "−$5.00" (U+2212, the real minus sign), compact "$1.2M",
 * "+$2.00" with `sign`. Amounts below $1,000 are never compacted: "$0.9K" helps nobody.
 */
export function formatMicros(micros: Micros, opts: { decimals?: number; compact?: boolean; sign?: boolean } = {}): string {
  const decimals = Math.max(0, Math.min(MICRO_DECIMALS, Math.trunc(opts.decimals ?? 2)));
  const scale = 10n ** BigInt(MICRO_DECIMALS - decimals);
  let body: string;
  let isZero: boolean;
  if (opts.compact && absMicros(micros) >= 1_000n * MICROS_PER_USD) {
    body = compactBody(absMicros(micros));
    isZero = false;
  } else {
    const rounded = roundHalfAwayFromZero(absMicros(micros), scale);
    const factor = 10n ** BigInt(decimals);
    const fraction = decimals > 0 ? `.${(rounded % factor).toString().padStart(decimals, "0")}` : "";
    body = `$${groupThousands((rounded / factor).toString())}${fraction}`;
    isZero = rounded === 0n;
  }
  // A debit that rounds to nothing shows as "$0.00", not "−$0.00".
  if (isZero) return body;
  if (micros < 0n) return `${MINUS_SIGN}${body}`;
  return opts.sign ? `+${body}` : body;
}

/** 14_250 bps → "142.50%"; null (infinite coverage: no debt) → "∞". */
export function formatBps(bps: number | null, decimals = 2): string {
  if (bps === null) return "∞";
  if (!Number.isFinite(bps)) return bps > 0 ? "∞" : `${MINUS_SIGN}∞`;
  const places = Math.max(0, Math.min(2, Math.trunc(decimals)));
  // Integer bps format exactly; Number#toFixed would round 142.55 by its binary value.
  const hundredths = Number.isInteger(bps) ? BigInt(bps) : BigInt(Math.round(bps));
  const shown = roundHalfAwayFromZero(hundredths, 10n ** BigInt(2 - places));
  const factor = 10n ** BigInt(places);
  const magnitude = absMicros(shown);
  const fraction = places > 0 ? `.${(magnitude % factor).toString().padStart(places, "0")}` : "";
  return `${shown < 0n ? MINUS_SIGN : ""}${magnitude / factor}${fraction}%`;
}

// ───────────────────────────── Wire format ─────────────────────────────

/** JSON carries µUSD as decimal strings: a JSON number loses precision above 2^53. */
export function microsToString(micros: Micros): string {
  return micros.toString();
}

export function microsFromString(value: string): Micros {
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw new MoneyParseError(`${JSON.stringify(value)} is not a whole number of micro-dollars (expected digits with an optional leading "-").`);
  }
  return BigInt(value);
}
