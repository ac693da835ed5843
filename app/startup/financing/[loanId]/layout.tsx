import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findStartupLoanReference } from "@/lib/server/queries/startup";

// The ownership check runs here, above loading.tsx's Suspense boundary: a notFound() thrown inside
// the streamed page would arrive after the 200 status was sent, so another startup's loan must be
// refused before streaming starts to answer a real 404.

type Params = { params: Promise<{ loanId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const viewer = await requirePageViewer("credits.read");
  const loan = await findStartupLoanReference(db, viewer.orgId, (await params).loanId);
  return { title: loan ? `${loan.reference} · Financing` : "Loan not found" };
}

export default async function StartupLoanLayout({ children, params }: Params & { children: ReactNode }) {
  const viewer = await requirePageViewer("credits.read");
  const loan = await findStartupLoanReference(db, viewer.orgId, (await params).loanId);
  if (!loan) notFound();
  return children;
}
