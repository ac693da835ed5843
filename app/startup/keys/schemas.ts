import { z } from "zod";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";

// The inputs of the API keys screen's actions: the server actions parse with these, and the create
// form validates with the same schema (react-hook-form's zod resolver) before sending. The form's
// fields are text; the parsed values are what the service takes (µUSD, requests per minute).

/**
 * The most requests per minute a key may be limited to; the service (lib/server/services/api-keys,
 * MAX_RPM_LIMIT) enforces the same bound, and the keys db test checks that the two agree.
 */
export const RPM_LIMIT_MAX = 100_000;

/** Blank: no cap. Otherwise an exact dollar amount above $0 (never rounded). */
const spendCapUsd = z
  .string()
  .max(32, "Too long: write an amount like 250 or 1,000.50.")
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === "") return null;
    try {
      const micros = parseUsdToMicros(text);
      if (micros <= 0n) {
        ctx.addIssue({ code: "custom", message: "A cap must be above $0; leave it blank for no cap." });
        return z.NEVER;
      }
      return micros;
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
      return z.NEVER;
    }
  });

/** Blank: the platform default (BLOCKABLE_DEFAULT_KEY_RPM, 600). Otherwise a whole number of requests per minute. */
const rpmLimit = z
  .string()
  .max(16, `At most ${RPM_LIMIT_MAX.toLocaleString("en-US")}.`)
  .optional()
  .transform((text, ctx) => {
    const trimmed = (text ?? "").trim().replace(/,/g, "");
    if (trimmed === "") return null;
    if (!/^\d+$/.test(trimmed)) {
      ctx.addIssue({ code: "custom", message: "Enter a whole number of requests per minute, e.g. 600." });
      return z.NEVER;
    }
    const value = Number(trimmed);
    if (value < 1 || value > RPM_LIMIT_MAX) {
      ctx.addIssue({ code: "custom", message: `Enter 1 to ${RPM_LIMIT_MAX.toLocaleString("en-US")} requests per minute, or leave it blank.` });
      return z.NEVER;
    }
    return value;
  });

export const createKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(64, "Keep the name to 64 characters."),
  spendCapUsd,
  rpmLimit,
});

export const revokeKeyInput = z.object({ apiKeyId: z.string().min(1).max(64) });
