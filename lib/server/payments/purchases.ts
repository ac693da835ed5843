import "@/lib/server/server-only";
import { z } from "zod";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { getSpendableMicros, issueCreditsInTx } from "@/lib/server/ledger/ledger";
import { parseOrThrow } from "@/lib/server/loans/queries";
import { recordAudit } from "@/lib/server/services/audit";
import { checkId, lockCreditPurchase, notDecidable, purchaseInputSchema, refusalReasonSchema, requireRole, usd, type PaymentsCaller, type PurchaseInput } from "./shared";

// Credit purchases (DESIGN.md, "Ledger"): a startup asks to buy credits with its own money and
// says how it pays (a reference); the request is PENDING and adds nothing. When an admin confirms
// the money arrived, the credits are issued as a PURCHASED lot through the ledger (issuance →
// spendable, one transfer with an idempotency key) and the request is CONFIRMED with its lotId,
// in one transaction; or the admin refuses it with a reason. The startup may withdraw its own
// pending request. Every change is audited with its before and after.

export type CreditPurchaseRow = Awaited<ReturnType<Db["creditPurchaseRequest"]["findFirstOrThrow"]>>;

export function purchaseNotFound(id: string): ApiError {
  return new ApiError(404, "purchase_not_found", `No credit purchase request ${id} here.`, "purchaseId");
}

const purchaseState = (row: CreditPurchaseRow) => ({ status: row.status, decidedById: row.decidedById, decidedAt: row.decidedAt, refusalReason: row.refusalReason, lotId: row.lotId });

/** The startup asks to buy credits (at least $1, at most $10,000,000) and says how it pays. */
export async function requestCreditPurchase(db: Db, input: { caller: PaymentsCaller; purchase: PurchaseInput; now?: Date }): Promise<CreditPurchaseRow> {
  const { caller } = input;
  requireRole(caller, "startup", "ask to buy credits");
  const { amountMicros, reference } = parseOrThrow(purchaseInputSchema, input.purchase);
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: caller.orgId }, select: { kind: true } });
    if (org?.kind !== "STARTUP") throw new ApiError(403, "forbidden", "Only a startup buys credits.");
    const row = await tx.creditPurchaseRequest.create({ data: { orgId: caller.orgId, amountMicros, reference, status: "PENDING", requestedById: caller.userId, requestedAt: now } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "credit_purchase.request",
      targetType: "CreditPurchaseRequest",
      targetId: row.id,
      detail: { amountMicros, paymentReference: reference, before: null, after: { status: "PENDING" } },
    });
    return row;
  });
}

/** The startup takes back its own pending request; nothing else changes. */
export async function withdrawCreditPurchase(db: Db, input: { caller: PaymentsCaller; purchaseId: string; now?: Date }): Promise<CreditPurchaseRow> {
  const { caller } = input;
  requireRole(caller, "startup", "withdraw its purchase request");
  const id = checkId(input.purchaseId, purchaseNotFound);
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const owned = await tx.creditPurchaseRequest.findFirst({ where: { id, orgId: caller.orgId }, select: { id: true } });
    if (!owned || !(await lockCreditPurchase(tx, id))) throw purchaseNotFound(id);
    const before = await tx.creditPurchaseRequest.findUniqueOrThrow({ where: { id } });
    if (before.status !== "PENDING") throw notDecidable("purchase", before);
    const after = await tx.creditPurchaseRequest.update({ where: { id }, data: { status: "WITHDRAWN", decidedById: caller.userId, decidedAt: now } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "credit_purchase.withdraw",
      targetType: "CreditPurchaseRequest",
      targetId: id,
      detail: { amountMicros: before.amountMicros, paymentReference: before.reference, before: purchaseState(before), after: purchaseState(after) },
    });
    return after;
  });
}

export type ConfirmPurchaseResult = {
  purchase: CreditPurchaseRow;
  /** Already confirmed (a second click, a retry): nothing new was written. */
  isReplay: boolean;
  spendableBeforeMicros: bigint | null;
  spendableAfterMicros: bigint | null;
};

/**
 * The admin confirms the startup's money arrived: the credits are issued as a PURCHASED lot
 * (spendable rises by the amount) and the request is CONFIRMED with its lotId, in one transaction.
 * Confirming again returns the first result and issues nothing.
 */
export async function confirmCreditPurchase(db: Db, input: { caller: PaymentsCaller; purchaseId: string; now?: Date }): Promise<ConfirmPurchaseResult> {
  const { caller } = input;
  requireRole(caller, "admin", "confirm a credit purchase");
  const id = checkId(input.purchaseId, purchaseNotFound);
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    if (!(await lockCreditPurchase(tx, id))) throw purchaseNotFound(id);
    const before = await tx.creditPurchaseRequest.findUniqueOrThrow({ where: { id } });
    if (before.status === "CONFIRMED") return { purchase: before, isReplay: true, spendableBeforeMicros: null, spendableAfterMicros: null };
    if (before.status !== "PENDING") throw notDecidable("purchase", before);

    const issued = await issueCreditsInTx(tx, {
      orgId: before.orgId,
      amountMicros: before.amountMicros,
      idempotencyKey: `purchase:${before.id}`,
      kind: "PURCHASED",
      memo: `Credit purchase ${before.reference} of ${usd(before.amountMicros)}, payment confirmed`,
    });
    // The request's row lock and PENDING status make a second issue impossible; the key backs it.
    if (issued.replayed) throw new Error(`Credit purchase ${id} was already issued under its idempotency key but is still PENDING`);
    // Read under the org's spendable lock, which issuing took: nothing else moved it in between.
    const spendableAfterMicros = await getSpendableMicros(tx, before.orgId);
    const spendableBeforeMicros = spendableAfterMicros - before.amountMicros;
    const after = await tx.creditPurchaseRequest.update({ where: { id }, data: { status: "CONFIRMED", decidedById: caller.userId, decidedAt: now, lotId: issued.lotId } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "credit_purchase.confirm",
      targetType: "CreditPurchaseRequest",
      targetId: id,
      detail: {
        startupOrgId: before.orgId,
        amountMicros: before.amountMicros,
        paymentReference: before.reference,
        lotId: issued.lotId,
        before: { ...purchaseState(before), spendableMicros: spendableBeforeMicros },
        after: { ...purchaseState(after), spendableMicros: spendableAfterMicros },
      },
    });
    return { purchase: after, isReplay: false, spendableBeforeMicros, spendableAfterMicros };
  });
}

/** The admin refuses a purchase request with a reason the startup reads; no credits move. */
export async function refuseCreditPurchase(db: Db, input: { caller: PaymentsCaller; purchaseId: string; reason: string; now?: Date }): Promise<CreditPurchaseRow> {
  const { caller } = input;
  requireRole(caller, "admin", "refuse a credit purchase");
  const id = checkId(input.purchaseId, purchaseNotFound);
  const { reason } = parseOrThrow(z.object({ reason: refusalReasonSchema }), { reason: input.reason });
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    if (!(await lockCreditPurchase(tx, id))) throw purchaseNotFound(id);
    const before = await tx.creditPurchaseRequest.findUniqueOrThrow({ where: { id } });
    if (before.status !== "PENDING") throw notDecidable("purchase", before);
    const after = await tx.creditPurchaseRequest.update({ where: { id }, data: { status: "REFUSED", decidedById: caller.userId, decidedAt: now, refusalReason: reason } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "credit_purchase.refuse",
      targetType: "CreditPurchaseRequest",
      targetId: id,
      detail: { startupOrgId: before.orgId, amountMicros: before.amountMicros, paymentReference: before.reference, reason, before: purchaseState(before), after: purchaseState(after) },
    });
    return after;
  });
}
