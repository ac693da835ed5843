import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

/**
 * The demo world's repayment notices and credit-purchase requests, for the admin's payments screen
 * (app/admin/payments) — written after the loans, payments and credit lots exist. Deterministic for
 * a given `now`: every time is relative to it, every amount fixed.
 *
 * Waiting for an admin:
 *  - Acme AI declared a $25,000 repayment on its loan yesterday (the one to confirm: its debt falls);
 *  - Lumen Labs declared $12,000 two days ago (the one to refuse: no such wire arrived);
 *  - Vectorly, in its margin call, asks to buy $25,000 of credits (to pledge them and cure the call).
 * Decided history: Acme AI's and Lumen Labs' latest installments were declared and confirmed (each
 * notice points at the seeded Payment), Vectorly's earlier notice was refused, Parsec Robotics
 * withdrew a duplicate, Quill Health's last credit purchase was confirmed (its PURCHASED lot) and
 * Parsec Robotics' purchase was refused. Each step is in the audit trail as the services write it.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const USD = 1_000_000n;

type AuditRow = { orgId: string | null; actorUserId: string | null; action: string; targetType: string; targetId: string; detail: Record<string, unknown>; at: Date };

export async function seedDemoPayments(db: Db, options: { now: Date }): Promise<{ notices: number; purchases: number }> {
  const now = options.now.getTime();
  const at = (ms: number) => new Date(ms);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  const orgs = new Map((await db.organization.findMany({ select: { id: true, slug: true } })).map((org) => [org.slug, org.id]));
  const users = new Map((await db.user.findMany({ select: { id: true, email: true } })).map((user) => [user.email, user.id]));
  const platformId = orgs.get("blockable");
  const adminId = users.get("admin@blockable.dev");
  if (!platformId || !adminId) throw new Error("Demo payments: seed the demo world's organisations and users first");
  const orgOf = (slug: string) => orgs.get(slug)!;
  const ctoOf = (slug: string) => users.get(`cto@${slug}.example`)!;
  const openLoanOf = async (slug: string) =>
    db.loan.findFirstOrThrow({ where: { startupOrgId: orgOf(slug), state: { in: ["ACTIVE", "MARGIN_CALL", "DELINQUENT", "FROZEN"] } }, select: { id: true, reference: true } });

  const audits: AuditRow[] = [];
  let notices = 0;
  let purchases = 0;

  type NoticeSpec = {
    slug: string;
    amount: bigint;
    sentOn: string;
    reference: string;
    declaredAt: number;
    decision?: { status: "CONFIRMED" | "REFUSED" | "WITHDRAWN"; at: number; reason?: string; paymentId?: string };
  };
  const addNotice = async (spec: NoticeSpec) => {
    const loan = await openLoanOf(spec.slug);
    const decision = spec.decision;
    const decidedById = decision ? (decision.status === "WITHDRAWN" ? ctoOf(spec.slug) : adminId) : null;
    const notice = await db.paymentNotice.create({
      data: {
        loanId: loan.id,
        startupOrgId: orgOf(spec.slug),
        amountMicros: spec.amount,
        sentOn: spec.sentOn,
        reference: spec.reference,
        status: decision?.status ?? "PENDING",
        declaredById: ctoOf(spec.slug),
        declaredAt: at(spec.declaredAt),
        decidedById,
        decidedAt: decision ? at(decision.at) : null,
        refusalReason: decision?.reason ?? null,
        paymentId: decision?.paymentId ?? null,
      },
    });
    notices++;
    const base = { loanId: loan.id, reference: loan.reference, amountMicros: spec.amount, sentOn: spec.sentOn, paymentReference: spec.reference };
    audits.push({ orgId: orgOf(spec.slug), actorUserId: ctoOf(spec.slug), action: "payment_notice.declare", targetType: "PaymentNotice", targetId: notice.id, detail: { ...base, before: null, after: { status: "PENDING" } }, at: at(spec.declaredAt) });
    if (decision) {
      const pending = { status: "PENDING", decidedById: null, decidedAt: null, refusalReason: null, paymentId: null };
      const after = { status: decision.status, decidedById, decidedAt: at(decision.at), refusalReason: decision.reason ?? null, paymentId: decision.paymentId ?? null };
      const action = { CONFIRMED: "payment_notice.confirm", REFUSED: "payment_notice.refuse", WITHDRAWN: "payment_notice.withdraw" }[decision.status];
      const actorOrg = decision.status === "WITHDRAWN" ? orgOf(spec.slug) : platformId;
      audits.push({ orgId: actorOrg, actorUserId: decidedById, action, targetType: "PaymentNotice", targetId: notice.id, detail: { ...base, ...(decision.reason ? { reason: decision.reason } : {}), ...(decision.paymentId ? { paymentId: decision.paymentId } : {}), before: pending, after }, at: at(decision.at) });
    }
  };

  // History: each of Acme AI's and Lumen Labs' latest seeded installment payments came in as a notice the admin confirmed.
  for (const [slug, prefix] of [["acme-ai", "ACME"], ["lumen-labs", "LUMEN"]] as const) {
    const loan = await openLoanOf(slug);
    const payment = await db.payment.findFirst({ where: { loanId: loan.id }, orderBy: [{ paidAt: "desc" }, { id: "desc" }] });
    if (!payment) continue;
    const paidAt = payment.paidAt.getTime();
    await addNotice({ slug, amount: payment.amountMicros, sentOn: day(paidAt - DAY_MS), reference: `${prefix}-INST-${day(paidAt).replaceAll("-", "")}`, declaredAt: paidAt - 20 * HOUR_MS, decision: { status: "CONFIRMED", at: paidAt, paymentId: payment.id } });
  }
  await addNotice({
    slug: "vectorly",
    amount: 18_000n * USD,
    sentOn: day(now - 9 * DAY_MS),
    reference: "VEC-WIRE-4471",
    declaredAt: now - 9 * DAY_MS + 15 * HOUR_MS,
    decision: { status: "REFUSED", at: now - 8 * DAY_MS + 10 * HOUR_MS, reason: "No wire with reference VEC-WIRE-4471 reached the collection account; the bank has no record of it. Send it again and declare the new reference." },
  });
  await addNotice({ slug: "parsec-robotics", amount: 9_500n * USD, sentOn: day(now - 5 * DAY_MS), reference: "PRB-0093", declaredAt: now - 5 * DAY_MS + 11 * HOUR_MS, decision: { status: "WITHDRAWN", at: now - 5 * DAY_MS + 11 * HOUR_MS + 40 * 60_000 } });

  // Waiting: one to confirm, one to refuse.
  await addNotice({ slug: "lumen-labs", amount: 12_000n * USD, sentOn: day(now - 2 * DAY_MS), reference: "LUMEN-ACH-20931", declaredAt: now - 2 * DAY_MS + 9 * HOUR_MS });
  await addNotice({ slug: "acme-ai", amount: 25_000n * USD, sentOn: day(now - DAY_MS), reference: "ACME-WIRE-88213", declaredAt: now - 20 * HOUR_MS });

  type PurchaseSpec = { slug: string; amount: bigint; reference: string; requestedAt: number; decision?: { status: "CONFIRMED" | "REFUSED"; at: number; reason?: string; lotId?: string } };
  const addPurchase = async (spec: PurchaseSpec) => {
    const decision = spec.decision;
    const row = await db.creditPurchaseRequest.create({
      data: {
        orgId: orgOf(spec.slug),
        amountMicros: spec.amount,
        reference: spec.reference,
        status: decision?.status ?? "PENDING",
        requestedById: ctoOf(spec.slug),
        requestedAt: at(spec.requestedAt),
        decidedById: decision ? adminId : null,
        decidedAt: decision ? at(decision.at) : null,
        refusalReason: decision?.reason ?? null,
        lotId: decision?.lotId ?? null,
      },
    });
    purchases++;
    const base = { amountMicros: spec.amount, paymentReference: spec.reference };
    audits.push({ orgId: orgOf(spec.slug), actorUserId: ctoOf(spec.slug), action: "credit_purchase.request", targetType: "CreditPurchaseRequest", targetId: row.id, detail: { ...base, before: null, after: { status: "PENDING" } }, at: at(spec.requestedAt) });
    if (decision) {
      const action = decision.status === "CONFIRMED" ? "credit_purchase.confirm" : "credit_purchase.refuse";
      const before = { status: "PENDING", decidedById: null, decidedAt: null, refusalReason: null, lotId: null };
      const after = { status: decision.status, decidedById: adminId, decidedAt: at(decision.at), refusalReason: decision.reason ?? null, lotId: decision.lotId ?? null };
      audits.push({ orgId: platformId, actorUserId: adminId, action, targetType: "CreditPurchaseRequest", targetId: row.id, detail: { startupOrgId: orgOf(spec.slug), ...base, ...(decision.reason ? { reason: decision.reason } : {}), ...(decision.lotId ? { lotId: decision.lotId } : {}), before, after }, at: at(decision.at) });
    }
  };

  // Quill Health's credits bought ahead of its application: the demo world's last purchase, confirmed.
  const quillLot = await db.creditLot.findFirst({ where: { orgId: orgOf("quill-health"), kind: "PURCHASED", originalMicros: 75_000n * USD }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (quillLot) {
    await addPurchase({ slug: "quill-health", amount: 75_000n * USD, reference: "QH-PO-2207", requestedAt: now - 3 * DAY_MS + 10 * HOUR_MS, decision: { status: "CONFIRMED", at: now - 2 * DAY_MS + 16 * HOUR_MS, lotId: quillLot.id } });
  }
  await addPurchase({
    slug: "parsec-robotics",
    amount: 10_000n * USD,
    reference: "PRB-PO-118",
    requestedAt: now - 2 * DAY_MS + 8 * HOUR_MS,
    decision: { status: "REFUSED", at: now - DAY_MS - 6 * HOUR_MS, reason: "The payment came from an account not in Parsec Robotics' name; we returned it. Pay from the company's own account." },
  });
  // Waiting: Vectorly buys credits to pledge them and cure its margin call.
  await addPurchase({ slug: "vectorly", amount: 25_000n * USD, reference: "VEC-PO-3390", requestedAt: now - 6 * HOUR_MS });

  const toJson = (detail: Record<string, unknown>) => JSON.stringify(detail, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  await db.auditLog.createMany({ data: audits.map((row) => ({ orgId: row.orgId, actorUserId: row.actorUserId, actorKind: "user", action: row.action, targetType: row.targetType, targetId: row.targetId, detailJson: toJson(row.detail), at: row.at })) });
  return { notices, purchases };
}
