"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { freezeLoanCollateral, serializeFreezeResult } from "@/lib/server/collateral/freeze";
import { db } from "@/lib/server/db/client";
import { amountUsdInput, collateralMoveInput, loanIdInput, reasonInput, revalidateLoanPages, timedAction } from "./collateral-inputs";

const freezeInput = z.discriminatedUnion("mode", [
  z.object({ loanId: loanIdInput, mode: z.literal("AMOUNT"), amountUsd: amountUsdInput, reason: reasonInput }),
  z.object({ loanId: loanIdInput, mode: z.enum(["PROTECTIVE", "FULL"]), reason: reasonInput }),
]);

/**
 * "Confirm freeze": moves the loan's collateral from spendable to frozen in one transaction
 * (protective amount, everything, or a typed amount in dollars). The loan must be the lender's own
 * (another's is "not found"); the answer carries the measured latency from this action's start to
 * the commit.
 */
export const freezeLoanAction = timedAction({ permission: "loan.freeze", input: freezeInput }, async (input, viewer, requestedAt) => {
  const result = await freezeLoanCollateral(db, collateralMoveInput(input, viewer, requestedAt));
  revalidateLoanPages(input.loanId);
  return serializeFreezeResult(result);
});
