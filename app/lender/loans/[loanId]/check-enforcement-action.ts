"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { checkLenderLoanEnforcementOrThrow } from "@/lib/server/queries/lender-loans";
import { loanIdInput } from "./collateral-inputs";

/**
 * The loan page's live enforcement check: would the routing API admit a request from this loan's
 * borrower right now? The same condition as the gateway's hold (spendable ≥ the request's worst
 * case, 1 µUSD here; otherwise 402 credits_frozen or insufficient_credits) — no model is called,
 * nothing is reserved. Another lender's loan is "not found".
 */
export const checkEnforcementAction = defineAction({ permission: "portfolio.read", input: z.object({ loanId: loanIdInput }) }, async (input, viewer) => checkLenderLoanEnforcementOrThrow(db, viewer.orgId, input.loanId));
