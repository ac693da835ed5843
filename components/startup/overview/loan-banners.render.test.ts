// The overview's banners as the server renders them: a margin call names the time left, the least
// repayment and pledge, and the buttons that start each (pledge from own credits, or buy first);
// a freeze shows the amount and the lender's reason at once.
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test, vi } from "vitest";
import { renderedText } from "@/test/render";
import type { LiveLoanDto } from "@/lib/server/queries/startup-overview";

vi.mock("next/link", () => ({ default: ({ href, children, ...props }: { href: string; children?: ReactNode }) => createElement("a", { href, ...props }, children) }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));

const { FreezeBanner, MarginCallBanner } = await import("./loan-banners");

const AS_OF = "2026-12-04T10:00:00.000Z";

function loan(overrides: Partial<LiveLoanDto> = {}): LiveLoanDto {
  return {
    id: "loan1",
    reference: "BL-2026-0003",
    state: "MARGIN_CALL",
    lenderName: "Northwind Credit",
    coverageBps: 12_050,
    maintenanceBps: 12_500,
    debtMicros: "160000000000",
    collateralMicros: "226000000000",
    frozenCollateralMicros: "0",
    marginCall: {
      openedAt: "2026-12-03T04:00:00.000Z",
      deadline: "2026-12-06T04:00:00.000Z",
      cure: { targetBps: 13_000, repayMicros: "12345678901", pledgeMicros: "18000000000", pledgeFromOwnMicros: "0", buyMicros: "18000000000" },
    },
    freeze: null,
    ...overrides,
  };
}

const render = (node: ReturnType<typeof createElement>) => renderToString(node);

describe("MarginCallBanner", () => {
  test("the time left, both least cures, and Declare repayment / Buy credits when no own credits are left", () => {
    const html = render(createElement(MarginCallBanner, { loan: loan(), asOf: AS_OF }));
    const text = renderedText(html, { joinTextNodes: true });
    expect(text).toContain("Margin call on BL-2026-0003");
    expect(text).toContain("1 d 18 h 00 m 00 s left");
    expect(text).toContain("$12,345.68");
    expect(text).toContain("$18,000.00");
    expect(html).toContain('href="/startup/financing/loan1#repay"');
    expect(html).toContain('href="/startup/financing/loan1#buy"');
    expect(html).not.toContain("#pledge");
    expect(html).toContain('data-micros="12345678901"');
  });

  test("own credits that cover the pledge: Pledge credits, no Buy credits", () => {
    const html = render(
      createElement(MarginCallBanner, {
        loan: loan({ marginCall: { ...loan().marginCall!, cure: { targetBps: 13_000, repayMicros: "1", pledgeMicros: "5000000", pledgeFromOwnMicros: "5000000", buyMicros: "0" } } }),
        asOf: AS_OF,
      }),
    );
    expect(renderedText(html)).toContain("Pledge credits");
    expect(html).not.toContain("#buy");
  });

  test("no open margin call: nothing", () => {
    expect(render(createElement(MarginCallBanner, { loan: loan({ state: "ACTIVE", marginCall: null }), asOf: AS_OF }))).toBe("");
  });
});

describe("FreezeBanner", () => {
  test("the frozen amount, who, when and the lender's reason", () => {
    const html = render(createElement(FreezeBanner, { loan: loan({ state: "FROZEN", frozenCollateralMicros: "50000000000", freeze: { at: "2026-12-04T09:30:00.000Z", reason: "coverage dropping", mode: "PROTECTIVE", byLender: true } }) }));
    const text = renderedText(html, { joinTextNodes: true });
    expect(text).toContain("Credits frozen on BL-2026-0003");
    expect(text).toContain("$50,000.00 of your collateral is frozen since 2026-12-04 09:30 UTC by Northwind Credit");
    expect(text).toContain("Reason: coverage dropping");
  });

  test("not frozen: nothing", () => {
    expect(render(createElement(FreezeBanner, { loan: loan() }))).toBe("");
  });
});
