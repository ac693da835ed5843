// The ledger health page's checks: DESIGN.md's invariants one by one, each passing or failing, with
// how much it looked at and what it found. The checker (invariants.ts) returns violations; this
// groups them under the check that owns them.

import type { Violation, ViolationCode } from "./invariants";

export type LedgerHealthCounts = {
  accountCount: number;
  transferCount: number;
  lotCount: number;
  /** Organisations with startup balances or credit lots. */
  creditOrgCount: number;
  /** Loans whose disbursement is on the ledger (they have a receivable). */
  receivableLoanCount: number;
};

export type LedgerCheckResult = {
  code: ViolationCode;
  title: string;
  /** The rule in one sentence, as the page's "how computed" tip. */
  rule: string;
  isPassing: boolean;
  checkedCount: number;
  /** What `checkedCount` counts ("transfers", "accounts", …). */
  checkedUnit: string;
  violationCount: number;
  /** The first few violations, each naming its subject and both numbers. */
  violations: Violation[];
};

type CheckDefinition = { code: ViolationCode; title: string; rule: string; unit: string; countOf: (counts: LedgerHealthCounts) => number };

export const LEDGER_CHECKS: readonly CheckDefinition[] = [
  {
    code: "UNBALANCED_TRANSFER",
    title: "Every transfer balances",
    rule: "Each transfer has exactly two entries, and they sum to 0 µUSD.",
    unit: "transfers",
    countOf: (counts) => counts.transferCount,
  },
  {
    code: "BALANCE_MISMATCH",
    title: "Balances equal their entries",
    rule: "Every account's stored balance equals the sum of its ledger entries, and no entry posts to an unknown account.",
    unit: "accounts",
    countOf: (counts) => counts.accountCount,
  },
  {
    code: "NEGATIVE_BALANCE",
    title: "No balance below zero",
    rule: "Spendable, held and frozen credits — and every account other than issuance and the outside world — are never negative.",
    unit: "accounts",
    countOf: (counts) => counts.accountCount,
  },
  {
    code: "LOTS_MISMATCH_SPENDABLE",
    title: "Unfrozen lots match spendable + held",
    rule: "Per organisation, the unfrozen credits left in its lots equal its STARTUP_SPENDABLE + STARTUP_HELD balances.",
    unit: "organisations",
    countOf: (counts) => counts.creditOrgCount,
  },
  {
    code: "LOTS_MISMATCH_FROZEN",
    title: "Frozen lots match frozen balance",
    rule: "Per organisation, the frozen credits in its lots equal its STARTUP_FROZEN balance.",
    unit: "organisations",
    countOf: (counts) => counts.creditOrgCount,
  },
  {
    code: "RECEIVABLE_MISMATCH",
    title: "Receivables match principal outstanding",
    rule: "Each disbursed loan's LOAN_RECEIVABLE balance equals the principal the loan says is outstanding.",
    unit: "loans",
    countOf: (counts) => counts.receivableLoanCount,
  },
];

/** Each check with its verdict, in LEDGER_CHECKS' order; a violation of an unknown code is kept under a check of its own. */
export function summarizeLedgerChecks(counts: LedgerHealthCounts, violations: readonly Violation[], options: { sampleSize?: number } = {}): LedgerCheckResult[] {
  const sampleSize = options.sampleSize ?? 20;
  const byCode = new Map<string, Violation[]>();
  for (const violation of violations) byCode.set(violation.code, [...(byCode.get(violation.code) ?? []), violation]);
  const known: LedgerCheckResult[] = LEDGER_CHECKS.map((check) => {
    const found = byCode.get(check.code) ?? [];
    return {
      code: check.code,
      title: check.title,
      rule: check.rule,
      isPassing: found.length === 0,
      checkedCount: check.countOf(counts),
      checkedUnit: check.unit,
      violationCount: found.length,
      violations: found.slice(0, sampleSize),
    };
  });
  const unknown = [...byCode.entries()]
    .filter(([code]) => !LEDGER_CHECKS.some((check) => check.code === code))
    .map(([code, found]): LedgerCheckResult => ({
      code: code as ViolationCode,
      title: code,
      rule: "A rule the page has no description for.",
      isPassing: false,
      checkedCount: 0,
      checkedUnit: "items",
      violationCount: found.length,
      violations: found.slice(0, sampleSize),
    }));
  return [...known, ...unknown];
}
