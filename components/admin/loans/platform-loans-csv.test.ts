import { describe, expect, it } from "vitest";
import type { PlatformLoanDto } from "@/lib/server/queries/admin-loans";
import { platformLoanCsvRow, platformLoansCsv, PLATFORM_LOANS_CSV_HEADERS } from "./platform-loans-csv";

const base = { facilityName: null, cureDeadline: null, openAlerts: 0, maintenanceBps: 12_500, coverageDailyBps: [], burnMicrosPerDay: null, daysToMarginCall: null, marginCallDate: null, nextInstallment: null };

const open: PlatformLoanDto = {
  ...base,
  id: "loan_1",
  reference: "BL-2026-0005",
  startupName: "Vectorly",
  lenderOrgId: "org_nw",
  lenderName: "Northwind Credit Fund",
  state: "MARGIN_CALL",
  watchStatus: "MARGIN_CALL",
  isOpen: true,
  // Above 2^53 µUSD: a float would print 9007199254.740992.
  debtMicros: "9007199254740993",
  collateralMicros: "12750000000001",
  collateralValueMicros: "10837500000000",
  coverageBps: 12_050,
};

const submitted: PlatformLoanDto = {
  ...base,
  id: "loan_2",
  reference: "BL-2026-0009",
  startupName: "Quill Health",
  lenderOrgId: null,
  lenderName: null,
  state: "SUBMITTED",
  watchStatus: "SUBMITTED",
  isOpen: false,
  debtMicros: null,
  collateralMicros: null,
  collateralValueMicros: null,
  coverageBps: null,
};

describe("the admin loans CSV", () => {
  it("puts the lender after the borrower, money as exact decimals", () => {
    expect(PLATFORM_LOANS_CSV_HEADERS.slice(0, 4)).toEqual(["Loan", "Borrower", "Lender", "Facility"]);
    const row = platformLoanCsvRow(open);
    expect(row.slice(0, 3)).toEqual(["BL-2026-0005", "Vectorly", "Northwind Credit Fund"]);
    expect(row[PLATFORM_LOANS_CSV_HEADERS.indexOf("Debt USD")]).toBe("9007199254.740993");
    expect(row[PLATFORM_LOANS_CSV_HEADERS.indexOf("Coverage %")]).toBe("120.50");
    expect(row).toHaveLength(PLATFORM_LOANS_CSV_HEADERS.length);
  });

  it("leaves a submitted application's lender and figures empty", () => {
    const row = platformLoanCsvRow(submitted);
    expect(row.slice(0, 5)).toEqual(["BL-2026-0009", "Quill Health", "", "", "SUBMITTED"]);
    expect(row[PLATFORM_LOANS_CSV_HEADERS.indexOf("Debt USD")]).toBe("");
    expect(platformLoansCsv([open, submitted]).split("\r\n").filter(Boolean)).toHaveLength(3);
  });
});
