import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findApplicationReference } from "@/lib/server/queries/admin-applications";

// The existence check runs here, above loading.tsx's Suspense boundary, so an unknown id answers a real 404.

type Params = { params: Promise<{ loanId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  await requirePageViewer("application.decide");
  const loan = await findApplicationReference(db, (await params).loanId);
  return { title: loan ? `${loan.reference} · Application` : "Application not found" };
}

export default async function ApplicationLayout({ children, params }: Params & { children: ReactNode }) {
  await requirePageViewer("application.decide");
  const loan = await findApplicationReference(db, (await params).loanId);
  if (!loan) notFound();
  return children;
}
