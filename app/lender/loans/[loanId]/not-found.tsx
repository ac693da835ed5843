import { RouteNotFound } from "@/components/ui/route-states";

/** Another lender's loan, or no loan at all: the same answer, so nothing leaks about which. */
export default function LoanNotFound() {
  return <RouteNotFound title="Loan not found" message="There is no such loan in your portfolio." href="/lender" linkLabel="Back to portfolio" />;
}
