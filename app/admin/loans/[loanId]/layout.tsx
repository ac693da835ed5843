import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findPlatformLoan } from "@/lib/server/queries/admin-loans";

// The existence check runs here, above loading.tsx's Suspense boundary: a notFound() thrown inside
// the streamed page would arrive after the 200 status was sent, so an unknown loan id must be
// refused before streaming starts to answer a real 404 (app/admin/loans/not-found.tsx).

type Params = { params: Promise<{ loanId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requirePageViewer("platform.loans.read");
  const loan = await findPlatformLoan(db, (await params).loanId);
  return { title: loan ? `${loan.reference} · Loans` : "Loan not found" };
}

export default async function AdminLoanLayout({ children, params }: Params & { children: ReactNode }) {
  // Reading every lender's loans is the platform's oversight: admins only (the admin layout checks too).
  await requirePageViewer("platform.loans.read");
  const loan = await findPlatformLoan(db, (await params).loanId);
  if (!loan) notFound();
  return children;
}
