import Link from "next/link";

/** Another lender's loan, or no loan at all: the same answer, so nothing leaks about which. */
export default function LoanNotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Loan not found</h1>
      <p className="text-muted-foreground">There is no such loan in your portfolio.</p>
      <Link href="/lender" className="text-primary underline underline-offset-4">
        Back to portfolio
      </Link>
    </div>
  );
}
