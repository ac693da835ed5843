import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";

// The GPU index screen's inputs, one schema per action, shared with the form (react-hook-form's
// resolver parses the same day and price rules the server does).

/** A server action's body is at most 1 MB; a CSV this long holds far more than the 10,000 fixes a batch may carry. */
export const MAX_INDEX_CSV_CHARS = 900_000;

export const dayInput = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the day as YYYY-MM-DD.");

export const priceUsdText = z.string().trim().min(1, "Enter the price in USD per GPU-hour, e.g. 2.15.");

/** USD text → µUSD per GPU-hour, with the money parser's message on a bad amount. */
export const priceUsdInput = priceUsdText.transform((text, context) => {
  try {
    return parseUsdToMicros(text);
  } catch (error) {
    context.addIssue({ code: "custom", message: error instanceof MoneyParseError ? error.message : "Enter a price in USD, e.g. 2.15." });
    return z.NEVER;
  }
});

export const saveFixInput = z.object({ day: dayInput, priceUsd: priceUsdInput });
export type SaveFixValues = z.input<typeof saveFixInput>;

export const csvInput = z.object({
  csv: z.string().min(1, "Choose a CSV file.").max(MAX_INDEX_CSV_CHARS, `The file is over ${Math.round(MAX_INDEX_CSV_CHARS / 1000)} KB; split it into smaller files.`),
});
