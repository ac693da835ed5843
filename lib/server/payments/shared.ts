import "@/lib/server/server-only";
import { z } from "zod";
import { MICROS_PER_USD } from "@/lib/domain/money";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { microsField, usd, type LoanCaller } from "@/lib/server/loans/queries";

// What the payment-notice and credit-purchase services share: who calls them, the input rules at
// the edge, and the row lock that makes a decision happen once. There is no bank integration: a
// startup only declares; nothing moves money or credits until an admin confirms (DESIGN.md).

/** A startup's user (its own loans and requests only) or a platform admin (decides any). */
export type PaymentsCaller = LoanCaller;

export const NOTICE_STATUSES = ["PENDING", "CONFIRMED", "REFUSED", "WITHDRAWN"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** No wire a person declares is larger than this; anything above is a typo. */
export const MAX_DECLARED_MICROS = 1_000_000_000n * MICROS_PER_USD;
/** A credit purchase: at least $1, at most $10,000,000. */
export const MIN_PURCHASE_MICROS = MICROS_PER_USD;
export const MAX_PURCHASE_MICROS = 10_000_000n * MICROS_PER_USD;

export const paymentReferenceSchema = z
  .string({ error: "give the payment's reference (as it appears on the wire)." })
  .trim()
  .min(1, "give the payment's reference (as it appears on the wire).")
  .max(100, "keep it to 100 characters.");

export const refusalReasonSchema = z
  .string({ error: "say why, for the startup to read." })
  .trim()
  .min(3, "say why, for the startup to read (at least 3 characters).")
  .max(500, "keep it to 500 characters.");

/** A calendar day "YYYY-MM-DD" that exists (2026-02-30 does not). */
export const isoDaySchema = z
  .string({ error: "give the day as YYYY-MM-DD." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "give the day as YYYY-MM-DD.")
  .refine((day) => {
    const [y, m, d] = day.split("-").map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, "that day does not exist.");

export const noticeInputSchema = z.object({
  amountMicros: microsField({ min: 1n, max: MAX_DECLARED_MICROS }),
  sentOn: isoDaySchema,
  reference: paymentReferenceSchema,
});
export type NoticeInput = z.input<typeof noticeInputSchema>;

export const purchaseInputSchema = z.object({
  amountMicros: microsField({ min: MIN_PURCHASE_MICROS, max: MAX_PURCHASE_MICROS }),
  reference: paymentReferenceSchema,
});
export type PurchaseInput = z.input<typeof purchaseInputSchema>;

/**
 * The latest calendar day anywhere on Earth at `now` (UTC+14): a startup in Auckland may send a
 * wire "today" while it is still yesterday in UTC, and that is not a day in the future.
 */
export function latestDayOnEarth(now: Date): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function requireRole(caller: PaymentsCaller, role: PaymentsCaller["role"], what: string) {
  if (caller.role !== role) throw new ApiError(403, "forbidden", role === "admin" ? `Only a platform admin can ${what}.` : `Only the startup can ${what}.`);
}

/**
 * Takes the row's lock (a no-op write) so two decisions on one notice or request serialise: the
 * second one reads the first one's result. false when there is no such row.
 */
export async function lockPaymentNotice(tx: DbTx, id: string): Promise<boolean> {
  return (await tx.$executeRaw`UPDATE "PaymentNotice" SET "status" = "status" WHERE "id" = ${id}`) === 1;
}

export async function lockCreditPurchase(tx: DbTx, id: string): Promise<boolean> {
  return (await tx.$executeRaw`UPDATE "CreditPurchaseRequest" SET "status" = "status" WHERE "id" = ${id}`) === 1;
}

/** An id as the edge sends it: a non-empty string of at most 64 characters, or "not found". */
export function checkId(id: unknown, notFound: (id: string) => ApiError): string {
  if (typeof id !== "string" || id.length === 0 || id.length > 64) throw notFound(String(id));
  return id;
}

export function notDecidable(kind: "notice" | "purchase", row: { status: string; decidedAt: Date | null }): ApiError {
  const what = kind === "notice" ? "This payment notice" : "This purchase request";
  const when = row.decidedAt ? ` on ${row.decidedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "";
  const state = row.status === "WITHDRAWN" ? `was withdrawn by the startup${when}` : row.status === "REFUSED" ? `was refused${when}` : `was confirmed${when}`;
  return new ApiError(409, kind === "notice" ? "notice_not_pending" : "purchase_not_pending", `${what} ${state}: it is no longer pending.`);
}

/** Who decided (or declared): a name for the audit and history rows. */
export async function userNames(db: Db | DbTx, ids: (string | null)[]): Promise<Map<string, { name: string; email: string }>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((user) => [user.id, { name: user.name, email: user.email }]));
}

export { usd };

/** The signed-in admin as the payment services take them (the action has checked "payment.record"). */
export function adminCallerOf(viewer: { userId: string; orgId: string }): PaymentsCaller {
  return { role: "admin", userId: viewer.userId, orgId: viewer.orgId, kind: "user" };
}
