import { toCsv } from "@/components/ui/csv";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { PortfolioLoanDto } from "@/lib/server/queries/lender-portfolio";

// The loans table as a spreadsheet: one row per loan in the table's current filter and order,
// money as exact decimal dollars (every µUSD, never through a float), coverage as an exact
// percentage with two decimals, dates as ISO 8601. An empty cell means "not applicable" (a closed
// loan has no live figures; infinite coverage is written "inf").

export const PORTFOLIO_CSV_HEADERS = [
  "Loan",
  "Borrower",
  "Facility",
  "State",
  "Watch",
  "Coverage %",
  "Maintenance %",
  "Debt USD",
  "Collateral USD",
  "Collateral value at mark USD",
  "Days to margin call",
  "Margin call date",
  "7-day burn USD per day",
  "Next installment due",
  "Next installment USD",
  "Next installment overdue",
  "Open alerts",
] as const;

const usd = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

/** 12_050 bps → "120.50", exactly (integer arithmetic). */
export function bpsToPercentText(bps: number): string {
  if (!Number.isSafeInteger(bps)) throw new RangeError(`bps must be an integer, got ${bps}.`);
  const sign = bps < 0 ? "-" : "";
  const magnitude = Math.abs(bps);
  return `${sign}${Math.trunc(magnitude / 100)}.${String(magnitude % 100).padStart(2, "0")}`;
}

export function portfolioCsvRow(loan: PortfolioLoanDto): string[] {
  return [
    loan.reference,
    loan.startupName,
    loan.facilityName ?? "",
    loan.state,
    loan.watchStatus === loan.state ? "" : loan.watchStatus,
    loan.isOpen ? (loan.coverageBps === null ? "inf" : bpsToPercentText(loan.coverageBps)) : "",
    bpsToPercentText(loan.maintenanceBps),
    usd(loan.debtMicros),
    usd(loan.collateralMicros),
    usd(loan.collateralValueMicros),
    loan.daysToMarginCall === null ? "" : String(loan.daysToMarginCall),
    loan.marginCallDate ?? "",
    usd(loan.burnMicrosPerDay),
    loan.nextInstallment ? loan.nextInstallment.dueAt.slice(0, 10) : "",
    loan.nextInstallment ? usd(loan.nextInstallment.amountMicros) : "",
    loan.nextInstallment ? (loan.nextInstallment.isOverdue ? "yes" : "no") : "",
    String(loan.openAlerts),
  ];
}

export function portfolioCsv(loans: readonly PortfolioLoanDto[]): string {
  return toCsv([...PORTFOLIO_CSV_HEADERS], loans.map(portfolioCsvRow));
}
