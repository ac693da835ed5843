import type { PortfolioLoanDto } from "@/lib/server/queries/lender-portfolio";

/** The loans table's "State" filter: open loans by default (what needs the analyst), a watch status, a state, or everything. */
export const STATE_FILTERS = [
  { value: "open", label: "Open loans" },
  { value: "EARLY_WARNING", label: "Early warning" },
  { value: "MARGIN_CALL", label: "Margin call" },
  { value: "DELINQUENT", label: "Delinquent" },
  { value: "FROZEN", label: "Frozen" },
  { value: "ACTIVE", label: "Active" },
  { value: "REPAID", label: "Repaid" },
  { value: "LIQUIDATED", label: "Liquidated" },
  { value: "all", label: "All loans" },
] as const;

export type StateFilter = (typeof STATE_FILTERS)[number]["value"];

export function matchesStateFilter(loan: Pick<PortfolioLoanDto, "isOpen" | "state" | "watchStatus">, filter: StateFilter): boolean {
  if (filter === "all") return true;
  if (filter === "open") return loan.isOpen;
  if (filter === "EARLY_WARNING") return loan.watchStatus === "EARLY_WARNING";
  return loan.state === filter;
}
