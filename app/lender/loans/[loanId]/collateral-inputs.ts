import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Permission } from "@/lib/domain/auth/permissions";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import type { Viewer } from "@/lib/server/auth/guard";
import { defineAction } from "@/lib/server/http/action";

// What the loan page's Freeze, Unfreeze and Liquidate dialogs send (the server actions beside this
// file), checked at the edge with a precise message per field, and what those actions share.

export const loanIdInput = z.string().trim().min(1, "Pick a loan.").max(64, "That is not a loan id.");

export const reasonInput = z.string().trim().min(1, "Say why: the reason is audited and sent to your webhooks.").max(500, "Keep the reason to 500 characters.");

/** A typed amount in dollars ("1,250.50", "$40"), parsed exactly to µUSD: never through a float, never rounded. */
export const amountUsdInput = z.string().transform((text, context) => {
  try {
    const micros = parseUsdToMicros(text);
    if (micros <= 0n) {
      context.addIssue({ code: "custom", message: "Enter an amount above $0." });
      return z.NEVER;
    }
    return micros;
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    context.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});

/**
 * defineAction that also notes when the request arrived, before the session and input checks: a
 * freeze's measured latency (FreezeEvent.latencyMs) runs from here to the commit.
 */
export function timedAction<S extends z.ZodType, T>(options: { permission: Permission; input: S }, run: (input: z.infer<S>, viewer: Viewer, requestedAt: Date) => Promise<T>) {
  return async (raw: z.input<S>) => {
    const requestedAt = new Date();
    return defineAction(options, (input, viewer) => run(input, viewer, requestedAt))(raw);
  };
}

export const asUser = (viewer: Viewer) => ({ kind: "user" as const, userId: viewer.userId, orgId: viewer.orgId });

/** A Freeze or Unfreeze dialog's answer as the collateral service's input: the typed dollars (mode AMOUNT) as µUSD, by the signed-in lender, on its own loans only. */
export function collateralMoveInput<Mode extends string>(input: { loanId: string; mode: Mode; amountUsd?: bigint; reason: string }, viewer: Viewer, requestedAt: Date) {
  return {
    loanId: input.loanId,
    mode: input.mode,
    amountMicros: input.mode === "AMOUNT" ? input.amountUsd : undefined,
    reason: input.reason,
    actor: asUser(viewer),
    lenderOrgId: viewer.orgId,
    requestedAt,
  };
}

/** After the loan's collateral changed: the portfolio and the loan page read fresh. */
export function revalidateLoanPages(loanId: string): void {
  revalidatePath("/lender");
  revalidatePath(`/lender/loans/${loanId}`);
}
