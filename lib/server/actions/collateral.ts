"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Permission } from "@/lib/domain/auth/permissions";
import type { Viewer } from "@/lib/server/auth/guard";
import { freezeLoanCollateral, serializeFreezeResult, unfreezeLoanCollateral } from "@/lib/server/collateral/freeze";
import { liquidateLoan as liquidate, serializeLiquidation } from "@/lib/server/collateral/liquidate";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

// Freeze, unfreeze and liquidate from the lender's (or, for liquidation, an admin's) screens.
// defineAction checks the session and the permission inside each action; the services scope the
// loan by the viewer's organisation (another lender's loan is "not found") and write ledger,
// state, alert, audit and webhook in one transaction.

const loanId = z.string().trim().min(1, "Pick a loan.").max(64);
const reason = z.string().trim().min(1, "Say why: the reason is audited and sent to your webhooks.").max(500, "Keep the reason to 500 characters.");
/** Money crosses the wire as a string of whole µUSD. */
const amountMicros = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "Give the amount in whole micro-dollars (digits only).")
  .transform((digits) => BigInt(digits))
  .refine((micros) => micros > 0n, "The amount must be more than 0.");

const freezeInput = z.discriminatedUnion("mode", [
  z.object({ loanId, mode: z.literal("AMOUNT"), amountMicros, reason }),
  z.object({ loanId, mode: z.enum(["FULL", "PROTECTIVE"]), reason }),
]);
const unfreezeInput = z.discriminatedUnion("mode", [z.object({ loanId, mode: z.literal("AMOUNT"), amountMicros, reason }), z.object({ loanId, mode: z.literal("FULL"), reason })]);
const liquidateInput = z.object({ loanId, scope: z.enum(["FULL", "PARTIAL"]), reason });

/** Like defineAction, and notes when the request arrived: the freeze latency runs from here. */
function timedAction<S extends z.ZodType, T>(options: { permission: Permission; input: S }, run: (input: z.infer<S>, viewer: Viewer, requestedAt: Date) => Promise<T>) {
  return async (raw: z.input<S>) => {
    const requestedAt = new Date();
    return defineAction(options, (input, viewer) => run(input, viewer, requestedAt))(raw);
  };
}

function revalidateLoan(id: string) {
  revalidatePath("/lender");
  revalidatePath(`/lender/loans/${id}`);
}

const asUser = (viewer: Viewer) => ({ kind: "user" as const, userId: viewer.userId, orgId: viewer.orgId });

export const freezeCollateral = timedAction({ permission: "loan.freeze", input: freezeInput }, async (input, viewer, requestedAt) => {
  const result = await freezeLoanCollateral(db, {
    loanId: input.loanId,
    mode: input.mode,
    amountMicros: input.mode === "AMOUNT" ? input.amountMicros : undefined,
    reason: input.reason,
    actor: asUser(viewer),
    lenderOrgId: viewer.orgId,
    requestedAt,
  });
  revalidateLoan(input.loanId);
  return serializeFreezeResult(result);
});

export const unfreezeCollateral = timedAction({ permission: "loan.unfreeze", input: unfreezeInput }, async (input, viewer, requestedAt) => {
  const result = await unfreezeLoanCollateral(db, {
    loanId: input.loanId,
    mode: input.mode,
    amountMicros: input.mode === "AMOUNT" ? input.amountMicros : undefined,
    reason: input.reason,
    actor: asUser(viewer),
    lenderOrgId: viewer.orgId,
    requestedAt,
  });
  revalidateLoan(input.loanId);
  return serializeFreezeResult(result);
});

/** A lender liquidates its own loans; an admin any loan. */
export const liquidateLoan = defineAction({ permission: "loan.liquidate", input: liquidateInput }, async (input, viewer) => {
  const isAdmin = viewer.role === "admin";
  const result = await liquidate(db, {
    loanId: input.loanId,
    scope: input.scope,
    reason: input.reason,
    actor: { ...asUser(viewer), role: isAdmin ? "admin" : "lender" },
    lenderOrgId: isAdmin ? undefined : viewer.orgId,
  });
  revalidateLoan(input.loanId);
  if (isAdmin) revalidatePath("/admin");
  return serializeLiquidation(result);
});
