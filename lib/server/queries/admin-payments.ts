import "@/lib/server/server-only";
import { isOpenLoanState, OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { applyPayment, debtMicros as debtOf } from "@/lib/domain/loans/schedule";
import type { Db } from "@/lib/server/db/client";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { accrualSince } from "@/lib/server/loans/figures";
import type { LoanRow } from "@/lib/server/loans/transition";
import { userNames } from "@/lib/server/payments/shared";

// The admin's payments screen: the repayment notices and credit-purchase requests startups
// declared (pending first, oldest first; then the decided history, newest first), the loans a
// payment can be recorded on, and the sidebar's pending count. A pending notice carries the split
// the engine will apply if it is confirmed now — interest accrued to now first, then principal —
// computed by the same pure rules recordLoanPayment uses (accrualSince, applyPayment). Money
// leaves as strings of µUSD, times as ISO 8601.

/** How many decided rows of each kind the history shows (newest first). */
const HISTORY_LIMIT = 200;
const DAY_MS = 86_400_000;

/** Notices and purchase requests waiting for an admin: the sidebar's "Payments" badge. */
export async function countPendingPayments(db: Db): Promise<number> {
  const [notices, purchases] = await Promise.all([db.paymentNotice.count({ where: { status: "PENDING" } }), db.creditPurchaseRequest.count({ where: { status: "PENDING" } })]);
  return notices + purchases;
}

const s = (value: bigint) => value.toString();
const iso = (value: Date | null) => (value ? value.toISOString() : null);

export type NoticePreview = {
  asOf: string;
  principalOutstandingMicros: string;
  /** Accrued through `asOf`, as the engine accrues it before a payment. */
  interestAccruedMicros: string;
  debtMicros: string;
  /** null when the notice is more than the loan owes now (it cannot be confirmed). */
  interestPaidMicros: string | null;
  principalPaidMicros: string | null;
  debtAfterMicros: string | null;
  isOverDebt: boolean;
  isLoanOpen: boolean;
};

/** What an open loan owes at `now`, interest accrued as the engine accrues it before a payment (closed: nothing). */
function balanceNow(loan: LoanRow, now: Date) {
  if (!isOpenLoanState(loan.state) || !loan.lenderOrgId) return { principalOutstandingMicros: 0n, interestAccruedMicros: 0n };
  return { principalOutstandingMicros: loan.principalOutstandingMicros, interestAccruedMicros: loan.interestAccruedMicros + accrualSince(loan, now).interestMicros };
}

/** What confirming `amountMicros` on `loan` at `now` would do: the engine's split, without writing. */
export function previewNoticePayment(loan: LoanRow, amountMicros: bigint, now: Date): NoticePreview {
  const isLoanOpen = isOpenLoanState(loan.state) && !!loan.lenderOrgId;
  const balance = balanceNow(loan, now);
  const debt = debtOf(balance);
  const base = { asOf: now.toISOString(), principalOutstandingMicros: s(balance.principalOutstandingMicros), interestAccruedMicros: s(balance.interestAccruedMicros), debtMicros: s(debt), isLoanOpen };
  if (!isLoanOpen || amountMicros <= 0n || amountMicros > debt) return { ...base, interestPaidMicros: null, principalPaidMicros: null, debtAfterMicros: null, isOverDebt: amountMicros > debt };
  const split = applyPayment(balance, amountMicros);
  return { ...base, interestPaidMicros: s(split.interestPaidMicros), principalPaidMicros: s(split.principalPaidMicros), debtAfterMicros: s(debtOf(split.remaining)), isOverDebt: false };
}

type Person = { name: string; email: string } | null;

export type AdminNoticeRow = {
  id: string;
  status: string;
  startupName: string;
  loanId: string;
  loanReference: string;
  loanState: string;
  amountMicros: string;
  sentOn: string;
  reference: string;
  declaredBy: Person;
  declaredAt: string;
  decidedBy: Person;
  decidedAt: string | null;
  refusalReason: string | null;
  paymentId: string | null;
  /** Recorded by an admin from a wire, not declared by the startup. */
  isRecordedDirectly: boolean;
  /** The split recorded (CONFIRMED). */
  interestPaidMicros: string | null;
  principalPaidMicros: string | null;
  /** PENDING only: what confirming it now would do. */
  preview: NoticePreview | null;
};

export type AdminPurchaseRow = {
  id: string;
  status: string;
  startupName: string;
  orgId: string;
  amountMicros: string;
  reference: string;
  requestedBy: Person;
  requestedAt: string;
  decidedBy: Person;
  decidedAt: string | null;
  refusalReason: string | null;
  lotId: string | null;
  /** PENDING only: the startup's spendable credits now (what confirming adds to). */
  spendableMicros: string | null;
  /** The startup's open loan, if any (a purchase may be meant to cure its margin call). */
  openLoan: { reference: string; state: string } | null;
};

export type RepayableLoan = { id: string; reference: string; startupName: string; state: string; principalOutstandingMicros: string; interestAccruedMicros: string; debtMicros: string };

export type AdminPaymentsSummary = {
  pendingNotices: number;
  pendingNoticesMicros: string;
  pendingPurchases: number;
  pendingPurchasesMicros: string;
  /** Payments recorded from notices or wires in the last 30 days. */
  confirmedRepaymentsMicros30d: string;
  confirmedPurchasesMicros30d: string;
};

export type AdminPaymentsScreen = { asOf: string; summary: AdminPaymentsSummary; notices: AdminNoticeRow[]; purchases: AdminPurchaseRow[]; loans: RepayableLoan[] };

const sum = (rows: { amountMicros: bigint }[]) => rows.reduce((total, row) => total + row.amountMicros, 0n);

export async function getAdminPaymentsScreen(db: Db, now: Date = new Date()): Promise<AdminPaymentsScreen> {
  const loanInclude = { loan: { include: { startup: { select: { name: true } } } } } as const;
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const [pendingNotices, decidedNotices, pendingPurchases, decidedPurchases, openLoans, confirmedNotices30d, confirmedPurchases30d] = await Promise.all([
    db.paymentNotice.findMany({ where: { status: "PENDING" }, orderBy: [{ declaredAt: "asc" }, { id: "asc" }], include: loanInclude }),
    db.paymentNotice.findMany({ where: { status: { not: "PENDING" } }, orderBy: [{ decidedAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT, include: loanInclude }),
    db.creditPurchaseRequest.findMany({ where: { status: "PENDING" }, orderBy: [{ requestedAt: "asc" }, { id: "asc" }], include: { org: { select: { name: true } } } }),
    db.creditPurchaseRequest.findMany({ where: { status: { not: "PENDING" } }, orderBy: [{ decidedAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT, include: { org: { select: { name: true } } } }),
    db.loan.findMany({ where: { state: { in: [...OPEN_LOAN_STATES] } }, orderBy: [{ reference: "asc" }], include: { startup: { select: { name: true } } } }),
    db.paymentNotice.findMany({ where: { status: "CONFIRMED", decidedAt: { gte: since } }, select: { amountMicros: true } }),
    db.creditPurchaseRequest.findMany({ where: { status: "CONFIRMED", decidedAt: { gte: since } }, select: { amountMicros: true } }),
  ]);

  const notices = [...pendingNotices, ...decidedNotices];
  const purchases = [...pendingPurchases, ...decidedPurchases];
  const people = await userNames(db, [...notices.flatMap((n) => [n.declaredById, n.decidedById]), ...purchases.flatMap((p) => [p.requestedById, p.decidedById])]);
  const person = (id: string | null): Person => (id ? (people.get(id) ?? null) : null);
  const adminIds = new Set(
    (await db.user.findMany({ where: { id: { in: notices.map((n) => n.declaredById).filter((id): id is string => !!id) }, role: "admin" }, select: { id: true } })).map((u) => u.id),
  );
  const paymentIds = decidedNotices.map((n) => n.paymentId).filter((id): id is string => !!id);
  const payments = new Map((await db.payment.findMany({ where: { id: { in: paymentIds } }, select: { id: true, interestMicros: true, principalMicros: true } })).map((p) => [p.id, p]));

  const noticeRows: AdminNoticeRow[] = notices.map((notice) => {
    const payment = notice.paymentId ? payments.get(notice.paymentId) : undefined;
    return {
      id: notice.id,
      status: notice.status,
      startupName: notice.loan.startup.name,
      loanId: notice.loanId,
      loanReference: notice.loan.reference,
      loanState: notice.loan.state,
      amountMicros: s(notice.amountMicros),
      sentOn: notice.sentOn,
      reference: notice.reference,
      declaredBy: person(notice.declaredById),
      declaredAt: notice.declaredAt.toISOString(),
      decidedBy: person(notice.decidedById),
      decidedAt: iso(notice.decidedAt),
      refusalReason: notice.refusalReason,
      paymentId: notice.paymentId,
      isRecordedDirectly: !!notice.declaredById && adminIds.has(notice.declaredById),
      interestPaidMicros: payment ? s(payment.interestMicros) : null,
      principalPaidMicros: payment ? s(payment.principalMicros) : null,
      preview: notice.status === "PENDING" ? previewNoticePayment(notice.loan, notice.amountMicros, now) : null,
    };
  });

  const pendingOrgIds = [...new Set(pendingPurchases.map((p) => p.orgId))];
  const [spendables, loansOfPending] = await Promise.all([
    Promise.all(pendingOrgIds.map(async (orgId) => [orgId, (await getCreditBalances(db, orgId)).spendableMicros] as const)),
    db.loan.findMany({ where: { startupOrgId: { in: purchases.map((p) => p.orgId) }, state: { in: [...OPEN_LOAN_STATES] } }, select: { startupOrgId: true, reference: true, state: true } }),
  ]);
  const spendableByOrg = new Map(spendables);
  const openLoanByOrg = new Map(loansOfPending.map((loan) => [loan.startupOrgId, { reference: loan.reference, state: loan.state }]));
  const purchaseRows: AdminPurchaseRow[] = purchases.map((row) => ({
    id: row.id,
    status: row.status,
    startupName: row.org.name,
    orgId: row.orgId,
    amountMicros: s(row.amountMicros),
    reference: row.reference,
    requestedBy: person(row.requestedById),
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: person(row.decidedById),
    decidedAt: iso(row.decidedAt),
    refusalReason: row.refusalReason,
    lotId: row.lotId,
    spendableMicros: row.status === "PENDING" && spendableByOrg.has(row.orgId) ? s(spendableByOrg.get(row.orgId)!) : null,
    openLoan: openLoanByOrg.get(row.orgId) ?? null,
  }));

  const loans: RepayableLoan[] = openLoans.map((loan) => {
    const balance = balanceNow(loan, now);
    return { id: loan.id, reference: loan.reference, startupName: loan.startup.name, state: loan.state, principalOutstandingMicros: s(balance.principalOutstandingMicros), interestAccruedMicros: s(balance.interestAccruedMicros), debtMicros: s(debtOf(balance)) };
  });

  return {
    asOf: now.toISOString(),
    summary: {
      pendingNotices: pendingNotices.length,
      pendingNoticesMicros: s(sum(pendingNotices)),
      pendingPurchases: pendingPurchases.length,
      pendingPurchasesMicros: s(sum(pendingPurchases)),
      confirmedRepaymentsMicros30d: s(sum(confirmedNotices30d)),
      confirmedPurchasesMicros30d: s(sum(confirmedPurchases30d)),
    },
    notices: noticeRows,
    purchases: purchaseRows,
    loans,
  };
}
