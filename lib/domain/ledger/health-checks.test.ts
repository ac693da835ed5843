import { describe, expect, test } from "vitest";
import { LEDGER_CHECKS, summarizeLedgerChecks, type LedgerHealthCounts } from "./health-checks";
import type { Violation } from "./invariants";

const counts: LedgerHealthCounts = { accountCount: 40, transferCount: 900, lotCount: 25, creditOrgCount: 6, receivableLoanCount: 4 };

describe("summarizeLedgerChecks", () => {
  test("a healthy ledger: every check passes, each with what it looked at", () => {
    const checks = summarizeLedgerChecks(counts, []);
    expect(checks.map((check) => [check.code, check.isPassing, check.checkedCount, check.checkedUnit])).toEqual([
      ["UNBALANCED_TRANSFER", true, 900, "transfers"],
      ["BALANCE_MISMATCH", true, 40, "accounts"],
      ["NEGATIVE_BALANCE", true, 40, "accounts"],
      ["LOTS_MISMATCH_SPENDABLE", true, 6, "organisations"],
      ["LOTS_MISMATCH_FROZEN", true, 6, "organisations"],
      ["RECEIVABLE_MISMATCH", true, 4, "loans"],
    ]);
  });

  test("violations land under their check, the first few kept", () => {
    const violations: Violation[] = [
      ...Array.from({ length: 3 }, (_, index): Violation => ({ code: "NEGATIVE_BALANCE", subjectId: `acc${index}`, message: `Account acc${index} is at -1 µUSD` })),
      { code: "RECEIVABLE_MISMATCH", subjectId: "loan1", message: "Loan BL-1: …" },
    ];
    const checks = summarizeLedgerChecks(counts, violations, { sampleSize: 2 });
    const negative = checks.find((check) => check.code === "NEGATIVE_BALANCE")!;
    expect([negative.isPassing, negative.violationCount, negative.violations.map((v) => v.subjectId)]).toEqual([false, 3, ["acc0", "acc1"]]);
    expect(checks.filter((check) => !check.isPassing).map((check) => check.code)).toEqual(["NEGATIVE_BALANCE", "RECEIVABLE_MISMATCH"]);
  });

  test("a violation of a code the page does not know is still shown, failing", () => {
    const checks = summarizeLedgerChecks(counts, [{ code: "SOMETHING_NEW" as Violation["code"], subjectId: "x", message: "new rule" }]);
    expect(checks).toHaveLength(LEDGER_CHECKS.length + 1);
    expect(checks[checks.length - 1]).toMatchObject({ code: "SOMETHING_NEW", isPassing: false, violationCount: 1 });
  });
});
