import { RouteNotFound } from "@/components/ui/route-states";

/** Another startup's loan, or no loan at all: the same answer, so nothing leaks about which. */
export default function StartupLoanNotFound() {
  return <RouteNotFound title="Loan not found" message="There is no such application or loan in your financing." href="/startup/financing" linkLabel="Back to financing" />;
}
