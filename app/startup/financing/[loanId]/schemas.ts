import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";

// The inputs of the loan page's actions: the server actions parse with these, and the forms check
// with the same schemas (react-hook-form's zod resolver) before sending. The services check again
// inside their transaction (own credits, what the loan owes, pending notices).

const USD = 1_000_000n;
const id = (what: string) => z.string({ error: `Pick a ${what}.` }).trim().min(1, `Pick a ${what}.`).max(64, `That is not a ${what} id.`);

/** Dollars as typed ("25,000", "1.5") → µUSD, exactly; refused rather than rounded. */
function usdAmount(prompt: string, { min, max }: { min: bigint; max: bigint }) {
  return z.string({ error: prompt }).transform((text, ctx) => {
    if (text.trim() === "") {
      ctx.addIssue({ code: "custom", message: prompt });
      return z.NEVER;
    }
    try {
      const micros = parseUsdToMicros(text);
      if (micros < min) ctx.addIssue({ code: "custom", message: min === 1n ? "Enter an amount above $0." : `At least $${(min / USD).toLocaleString("en-US")}.` });
      else if (micros > max) ctx.addIssue({ code: "custom", message: `At most $${(max / USD).toLocaleString("en-US")}.` });
      return micros;
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
      return z.NEVER;
    }
  });
}

const reference = (prompt: string) => z.string({ error: prompt }).trim().min(1, prompt).max(100, "Keep it to 100 characters.");

export const pledgeInput = z.object({ loanId: id("loan"), amountUsd: usdAmount("Enter how many of your own credits to pledge, in USD.", { min: 1n, max: 1_000_000_000n * USD }) });

export const declarePaymentInput = z.object({
  loanId: id("loan"),
  amountUsd: usdAmount("Enter the amount you sent, in USD.", { min: 1n, max: 1_000_000_000n * USD }),
  sentOn: z
    .string({ error: "Give the day you sent it." })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the day you sent it (YYYY-MM-DD)."),
  reference: reference("Give the payment's reference, as on your bank's confirmation."),
});

export const purchaseInput = z.object({
  amountUsd: usdAmount("Enter the credits to buy, in USD.", { min: USD, max: 10_000_000n * USD }),
  reference: reference("Give the payment's reference (how you will pay)."),
});

export const noticeIdInput = z.object({ noticeId: id("notice") });
export const purchaseIdInput = z.object({ purchaseId: id("purchase request") });
