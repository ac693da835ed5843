import { RouteNotFound } from "@/components/ui/route-states";

/** No loan with that id on the platform (answered with a real 404 by the loan's layout). */
export default function AdminLoanNotFound() {
  return <RouteNotFound title="Loan not found" message="There is no loan with this id on the platform." href="/admin/loans" linkLabel="Back to loans" />;
}
