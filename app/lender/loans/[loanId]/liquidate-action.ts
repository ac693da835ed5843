"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { liquidateLoan, serializeLiquidation } from "@/lib/server/collateral/liquidate";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { ApiError } from "@/lib/server/http/errors";
import { asUser, loanIdInput, reasonInput, revalidateLoanPages } from "./collateral-inputs";

const liquidateInput = z.object({ loanId: loanIdInput, scope: z.enum(["PARTIAL", "FULL"]), reason: reasonInput });

/**
 * "Confirm liquidation" on the lender's loan page: sells the collateral of the lender's own FROZEN
 * loan to the secondary pool (PARTIAL restores maintenance + 5 points; FULL pays the debt and
 * closes the loan), in one transaction, as the waterfall the dialog showed. Admins liquidate from
 * the admin desk (the same service, unscoped); here another lender's loan is "not found".
 */
export const liquidateLoanAction = defineAction({ permission: "loan.liquidate", input: liquidateInput }, async (input, viewer) => {
  if (viewer.role !== "lender") throw new ApiError(403, "forbidden", "This is the lender's desk: an admin liquidates from the admin desk.");
  const result = await liquidateLoan(db, { loanId: input.loanId, scope: input.scope, reason: input.reason, actor: { ...asUser(viewer), role: "lender" }, lenderOrgId: viewer.orgId });
  revalidateLoanPages(input.loanId);
  return serializeLiquidation(result);
});
