"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { asUser, loanIdInput, revalidateLoanPages } from "@/app/lender/loans/[loanId]/collateral-inputs";
import { liquidateLoan, serializeLiquidation } from "@/lib/server/collateral/liquidate";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { ApiError } from "@/lib/server/http/errors";

const liquidateInput = z.object({
  loanId: loanIdInput,
  scope: z.enum(["PARTIAL", "FULL"]),
  reason: z.string().trim().min(1, "Say why: the reason is audited and sent to the lender's webhooks.").max(500, "Keep the reason to 500 characters."),
});

/**
 * "Confirm liquidation" on the admin's loan page: an admin liquidates any lender's FROZEN loan
 * (the platform's role, not a lender's organisation, is the scope), by the same service and
 * waterfall as the lender. Lenders liquidate from their own desk; here only an admin may.
 */
export const adminLiquidateLoanAction = defineAction({ permission: "loan.liquidate", input: liquidateInput }, async (input, viewer) => {
  if (viewer.role !== "admin") throw new ApiError(403, "forbidden", "This is the admin desk: a lender liquidates from its own loan page.");
  const result = await liquidateLoan(db, { loanId: input.loanId, scope: input.scope, reason: input.reason, actor: { ...asUser(viewer), role: "admin" } });
  revalidatePath("/admin/loans");
  revalidatePath(`/admin/loans/${input.loanId}`);
  revalidateLoanPages(input.loanId);
  return serializeLiquidation(result);
});
