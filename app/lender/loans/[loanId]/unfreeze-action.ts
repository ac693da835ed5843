"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { serializeFreezeResult, unfreezeLoanCollateral } from "@/lib/server/collateral/freeze";
import { db } from "@/lib/server/db/client";
import { amountUsdInput, collateralMoveInput, loanIdInput, reasonInput, revalidateLoanPages, timedAction } from "./collateral-inputs";

const unfreezeInput = z.discriminatedUnion("mode", [
  z.object({ loanId: loanIdInput, mode: z.literal("AMOUNT"), amountUsd: amountUsdInput, reason: reasonInput }),
  z.object({ loanId: loanIdInput, mode: z.literal("FULL"), reason: reasonInput }),
]);

/**
 * "Confirm unfreeze": returns frozen collateral to spendable (all of it, or a typed amount in
 * dollars) in one transaction. A full release puts the loan back in the state its figures dictate;
 * a partial one keeps it FROZEN. Another lender's loan is "not found".
 */
export const unfreezeLoanAction = timedAction({ permission: "loan.unfreeze", input: unfreezeInput }, async (input, viewer, requestedAt) => {
  const result = await unfreezeLoanCollateral(db, collateralMoveInput(input, viewer, requestedAt));
  revalidateLoanPages(input.loanId);
  return serializeFreezeResult(result);
});
