// The what-if panel's two edges: the projection's inputs on the wire (µUSD as strings, dates as
// ISO 8601), and what a person types into "Burn change", "Index shock" and "Extra repayment".
// The projection itself is `whatIf` / `projectDaysToMarginCall` (./projection.ts), run unchanged
// on the server and in the browser.

import { MoneyParseError, parseUsdToMicros } from "../money";
import type { ProjectionInput, WhatIfChange } from "./projection";

/** ProjectionInput as JSON: every amount a string of µUSD, every instant ISO 8601. */
export type ProjectionInputDto = {
  now: string;
  collateralMicros: string;
  frozenMicros: string;
  debtMicros: string;
  interestMicrosPerDay: string;
  burnMicrosPerDay: string;
  installments: { dueAt: string; amountMicros: string }[];
  indexNowMicros: string;
  indexAtOriginationMicros: string;
  indexTrendMicrosPerDay: string;
  redistributionFeeBps: number;
  maintenanceBps: number;
  horizonDays: number;
};

export function projectionInputToDto(input: ProjectionInput): ProjectionInputDto {
  return {
    now: input.now.toISOString(),
    collateralMicros: input.collateralMicros.toString(),
    frozenMicros: (input.frozenMicros ?? 0n).toString(),
    debtMicros: input.debtMicros.toString(),
    interestMicrosPerDay: input.interestMicrosPerDay.toString(),
    burnMicrosPerDay: input.burnMicrosPerDay.toString(),
    installments: input.installments.map((installment) => ({ dueAt: installment.dueAt.toISOString(), amountMicros: installment.amountMicros.toString() })),
    indexNowMicros: input.indexNowMicros.toString(),
    indexAtOriginationMicros: input.indexAtOriginationMicros.toString(),
    indexTrendMicrosPerDay: input.indexTrendMicrosPerDay.toString(),
    redistributionFeeBps: input.redistributionFeeBps,
    maintenanceBps: input.maintenanceBps,
    horizonDays: input.horizonDays,
  };
}

const INTEGER = /^-?\d+$/;

function micros(name: string, value: string): bigint {
  if (typeof value !== "string" || !INTEGER.test(value)) throw new RangeError(`${name} must be a string of whole µUSD, got ${JSON.stringify(value)}.`);
  return BigInt(value);
}

function instant(name: string, value: string): Date {
  const date = new Date(value);
  if (typeof value !== "string" || !Number.isFinite(date.getTime())) throw new RangeError(`${name} must be an ISO 8601 instant, got ${JSON.stringify(value)}.`);
  return date;
}

/** Back to the exact bigints and Dates the projection takes; a malformed field throws a RangeError naming it. */
export function projectionInputFromDto(dto: ProjectionInputDto): ProjectionInput {
  return {
    now: instant("now", dto.now),
    collateralMicros: micros("collateralMicros", dto.collateralMicros),
    frozenMicros: micros("frozenMicros", dto.frozenMicros),
    debtMicros: micros("debtMicros", dto.debtMicros),
    interestMicrosPerDay: micros("interestMicrosPerDay", dto.interestMicrosPerDay),
    burnMicrosPerDay: micros("burnMicrosPerDay", dto.burnMicrosPerDay),
    installments: dto.installments.map((installment, i) => ({ dueAt: instant(`installments[${i}].dueAt`, installment.dueAt), amountMicros: micros(`installments[${i}].amountMicros`, installment.amountMicros) })),
    indexNowMicros: micros("indexNowMicros", dto.indexNowMicros),
    indexAtOriginationMicros: micros("indexAtOriginationMicros", dto.indexAtOriginationMicros),
    indexTrendMicrosPerDay: micros("indexTrendMicrosPerDay", dto.indexTrendMicrosPerDay),
    redistributionFeeBps: dto.redistributionFeeBps,
    maintenanceBps: dto.maintenanceBps,
    horizonDays: dto.horizonDays,
  };
}

// ───────────────────────────── The form ─────────────────────────────

export type WhatIfForm = { burnChange: string; indexShock: string; extraRepayment: string };
export type WhatIfFormErrors = Partial<Record<keyof WhatIfForm, string>>;
export type WhatIfFormResult = { ok: true; change: WhatIfChange } | { ok: false; errors: WhatIfFormErrors };

/** The limits the panel accepts, in percent. −100% burn = no burn at all; −100% index = worthless credits. */
export const BURN_CHANGE_PCT = { min: -100, max: 1_000 } as const;
export const INDEX_SHOCK_PCT = { min: -100, max: 1_000 } as const;

const PERCENT = /^([+-]?)(\d{1,6})(?:\.(\d{1,2}))?$/;

/**
 * "20", "+20", "-12.5", "−12.5 %" → bps (2,000; 2,000; −1,250; −1,250), exactly, with at most two
 * decimals; "" is 0. Returns an error message instead of a number when it is not one.
 */
export function parsePercentToBps(text: string, label: string, limits: { min: number; max: number }): { bps: number } | { error: string } {
  const trimmed = text.trim().replace(/\u2212/g, "-").replace(/\s*%$/, "");
  if (trimmed === "") return { bps: 0 };
  const match = PERCENT.exec(trimmed);
  if (!match) return { error: `${label}: write a percentage like 20 or -12.5 (at most two decimals).` };
  const magnitude = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  const bps = match[1] === "-" ? -magnitude : magnitude;
  if (bps < limits.min * 100 || bps > limits.max * 100) return { error: `${label}: choose from ${limits.min}% to ${limits.max}%.` };
  return { bps: bps === 0 ? 0 : bps };
}

/** The three fields of the panel → the change `whatIf` applies, or a message per field that is wrong. */
export function parseWhatIfForm(form: WhatIfForm): WhatIfFormResult {
  const errors: WhatIfFormErrors = {};
  const burn = parsePercentToBps(form.burnChange, "Burn change", BURN_CHANGE_PCT);
  if ("error" in burn) errors.burnChange = burn.error;
  const shock = parsePercentToBps(form.indexShock, "Index shock", INDEX_SHOCK_PCT);
  if ("error" in shock) errors.indexShock = shock.error;
  let repayment = 0n;
  if (form.extraRepayment.trim() !== "") {
    try {
      repayment = parseUsdToMicros(form.extraRepayment);
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      errors.extraRepayment = `Extra repayment: ${error.message}`;
    }
  }
  if ("error" in burn || "error" in shock || errors.extraRepayment) return { ok: false, errors };
  return { ok: true, change: { burnChangeBps: burn.bps, indexShockBps: shock.bps, extraRepaymentMicros: repayment } };
}
