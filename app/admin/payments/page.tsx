import type { Metadata } from "next";
import { PaymentsScreen } from "@/components/admin/payments/payments-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getAdminPaymentsScreen } from "@/lib/server/queries/admin-payments";

export const metadata: Metadata = { title: "Payments" };

/** Repayment notices and credit purchases waiting for an admin, their history, and "Record payment". */
export default async function AdminPaymentsPage() {
  await requirePageViewer("payment.record");
  const data = await getAdminPaymentsScreen(db, new Date());
  return <PaymentsScreen data={data} />;
}
