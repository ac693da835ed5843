import Link from "next/link";

/** No loan with that id on the platform (answered with a real 404 by the loan's layout). */
export default function AdminLoanNotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Loan not found</h1>
      <p className="text-muted-foreground">There is no loan with this id on the platform.</p>
      <Link href="/admin/loans" className="text-primary underline underline-offset-4">
        Back to loans
      </Link>
    </div>
  );
}
