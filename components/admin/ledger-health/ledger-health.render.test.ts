// The ledger health page as the server renders it: "Run checks" before any run, the last scheduled
// run with its outcome and each check (a failing one with what it found), and no run yet.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { expect, test, vi } from "vitest";
import { summarizeLedgerChecks } from "@/lib/domain/ledger/health-checks";
import type { LedgerHealthSummary } from "@/lib/server/ledger/health";
import type { LedgerHealthRunDto } from "@/lib/server/ledger/health-schedule";

vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));

const { LedgerHealthScreen } = await import("./ledger-health-screen");

const counts = { accountCount: 40, transferCount: 900, lotCount: 25, creditOrgCount: 6, receivableLoanCount: 4 };

function summaryWith(violations: Parameters<typeof summarizeLedgerChecks>[1]): LedgerHealthSummary {
  return {
    checkedAt: "2026-03-01T12:00:00.000Z",
    durationMs: 42,
    isHealthy: violations.length === 0,
    violationCount: violations.length,
    counts: { accounts: 40, transfers: 900, lots: 25, creditOrganizations: 6, receivableLoans: 4 },
    totalsMicros: { spendable: "1000000", held: "0", frozen: "0", receivable: "0" },
    checks: summarizeLedgerChecks(counts, violations),
  };
}

const render = (lastRun: LedgerHealthRunDto | null) => renderedText(renderToString(createElement(LedgerHealthScreen, { lastRun, runChecks: vi.fn(), intervalMinutes: 60 })));

test("before any run: the button, the prompt, and no scheduled run yet", () => {
  const words = render(null);
  expect(words).toContain("Ledger health");
  expect(words).toContain("Run checks");
  expect(words).toContain("No checks run yet on this page");
  expect(words).toContain("No scheduled run yet");
});

test("the last scheduled run: its outcome, when, and each check with what it found", () => {
  const summary = summaryWith([{ code: "BALANCE_MISMATCH", subjectId: "acc1", message: "Account STARTUP_SPENDABLE acc1 shows a balance of 1 µUSD but its entries sum to 0 µUSD." }]);
  const words = render({ id: "job1", status: "FAILED", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:01.000Z", error: "1 of 6 checks failed: Balances equal their entries (1)", summary });
  expect(words).toContain("Last scheduled run");
  expect(words).toContain("1 of 6 checks failed");
  expect(words).toContain("2026-03-01 12:00:00 UTC");
  expect(words).toContain("Every transfer balances Pass 900 transfers 0");
  expect(words).toContain("Balances equal their entries Account STARTUP_SPENDABLE acc1 shows a balance of 1 µUSD but its entries sum to 0 µUSD. Fail 40 accounts 1");
});

test("a run that broke: its error, no checks", () => {
  const words = render({ id: "job2", status: "FAILED", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:01.000Z", error: "The checks could not run: connection refused", summary: null });
  expect(words).toContain("Did not finish");
  expect(words).toContain("The checks could not run: connection refused");
});
