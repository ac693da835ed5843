// The three dialogs' contents as the server renders them, with the dialog primitive opened flat
// (no portal, no focus trap): field labels, confirm buttons by their exact names, and the preview's
// numbers, computed from the loan's figures by the server's own rules.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";

vi.mock("@/app/lender/loans/[loanId]/freeze-action", () => ({ freezeLoanAction: vi.fn() }));
vi.mock("@/app/lender/loans/[loanId]/unfreeze-action", () => ({ unfreezeLoanAction: vi.fn() }));
vi.mock("@/app/lender/loans/[loanId]/liquidate-action", () => ({ liquidateLoanAction: vi.fn() }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { FreezeDialog } = await import("./freeze-dialog");
const { UnfreezeDialog } = await import("./unfreeze-dialog");
const { LiquidateDialog } = await import("./liquidate-dialog");

const plan = (scope: "PARTIAL" | "FULL") => ({
  scope,
  targetBps: scope === "PARTIAL" ? 13_000 : null,
  requiredMicros: "74509806",
  soldMicros: "74509806",
  soldFromFrozenMicros: "74509806",
  frozenForSaleMicros: "0",
  returnedMicros: "0",
  isTargetRestored: true,
  proceedsMicros: "63333335",
  interestPaidMicros: "0",
  principalPaidMicros: "63333335",
  surplusMicros: "0",
  lossMicros: "0",
  platformRevenueMicros: "11176471",
  collateralAfterMicros: "25490194",
  frozenAfterMicros: "25490194",
  debtAfterMicros: "16666665",
  coverageAfterBps: 13_000,
  inFlightMicros: "0",
  isBlockedByInFlight: false,
});

// $100 of collateral at 0.85 against $80: coverage 106.25%, below maintenance; protective target $70.
const loan = {
  id: "loan_1",
  reference: "BL-1",
  startupName: "Parsec Robotics",
  state: "FROZEN",
  coverageBps: 10_625,
  thresholds: { maintenanceBps: 12_500, hysteresisBps: 500, liquidationBps: 11_000 },
  valuation: { markPpm: 850_000 },
  collateral: { totalMicros: "100000000", frozenMicros: "20000000", unfrozenMicros: "80000000", freezableNowMicros: "80000000", protectiveFreezeMicros: "70000000", protectiveDebtMicros: "80000000" },
  borrowerCredits: { spendableMicros: "80000000", heldMicros: "0", frozenMicros: "20000000" },
  liquidationPreview: { partial: plan("PARTIAL"), full: plan("FULL") },
  recentFreezeEvents: [],
} as unknown as LenderLoanDetailDto;

const props = { loan, disabledReason: null, disabledReasonId: "why", onCommitted: () => undefined };

describe("the collateral dialogs' contents", () => {
  test("Freeze: protective by default below maintenance, with its amount; the reason field; the preview; Confirm freeze", () => {
    const html = renderedText(renderToString(createElement(FreezeDialog, props)));
    expect(html).toContain("What to freeze");
    expect(html).toContain("Protective amount (recommended below maintenance)");
    expect(html).toMatch(/Frozen credits brought to \$70\.00/);
    expect(html).toContain("$50.00 more now.");
    expect(html).toContain("Reason");
    // The preview: $50 more frozen, $30 still spendable, so the API still admits.
    expect(html).toMatch(/Frozen now \$50\.00/);
    expect(html).toMatch(/Borrower can still spend \$30\.00/);
    expect(html).toContain("Still admits requests");
    expect(html).toContain("Confirm freeze");
    expect(html).toContain("Give a reason to confirm.");
  });

  test("Unfreeze: everything by default, with what the borrower can spend after; Confirm unfreeze", () => {
    const html = renderedText(renderToString(createElement(UnfreezeDialog, props)));
    expect(html).toContain("What to release");
    expect(html).toMatch(/Released now \$20\.00/);
    expect(html).toMatch(/Borrower can spend after \$100\.00/);
    expect(html).toContain("Leaves FROZEN");
    expect(html).toContain("Confirm unfreeze");
  });

  test("Liquidate: partial by default, the waterfall line by line; Confirm liquidation", () => {
    const html = renderedText(renderToString(createElement(LiquidateDialog, { ...props, onCommitted: () => undefined, markText: "$0.8500" })));
    expect(html).toContain("How much to sell");
    expect(html).toContain("brings coverage back to 130.00% (maintenance + 5 points)");
    for (const line of [/Credits sold \$74\.51/, /Proceeds at mark \$63\.33/, /Interest paid \$0\.00/, /Principal paid \$63\.33/, /Surplus to the startup \$0\.00 cash/, /Loss \$0\.00/, /Platform revenue \$11\.18/, /Debt after \$16\.67/, /Coverage after 130\.00%/]) {
      expect(html).toMatch(line);
    }
    expect(html).toContain("Confirm liquidation");
  });
});
