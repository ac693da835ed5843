"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { pledgeMoreCredits } from "@/lib/server/loans/pledge";
import { revalidateFinancing, startupCallerOf } from "../shared";
import { pledgeInput } from "./schemas";

/** "Pledge credits": own spendable credits join the loan's PLEDGED lot at once; coverage is recomputed. */
export const pledgeAction = defineAction({ permission: "loan.pledge", input: pledgeInput }, async (input, viewer) => {
  const result = await pledgeMoreCredits(db, { caller: startupCallerOf(viewer), loanId: input.loanId, pledge: { amountMicros: input.amountUsd } });
  revalidateFinancing(result.loan.id);
  return { pledgedMicros: result.pledgedMicros.toString(), pledgedTotalMicros: result.pledgedTotalMicros.toString(), state: result.loan.state };
});
