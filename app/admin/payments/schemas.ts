import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";

// The inputs of the Payments screen's actions: the server actions parse with these, and the forms
// validate with the same schemas (react-hook-form's zod resolver) before sending. The services
// check everything again (amount against the debt, the reason's length) inside their transaction.

const id = (what: string) => z.string({ error: `Pick a ${what}.` }).trim().min(1, `Pick a ${what}.`).max(64, `That is not a ${what} id.`);

/** The largest single payment the form accepts: $1,000,000,000 (as recordLoanPayment). */
const MAX_PAYMENT_MICROS = 1_000_000_000n * 1_000_000n;

export const paymentUsd = z.string({ error: "Enter the amount received, e.g. 25,000." }).transform((text, ctx) => {
  try {
    const micros = parseUsdToMicros(text);
    if (micros <= 0n) ctx.addIssue({ code: "custom", message: "Enter an amount above $0." });
    else if (micros > MAX_PAYMENT_MICROS) ctx.addIssue({ code: "custom", message: "At most $1,000,000,000." });
    return micros;
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});

export const reasonText = z
  .string({ error: "Say why, for the startup to read." })
  .trim()
  .min(3, "Say why, for the startup to read (at least 3 characters).")
  .max(500, "Keep it to 500 characters.");

export const noticeIdInput = z.object({ noticeId: id("notice") });
export const refuseNoticeInput = z.object({ noticeId: id("notice"), reason: reasonText });
export const purchaseIdInput = z.object({ purchaseId: id("purchase request") });
export const refusePurchaseInput = z.object({ purchaseId: id("purchase request"), reason: reasonText });

export const recordPaymentInput = z.object({
  loanId: id("loan"),
  amountUsd: paymentUsd,
  reference: z.string({ error: "Give the wire's reference." }).trim().min(1, "Give the wire's reference.").max(100, "Keep it to 100 characters."),
  /** One per dialog opened: a double submit records one payment. */
  idempotencyKey: z.string().trim().min(8).max(80).regex(/^[A-Za-z0-9._:-]+$/),
});
