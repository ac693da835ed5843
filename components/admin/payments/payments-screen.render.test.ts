// The payments screen as the server renders it, dialogs opened flat (no portal): the headings,
// the pending rows with "Confirm" and "Refuse", the confirm dialog's split (the server's preview,
// shown as is), the refusal's required reason, and the purchase dialog's spendable before/after.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { AdminPaymentsScreen } from "./format";

vi.mock("@/app/admin/payments/confirm-notice-action", () => ({ confirmNoticeAction: vi.fn() }));
vi.mock("@/app/admin/payments/refuse-notice-action", () => ({ refuseNoticeAction: vi.fn() }));
vi.mock("@/app/admin/payments/confirm-purchase-action", () => ({ confirmPurchaseAction: vi.fn() }));
vi.mock("@/app/admin/payments/refuse-purchase-action", () => ({ refusePurchaseAction: vi.fn() }));
vi.mock("@/app/admin/payments/record-payment-action", () => ({ recordPaymentAction: vi.fn() }));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: vi.fn() }) }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { PaymentsScreen } = await import("./payments-screen");
const { PurchasesSection } = await import("./purchases-section");

const acme = { name: "Ada Chen", email: "cto@acme-ai.example" };
const admin = { name: "Platform Admin", email: "admin@blockable.dev" };

const data: AdminPaymentsScreen = {
  asOf: "2026-11-25T10:26:41.343Z",
  summary: { pendingNotices: 1, pendingNoticesMicros: "25000000000", pendingPurchases: 1, pendingPurchasesMicros: "25000000000", confirmedRepaymentsMicros30d: "23600000000", confirmedPurchasesMicros30d: "75000000000" },
  notices: [
    {
      id: "n1",
      status: "PENDING",
      startupName: "Acme AI",
      loanId: "l1",
      loanReference: "BL-2026-0007",
      loanState: "ACTIVE",
      amountMicros: "25000000000",
      sentOn: "2026-11-24",
      reference: "ACME-WIRE-88213",
      declaredBy: acme,
      declaredAt: "2026-11-24T14:26:41.343Z",
      decidedBy: null,
      decidedAt: null,
      refusalReason: null,
      paymentId: null,
      isRecordedDirectly: false,
      interestPaidMicros: null,
      principalPaidMicros: null,
      preview: {
        asOf: "2026-11-25T10:26:41.343Z",
        principalOutstandingMicros: "378000000000",
        interestAccruedMicros: "2500000000",
        debtMicros: "380500000000",
        interestPaidMicros: "2500000000",
        principalPaidMicros: "22500000000",
        debtAfterMicros: "355500000000",
        isOverDebt: false,
        isLoanOpen: true,
      },
    },
    {
      id: "n2",
      status: "REFUSED",
      startupName: "Vectorly",
      loanId: "l2",
      loanReference: "BL-2026-0005",
      loanState: "MARGIN_CALL",
      amountMicros: "18000000000",
      sentOn: "2026-11-16",
      reference: "VEC-WIRE-4471",
      declaredBy: { name: "Priya Raman", email: "cto@vectorly.example" },
      declaredAt: "2026-11-16T15:00:00.000Z",
      decidedBy: admin,
      decidedAt: "2026-11-17T10:00:00.000Z",
      refusalReason: "No wire with this reference arrived.",
      paymentId: null,
      isRecordedDirectly: false,
      interestPaidMicros: null,
      principalPaidMicros: null,
      preview: null,
    },
  ],
  purchases: [
    {
      id: "p1",
      status: "PENDING",
      startupName: "Vectorly",
      orgId: "o1",
      amountMicros: "25000000000",
      reference: "VEC-PO-3390",
      requestedBy: { name: "Priya Raman", email: "cto@vectorly.example" },
      requestedAt: "2026-11-25T04:26:41.343Z",
      decidedBy: null,
      decidedAt: null,
      refusalReason: null,
      lotId: null,
      spendableMicros: "1000000000",
      openLoan: { reference: "BL-2026-0005", state: "MARGIN_CALL" },
    },
  ],
  loans: [{ id: "l1", reference: "BL-2026-0007", startupName: "Acme AI", state: "ACTIVE", principalOutstandingMicros: "378000000000", interestAccruedMicros: "2500000000", debtMicros: "380500000000" }],
};

describe("the payments screen", () => {
  const html = renderedText(renderToString(createElement(PaymentsScreen, { data })));

  test("has its heading, figures and both tabs", () => {
    expect(html).toContain(" Payments ");
    expect(html).toContain("Repayment notices waiting 1");
    expect(html).toContain("Repayment notices 1 waiting");
    expect(html).toContain("Credit purchases 1 waiting");
  });

  test("lists the pending notice with its startup, loan, amount, day, reference and who declared it; the decided one with its reason", () => {
    expect(html).toContain("Acme AI BL-2026-0007 active $25,000.00 2026-11-24 ACME-WIRE-88213 Ada Chen 2026-11-24 14:26 UTC");
    expect(html).toContain("No wire with this reference arrived.");
  });

  test("the confirm dialog shows the engine's split and the debt after, and the refusal asks for a reason", () => {
    expect(html).toContain("Confirm Acme AI's payment?");
    expect(html).toContain("Debt now (principal + interest to today) $380,500.00 Amount received $25,000.00 → pays accrued interest $2,500.00 → pays principal $22,500.00 Debt after $355,500.00");
    expect(html).toContain("Confirm payment");
    expect(html).toContain("Refuse Acme AI's payment notice?");
    expect(html).toMatch(/Reason .*Refuse notice/);
  });

  test("offers Record payment with the open loans", () => {
    expect(html).toContain("Record a payment received");
    expect(html).toContain("BL-2026-0007 · Acme AI · owes $380,500.00");
  });
});

describe("the credit purchases tab", () => {
  const html = renderedText(renderToString(createElement(PurchasesSection, { purchases: data.purchases })));
  test("the confirm dialog shows spendable before and after", () => {
    expect(html).toContain("Confirm Vectorly's credit purchase?");
    expect(html).toContain("Spendable now $1,000.00 Credits issued (purchased lot) $25,000.00 Spendable after $26,000.00");
    expect(html).toContain("Refuse purchase");
  });
  test("says there is nothing decided yet", () => {
    expect(html).toContain("No decided purchases yet");
  });
});
