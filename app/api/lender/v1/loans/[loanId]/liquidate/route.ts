import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// POST /api/lender/v1/loans/{loanId}/liquidate {scope: PARTIAL|FULL, reason}; the loan must be FROZEN; Idempotency-Key honoured.
export const POST = lenderRoutes.liquidate;
