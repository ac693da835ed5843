import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

/** What waits on an admin: the sidebar's badges and the overview's first cards. */
export type AdminQueueSummaryDto = { pendingApplications: number; pendingPaymentNotices: number; pendingPurchases: number; pendingPayments: number };

export async function getAdminQueueSummary(db: Db): Promise<AdminQueueSummaryDto> {
  const [pendingApplications, pendingPaymentNotices, pendingPurchases] = await Promise.all([
    db.loan.count({ where: { state: "SUBMITTED" } }),
    db.paymentNotice.count({ where: { status: "PENDING" } }),
    db.creditPurchaseRequest.count({ where: { status: "PENDING" } }),
  ]);
  return { pendingApplications, pendingPaymentNotices, pendingPurchases, pendingPayments: pendingPaymentNotices + pendingPurchases };
}
