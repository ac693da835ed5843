import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findLenderLoanReference } from "@/lib/server/queries/lender-loan-page";

// The ownership check runs here, above loading.tsx's Suspense boundary: a notFound() thrown inside
// the streamed page would arrive after the 200 status was sent, so another lender's loan must be
// refused before streaming starts to answer a real 404.

type Params = { params: Promise<{ loanId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const viewer = await requirePageViewer("portfolio.read");
  const loan = await findLenderLoanReference(db, viewer.orgId, (await params).loanId);
  return { title: loan ? `${loan.reference} · Loan` : "Loan not found" };
}

export default async function LenderLoanLayout({ children, params }: Params & { children: ReactNode }) {
  const viewer = await requirePageViewer("portfolio.read");
  const loan = await findLenderLoanReference(db, viewer.orgId, (await params).loanId);
  if (!loan) notFound();
  return children;
}
