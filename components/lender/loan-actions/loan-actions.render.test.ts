// The loan page's actions as the server renders them: the three buttons by their exact names,
// disabled with the reason beside them when they cannot act, and the enforcement check's place.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, test, vi } from "vitest";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined }) }));
vi.mock("@/app/lender/loans/[loanId]/freeze-action", () => ({ freezeLoanAction: vi.fn() }));
vi.mock("@/app/lender/loans/[loanId]/unfreeze-action", () => ({ unfreezeLoanAction: vi.fn() }));
vi.mock("@/app/lender/loans/[loanId]/liquidate-action", () => ({ liquidateLoanAction: vi.fn() }));
vi.mock("@/app/lender/loans/[loanId]/check-enforcement-action", () => ({ checkEnforcementAction: vi.fn() }));

const { LoanActions } = await import("./loan-actions");

function loanOf(state: string, frozenMicros: string): LenderLoanDetailDto {
  return {
    id: "loan_1",
    reference: "BL-1",
    startupName: "Parsec Robotics",
    state,
    coverageBps: 12_000,
    thresholds: { maintenanceBps: 12_500, hysteresisBps: 500, liquidationBps: 11_000 },
    valuation: { markPpm: 850_000 },
    collateral: { totalMicros: "100000000", frozenMicros, unfrozenMicros: String(100_000_000n - BigInt(frozenMicros)), freezableNowMicros: String(100_000_000n - BigInt(frozenMicros)), protectiveFreezeMicros: "70000000", protectiveDebtMicros: "50000000" },
    borrowerCredits: { spendableMicros: String(100_000_000n - BigInt(frozenMicros)), heldMicros: "0", frozenMicros },
    liquidationPreview: null,
    recentFreezeEvents: [],
  } as unknown as LenderLoanDetailDto;
}

const render = (loan: LenderLoanDetailDto) => renderToString(createElement(QueryClientProvider, { client: new QueryClient() }, createElement(LoanActions, { loan })));

/** The <button> elements' text and whether they are disabled. */
function buttons(html: string) {
  return [...html.matchAll(/<button([^>]*)>(.*?)<\/button>/g)].map((match) => ({ name: match[2].replace(/<[^>]+>/g, "").trim(), isDisabled: /\sdisabled=""/.test(match[1]) }));
}

describe("LoanActions", () => {
  test("an active loan: Freeze is enabled; Unfreeze and Liquidate are disabled and say why", () => {
    const html = render(loanOf("ACTIVE", "0"));
    const named = buttons(html).filter((b) => ["Freeze", "Unfreeze", "Liquidate"].includes(b.name));
    expect(named).toEqual([
      { name: "Freeze", isDisabled: false },
      { name: "Unfreeze", isDisabled: true },
      { name: "Liquidate", isDisabled: true },
    ]);
    expect(html).toContain("Unfreeze needs a frozen loan: nothing is frozen.");
    expect(html).toContain("Liquidate needs a frozen loan: freeze it first.");
    expect(html).toContain("Routing API now");
  });

  test("a fully frozen loan: Unfreeze is enabled, Freeze says everything is frozen", () => {
    const html = render(loanOf("FROZEN", "100000000"));
    expect(buttons(html).filter((b) => ["Freeze", "Unfreeze"].includes(b.name))).toEqual([
      { name: "Freeze", isDisabled: true },
      { name: "Unfreeze", isDisabled: false },
    ]);
    expect(html).toContain("All of the collateral is already frozen.");
  });
});

describe("LoanActions on a closed loan", () => {
  test("all three disabled, pointing at one line that says why; no enforcement check", () => {
    const closed = { ...loanOf("LIQUIDATED", "0"), collateral: null, borrowerCredits: null } as unknown as LenderLoanDetailDto;
    const html = render(closed);
    expect(buttons(html).filter((b) => ["Freeze", "Unfreeze", "Liquidate"].includes(b.name)).every((b) => b.isDisabled)).toBe(true);
    expect(html.split("The loan is liquidated: it holds no collateral.").length - 1).toBe(1);
    const described = [...html.matchAll(/aria-describedby="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(described).size).toBe(1);
    expect(html).toContain(`id="${described[0]}"`);
    expect(html).not.toContain("Routing API now");
  });
});
