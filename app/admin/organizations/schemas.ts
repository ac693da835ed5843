import { z } from "zod";
import { MAX_ORG_CONCURRENCY } from "@/lib/domain/limits/config";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { parsePercentToBps } from "@/lib/domain/valuation/what-if-inputs";

// The inputs of the Organisations screen's actions: the server actions parse with these, and the
// forms validate with the same schemas (react-hook-form's zod resolver) before sending.

export const ORG_KINDS = ["STARTUP", "LENDER", "PLATFORM"] as const;
export const ORG_KIND_LABELS: Record<(typeof ORG_KINDS)[number], string> = { STARTUP: "Startup", LENDER: "Lender", PLATFORM: "Platform" };

const id = z.string().min(1).max(64);

export const createOrganizationInput = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(80, "Keep the name to 80 characters."),
  kind: z.enum(ORG_KINDS, { message: "Choose startup, lender or platform." }),
});

/** Largest facility limit the form accepts: $10 billion. */
const MAX_FACILITY_LIMIT_MICROS = 10_000_000_000n * 1_000_000n;

export const usdAmount = z.string().transform((text, ctx) => {
  try {
    const micros = parseUsdToMicros(text);
    if (micros <= 0n) ctx.addIssue({ code: "custom", message: "Enter an amount above $0." });
    else if (micros > MAX_FACILITY_LIMIT_MICROS) ctx.addIssue({ code: "custom", message: "At most $10,000,000,000." });
    return micros;
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});

export const aprPercent = z.string().transform((text, ctx) => {
  if (text.trim() === "") {
    ctx.addIssue({ code: "custom", message: "Enter the default APR, e.g. 12.5." });
    return z.NEVER;
  }
  const parsed = parsePercentToBps(text, "Default APR", { min: 0, max: 100 });
  if ("error" in parsed) {
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.bps;
});

export const createFacilityInput = z.object({
  orgId: id,
  name: z.string().trim().min(1, "Give the facility a name.").max(64, "Keep the name to 64 characters."),
  limitUsd: usdAmount,
  defaultAprPercent: aprPercent,
});

export const createUserInput = z.object({
  orgId: z.string().min(1, "Choose an organisation.").max(64),
  name: z.string().trim().min(1, "Enter the person's name.").max(80, "Keep the name to 80 characters."),
  email: z.string().trim().toLowerCase().max(254, "At most 254 characters.").pipe(z.email("Enter a valid email address.")),
});

export const userIdInput = z.object({ userId: id });

export const setUserDisabledInput = z.object({ userId: id, isDisabled: z.boolean() });

/** Blank: the platform default. Otherwise a whole number of requests in flight at once. */
export const setConcurrencyLimitInput = z.object({
  orgId: id,
  maxConcurrentRequests: z
    .string()
    .max(16, `At most ${MAX_ORG_CONCURRENCY.toLocaleString("en-US")}.`)
    .transform((text, ctx) => {
      const trimmed = text.trim().replace(/,/g, "");
      if (trimmed === "") return null;
      const value = Number(trimmed);
      if (!/^\d+$/.test(trimmed) || value < 1 || value > MAX_ORG_CONCURRENCY) {
        ctx.addIssue({ code: "custom", message: `Enter a whole number from 1 to ${MAX_ORG_CONCURRENCY.toLocaleString("en-US")}, or leave it blank for the default.` });
        return z.NEVER;
      }
      return value;
    }),
});
