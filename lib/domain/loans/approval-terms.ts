// The terms an admin approves an application with (DESIGN.md, "Financing arrangement"): the one
// schema the approval service parses and the approval form validates against, in the browser and
// on the server alike, plus the four-eyes rule and the comparison of two admins' terms.

import { z } from "zod";

export const DEFAULT_THRESHOLDS = { initialCoverageBps: 15_000, maintenanceCoverageBps: 12_500, liquidationCoverageBps: 11_000 } as const;
export const DEFAULT_EARLY_WARNING_BPS = [14_000, 13_000] as const;
export const DEFAULT_CURE_WINDOW_HOURS = 72;
export const DEFAULT_GRACE_PERIOD_DAYS = 5;
/** DESIGN.md: "initial ≥ 150%". */
export const MIN_INITIAL_COVERAGE_BPS = 15_000;
export const MAX_THRESHOLD_BPS = 100_000;
export const MAX_APR_BPS = 10_000;
/** DESIGN.md: "a startup receives 1.25–1.5× the principal in credits" (the application's bounds too). */
export const MIN_APPROVAL_MULTIPLIER_BPS = 12_500;
export const MAX_APPROVAL_MULTIPLIER_BPS = 15_000;
export const MAX_CURE_WINDOW_HOURS = 720;
export const MAX_GRACE_PERIOD_DAYS = 60;

const bps = (what: string) => z.number({ error: `give ${what} in whole basis points.` }).int(`give ${what} in whole basis points.`);

export const approvalTermsSchema = z
  .object({
    facilityId: z.string({ error: "pick the lender facility." }).trim().min(1, "pick the lender facility.").max(64),
    aprBps: bps("the APR").min(0, "cannot be negative.").max(MAX_APR_BPS, `must be at most ${MAX_APR_BPS} (100%).`),
    multiplierBps: bps("the multiplier").min(MIN_APPROVAL_MULTIPLIER_BPS, "must be at least 12500 (1.25×).").max(MAX_APPROVAL_MULTIPLIER_BPS, "must be at most 15000 (1.5×)."),
    initialCoverageBps: bps("the initial threshold").min(MIN_INITIAL_COVERAGE_BPS, "must be at least 15000 (150%).").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.initialCoverageBps),
    maintenanceCoverageBps: bps("the maintenance threshold").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.maintenanceCoverageBps),
    liquidationCoverageBps: bps("the liquidation threshold").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.liquidationCoverageBps),
    earlyWarningBps: z.array(bps("each early warning")).max(2, "at most two early-warning levels.").default([...DEFAULT_EARLY_WARNING_BPS]),
    autoFreeze: z.boolean().default(false),
    cureWindowHours: z.number().int("give whole hours.").min(1, "must be at least 1 hour.").max(MAX_CURE_WINDOW_HOURS, "must be at most 720 hours (30 days).").default(DEFAULT_CURE_WINDOW_HOURS),
    gracePeriodDays: z.number().int("give whole days.").min(0, "cannot be negative.").max(MAX_GRACE_PERIOD_DAYS, "must be at most 60 days.").default(DEFAULT_GRACE_PERIOD_DAYS),
  })
  .superRefine((terms, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (terms.liquidationCoverageBps <= 10_000) issue("liquidationCoverageBps", "must be above 10000 (100%): below it the collateral no longer covers the debt.");
    if (terms.maintenanceCoverageBps <= terms.liquidationCoverageBps) issue("maintenanceCoverageBps", `must be above the liquidation threshold (${terms.liquidationCoverageBps}).`);
    if (terms.initialCoverageBps <= terms.maintenanceCoverageBps) issue("initialCoverageBps", `must be above the maintenance threshold (${terms.maintenanceCoverageBps}).`);
    if (new Set(terms.earlyWarningBps).size !== terms.earlyWarningBps.length) issue("earlyWarningBps", "give two different levels.");
    for (const level of terms.earlyWarningBps) {
      if (level <= terms.maintenanceCoverageBps || level > terms.initialCoverageBps) {
        issue("earlyWarningBps", `each level must be above maintenance (${terms.maintenanceCoverageBps}) and at most the initial threshold (${terms.initialCoverageBps}); ${level} is not.`);
      }
    }
  });

export type ApprovalTerms = z.input<typeof approvalTermsSchema>;
export type ParsedApprovalTerms = z.infer<typeof approvalTermsSchema>;

/** Early warnings as the loan stores them: "14000,13000", highest first. */
export function earlyWarningText(levels: readonly number[]): string {
  return [...levels].sort((a, b) => b - a).join(",");
}

/** The terms in one canonical shape (early warnings highest first), so two approvals compare field by field. */
export function canonicalTerms(terms: ParsedApprovalTerms): ParsedApprovalTerms {
  return {
    facilityId: terms.facilityId,
    aprBps: terms.aprBps,
    multiplierBps: terms.multiplierBps,
    initialCoverageBps: terms.initialCoverageBps,
    maintenanceCoverageBps: terms.maintenanceCoverageBps,
    liquidationCoverageBps: terms.liquidationCoverageBps,
    earlyWarningBps: [...terms.earlyWarningBps].sort((a, b) => b - a),
    autoFreeze: terms.autoFreeze,
    cureWindowHours: terms.cureWindowHours,
    gracePeriodDays: terms.gracePeriodDays,
  };
}

export const TERM_LABELS: Record<keyof ParsedApprovalTerms, string> = {
  facilityId: "facility",
  aprBps: "APR",
  multiplierBps: "multiplier",
  initialCoverageBps: "initial threshold",
  maintenanceCoverageBps: "maintenance threshold",
  liquidationCoverageBps: "liquidation threshold",
  earlyWarningBps: "early warnings",
  autoFreeze: "auto-freeze",
  cureWindowHours: "cure window",
  gracePeriodDays: "grace period",
};

/** The fields where two sets of terms differ, in form order (empty = the same terms). */
export function differingTerms(a: ParsedApprovalTerms, b: ParsedApprovalTerms): (keyof ParsedApprovalTerms)[] {
  const x = canonicalTerms(a);
  const y = canonicalTerms(b);
  return (Object.keys(TERM_LABELS) as (keyof ParsedApprovalTerms)[]).filter((key) => JSON.stringify(x[key]) !== JSON.stringify(y[key]));
}

// ───────────────────────────── Four-eyes ─────────────────────────────

/** The platform's default: a principal above $250,000 needs a second, different admin. */
export const DEFAULT_FOUR_EYES_THRESHOLD_MICROS = 250_000_000_000n;
/** The threshold an admin may set: $0 (every application) to $100,000,000 (the largest application). */
export const MAX_FOUR_EYES_THRESHOLD_MICROS = 100_000_000_000_000n;

/** Strictly above the threshold: a principal equal to it needs one admin. */
export function needsSecondApproval(principalMicros: bigint, thresholdMicros: bigint): boolean {
  return principalMicros > thresholdMicros;
}

export type FourEyesState = { firstApprovedById: string | null; principalMicros: bigint };

export type FourEyesDecision =
  /** One approval is enough: disburse. */
  | { kind: "disburse" }
  /** The first of two: record it and wait. */
  | { kind: "record_first" }
  /** The same admin again: the same request (a double click) is answered as it was; anything else is refused. */
  | { kind: "same_admin" }
  /** A different admin confirms: disburse if the terms are the first admin's, else refuse naming the differences. */
  | { kind: "second"; differences: (keyof ParsedApprovalTerms)[] };

/**
 * What an approval by `approverId` with `terms` does to a SUBMITTED application under the four-eyes
 * rule. The threshold is read at the moment of the approval: one raised above the principal since
 * the first approval lets the next approval disburse alone.
 */
export function decideFourEyes(input: {
  application: FourEyesState;
  thresholdMicros: bigint;
  approverId: string;
  terms: ParsedApprovalTerms;
  firstApprovedTerms: ParsedApprovalTerms | null;
}): FourEyesDecision {
  if (!needsSecondApproval(input.application.principalMicros, input.thresholdMicros)) return { kind: "disburse" };
  const firstBy = input.application.firstApprovedById;
  if (firstBy === null || input.firstApprovedTerms === null) return { kind: "record_first" };
  if (firstBy === input.approverId) return { kind: "same_admin" };
  return { kind: "second", differences: differingTerms(input.firstApprovedTerms, input.terms) };
}
