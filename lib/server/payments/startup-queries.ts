import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import type { CreditPurchaseRow } from "./purchases";
import type { PaymentNoticeRow } from "./notices";

// The startup's own notices and purchase requests (its financing and credits screens): pending
// first, then the decided ones newest first, each with the refusal reason when there is one.
// Money leaves as strings of µUSD.

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function serializePaymentNotice(notice: PaymentNoticeRow) {
  return {
    id: notice.id,
    loanId: notice.loanId,
    amountMicros: notice.amountMicros.toString(),
    sentOn: notice.sentOn,
    reference: notice.reference,
    status: notice.status,
    declaredAt: notice.declaredAt.toISOString(),
    decidedAt: iso(notice.decidedAt),
    refusalReason: notice.refusalReason,
    paymentId: notice.paymentId,
  };
}
export type PaymentNoticeDto = ReturnType<typeof serializePaymentNotice>;

export function serializeCreditPurchase(row: CreditPurchaseRow) {
  return {
    id: row.id,
    amountMicros: row.amountMicros.toString(),
    reference: row.reference,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: iso(row.decidedAt),
    refusalReason: row.refusalReason,
    lotId: row.lotId,
  };
}
export type CreditPurchaseDto = ReturnType<typeof serializeCreditPurchase>;

const pendingFirst = <T extends { status: string }>(rows: T[]) => [...rows.filter((r) => r.status === "PENDING"), ...rows.filter((r) => r.status !== "PENDING")];

/** The startup's notices (optionally for one loan), pending first, newest first within each group. */
export async function listPaymentNoticesOfStartup(db: Db, startupOrgId: string, options: { loanId?: string; take?: number } = {}) {
  const rows = await db.paymentNotice.findMany({
    where: { startupOrgId, ...(options.loanId ? { loanId: options.loanId } : {}) },
    orderBy: [{ declaredAt: "desc" }, { id: "desc" }],
    take: options.take ?? 100,
  });
  return pendingFirst(rows).map(serializePaymentNotice);
}

/** The startup's purchase requests, pending first, newest first within each group. */
export async function listCreditPurchasesOfStartup(db: Db, orgId: string, options: { take?: number } = {}) {
  const rows = await db.creditPurchaseRequest.findMany({ where: { orgId }, orderBy: [{ requestedAt: "desc" }, { id: "desc" }], take: options.take ?? 100 });
  return pendingFirst(rows).map(serializeCreditPurchase);
}
