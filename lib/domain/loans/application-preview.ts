// What an application would get, before it is sent (DESIGN.md, "Financing arrangement"): the
// startup's Apply form previews, as it types, the credits received, the initial coverage, the
// monthly installment and its schedule, and the least pledge of its own credits that reaches the
// initial threshold. The figures come from previewApproval — the function the approval service
// disburses with — at an indicative APR (the admin sets the real one), so the preview and the
// disbursement cannot disagree on the same terms. The form's edge (dollars typed → µUSD, "1.3" →
// 13,000 bps) and the application's limits live here too, so the browser and the service share them.

import { formatMicros, MICROS_PER_USD, MoneyParseError, parseUsdToMicros } from "../money";
import { microsToUsdDecimal } from "../money/decimal";
import { cureAmountsMicros } from "../valuation/coverage";
import type { MarkRatio } from "../valuation/mark";
import { parseMultiplierToBps } from "./approval-form";
import { financedCreditsMicros, previewApproval, type ApprovalPreview } from "./approval-preview";
import { DEFAULT_THRESHOLDS, MAX_APPROVAL_MULTIPLIER_BPS, MIN_APPROVAL_MULTIPLIER_BPS } from "./approval-terms";

// ───────────────────────────── Limits of an application ─────────────────────────────

/** The largest principal one application may ask for: $100,000,000. */
export const MAX_PRINCIPAL_MICROS = 100_000_000n * MICROS_PER_USD;
/** No pledge or planned burn can exceed $1,000,000,000. */
export const MAX_APPLICATION_AMOUNT_MICROS = 1_000_000_000n * MICROS_PER_USD;
export const MIN_MULTIPLIER_BPS = MIN_APPROVAL_MULTIPLIER_BPS;
export const MAX_MULTIPLIER_BPS = MAX_APPROVAL_MULTIPLIER_BPS;
export const MAX_TERM_MONTHS = 36;
export const MAX_PURPOSE_LENGTH = 500;
export const DEFAULT_INITIAL_THRESHOLD_BPS = DEFAULT_THRESHOLDS.initialCoverageBps;

// ───────────────────────────── Least pledge ─────────────────────────────

/**
 * The least pledge E (µUSD of own credits) with which (⌊P × multiplier⌋ + E) × mark / P reaches the
 * initial threshold: ⌈threshold × P / mark⌉ − financed, or 0 when the financed credits alone reach
 * it. One µUSD less falls short. Null when the mark is zero (no pledge can ever reach it).
 */
export function leastPledgeMicros(input: { principalMicros: bigint; multiplierBps: number; mark: MarkRatio; initialThresholdBps: number }): bigint | null {
  const financed = financedCreditsMicros(input.principalMicros, input.multiplierBps);
  return cureAmountsMicros({ collateralMicros: financed, debtMicros: input.principalMicros, mark: input.mark, targetBps: input.initialThresholdBps }).pledgeMicros;
}

// ───────────────────────────── Preview ─────────────────────────────

export type ApplicationTerms = { principalMicros: bigint; multiplierBps: number; termMonths: number; pledgedMicros: bigint };

export type ApplicationPreviewInput = ApplicationTerms & {
  /** The APR the preview assumes; the admin sets the loan's own on approval. */
  indicativeAprBps: number;
  redistributionFeeBps: number;
  initialThresholdBps: number;
  /** Today's GPU index fix (the index at origination if approved now); null = none yet. */
  indexMicros: bigint | null;
  now: Date;
};

export type ApplicationPreview = ApprovalPreview & {
  aprBps: number;
  initialThresholdBps: number;
  /** The least pledge that reaches the initial threshold (null without an index fix). */
  leastPledgeMicros: bigint | null;
};

/** previewApproval at the indicative APR, plus the least pledge that reaches the initial threshold. */
export function previewApplication(input: ApplicationPreviewInput): ApplicationPreview {
  const preview = previewApproval({
    principalMicros: input.principalMicros,
    pledgedMicros: input.pledgedMicros,
    termMonths: input.termMonths,
    redistributionFeeBps: input.redistributionFeeBps,
    multiplierBps: input.multiplierBps,
    aprBps: input.indicativeAprBps,
    initialThresholdBps: input.initialThresholdBps,
    indexMicros: input.indexMicros,
    now: input.now,
  });
  const least = preview.mark ? leastPledgeMicros({ principalMicros: input.principalMicros, multiplierBps: input.multiplierBps, mark: preview.mark, initialThresholdBps: input.initialThresholdBps }) : null;
  return { ...preview, aprBps: input.indicativeAprBps, initialThresholdBps: input.initialThresholdBps, leastPledgeMicros: least };
}

// ───────────────────────────── The form's edge ─────────────────────────────

export type ApplicationForm = { principalUsd: string; multiplier: string; termMonths: string; pledgeUsd: string; purpose: string };
export type ApplicationFormErrors = Partial<Record<keyof ApplicationForm, string>>;
export type ParsedApplicationForm = ApplicationTerms & { purpose: string };
export type ApplicationFormResult = { ok: true; application: ParsedApplicationForm } | { ok: false; errors: ApplicationFormErrors };

function usdField(text: string, what: string, { min, max, blankIsZero }: { min: bigint; max: bigint; blankIsZero: boolean }): { micros: bigint } | { error: string } {
  if (blankIsZero && text.trim() === "") return { micros: 0n };
  let micros: bigint;
  try {
    micros = parseUsdToMicros(text);
  } catch (error) {
    if (error instanceof MoneyParseError) return { error: error.message };
    throw error;
  }
  if (micros < min) return { error: `Enter ${what} above $0.` };
  if (micros > max) return { error: `At most ${formatMicros(max, { decimals: 0 })}.` };
  return { micros };
}

/**
 * What the startup typed → the application in µUSD and bps, exactly (no floats), with one message
 * per wrong field; the limits are the service's (lib/server/loans/apply.ts parses with them again).
 * `maxPledgeMicros`: the startup's own pledgeable credits, when known.
 */
export function parseApplicationForm(form: ApplicationForm, options: { maxPledgeMicros?: bigint } = {}): ApplicationFormResult {
  const errors: ApplicationFormErrors = {};
  const principal = usdField(form.principalUsd, "a principal", { min: 1n, max: MAX_PRINCIPAL_MICROS, blankIsZero: false });
  if ("error" in principal) errors.principalUsd = form.principalUsd.trim() === "" ? "Enter the principal you want, in USD." : principal.error;

  const multiplier = parseMultiplierToBps(form.multiplier);
  if ("error" in multiplier) errors.multiplier = multiplier.error.charAt(0).toUpperCase() + multiplier.error.slice(1);
  else if (multiplier.bps < MIN_MULTIPLIER_BPS || multiplier.bps > MAX_MULTIPLIER_BPS) errors.multiplier = "Between 1.25 and 1.5.";

  const termText = form.termMonths.trim();
  const term = /^\d{1,3}$/.test(termText) ? Number(termText) : Number.NaN;
  if (!Number.isInteger(term) || term < 1 || term > MAX_TERM_MONTHS) errors.termMonths = `Whole months, 1 to ${MAX_TERM_MONTHS}.`;

  const pledge = usdField(form.pledgeUsd, "a pledge", { min: 0n, max: MAX_APPLICATION_AMOUNT_MICROS, blankIsZero: true });
  if ("error" in pledge) errors.pledgeUsd = pledge.error;
  else if (options.maxPledgeMicros !== undefined && pledge.micros > options.maxPledgeMicros) {
    errors.pledgeUsd = `You can pledge at most ${formatMicros(options.maxPledgeMicros, { decimals: 6 })} of your own credits.`;
  }

  const purpose = form.purpose.trim();
  if (purpose === "") errors.purpose = "Say what the financing is for.";
  else if (purpose.length > MAX_PURPOSE_LENGTH) errors.purpose = `Keep it to ${MAX_PURPOSE_LENGTH} characters.`;

  if (Object.keys(errors).length > 0 || "error" in principal || "error" in multiplier || "error" in pledge) return { ok: false, errors };
  return { ok: true, application: { principalMicros: principal.micros, multiplierBps: multiplier.bps, termMonths: term, pledgedMicros: pledge.micros, purpose } };
}

/** µUSD → what the form's USD field shows for it ("10588.235295"), so "Use the least pledge" fills it exactly. */
export function microsToUsdInput(micros: bigint): string {
  return microsToUsdDecimal(micros).replace(/\.?0+$/, "");
}
