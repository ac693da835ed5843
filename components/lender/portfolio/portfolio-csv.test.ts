import { describe, expect, it } from "vitest";
import type { PortfolioLoanDto } from "@/lib/server/queries/lender-portfolio";
import { bpsToPercentText, portfolioCsv, portfolioCsvRow, PORTFOLIO_CSV_HEADERS } from "./portfolio-csv";

const open: PortfolioLoanDto = {
  id: "loan_1",
  reference: "BL-2026-0005",
  startupName: "Vectorly",
  facilityName: "Northwind Compute Credit Facility I",
  state: "MARGIN_CALL",
  watchStatus: "MARGIN_CALL",
  isOpen: true,
  maintenanceBps: 12_500,
  cureDeadline: "2026-11-27T04:26:41.343Z",
  openAlerts: 2,
  // Above 2^53 µUSD: a float would print 9007199254.740992.
  debtMicros: "9007199254740993",
  collateralMicros: "12750000000001",
  collateralValueMicros: "10837500000000",
  coverageBps: 12_050,
  burnMicrosPerDay: "1234567",
  daysToMarginCall: 0,
  marginCallDate: "2026-11-25",
  nextInstallment: { dueAt: "2026-12-01T14:40:00.000Z", amountMicros: "8000000000", isOverdue: false },
  coverageDailyBps: [12_100, null, 12_050],
};

const closed: PortfolioLoanDto = {
  ...open,
  id: "loan_2",
  reference: "BL-2025-0001",
  startupName: 'Quill, "Health"',
  facilityName: null,
  state: "REPAID",
  watchStatus: "REPAID",
  isOpen: false,
  openAlerts: 0,
  debtMicros: null,
  collateralMicros: null,
  collateralValueMicros: null,
  coverageBps: null,
  burnMicrosPerDay: null,
  daysToMarginCall: null,
  marginCallDate: null,
  nextInstallment: null,
  coverageDailyBps: [],
};

describe("bpsToPercentText", () => {
  it.each([
    [12_050, "120.50"],
    [12_500, "125.00"],
    [1, "0.01"],
    [0, "0.00"],
    [2_147_483_647, "21474836.47"],
    [-150, "-1.50"],
  ])("%s bps → %s", (bps, text) => {
    expect(bpsToPercentText(bps)).toBe(text);
  });
});

describe("portfolio CSV", () => {
  it("writes money as exact decimal dollars, every µUSD kept", () => {
    const row = Object.fromEntries(PORTFOLIO_CSV_HEADERS.map((header, i) => [header, portfolioCsvRow(open)[i]]));
    expect(row).toEqual({
      Loan: "BL-2026-0005",
      Borrower: "Vectorly",
      Facility: "Northwind Compute Credit Facility I",
      State: "MARGIN_CALL",
      Watch: "",
      "Coverage %": "120.50",
      "Maintenance %": "125.00",
      "Debt USD": "9007199254.740993",
      "Collateral USD": "12750000.000001",
      "Collateral value at mark USD": "10837500.000000",
      "Days to margin call": "0",
      "Margin call date": "2026-11-25",
      "7-day burn USD per day": "1.234567",
      "Next installment due": "2026-12-01",
      "Next installment USD": "8000.000000",
      "Next installment overdue": "no",
      "Open alerts": "2",
    });
  });

  it("leaves a closed loan's live figures empty, and infinite coverage reads inf", () => {
    expect(portfolioCsvRow(closed).slice(5, 16)).toEqual(["", "125.00", "", "", "", "", "", "", "", "", ""]);
    expect(portfolioCsvRow({ ...open, coverageBps: null })[5]).toBe("inf");
    expect(portfolioCsvRow({ ...open, watchStatus: "EARLY_WARNING", state: "ACTIVE" })[4]).toBe("EARLY_WARNING");
  });

  it("is RFC 4180: a header line, quoted fields with commas or quotes, CRLF endings", () => {
    const csv = portfolioCsv([open, closed]);
    const lines = csv.split("\r\n");
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect(lines[0]).toBe(PORTFOLIO_CSV_HEADERS.join(","));
    expect(lines[2].startsWith('BL-2025-0001,"Quill, ""Health""",,REPAID,')).toBe(true);
  });
});
