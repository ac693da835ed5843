import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// POST /api/lender/v1/loans/{loanId}/unfreeze {mode: FULL|AMOUNT, amountMicros?, reason}; Idempotency-Key honoured.
export const POST = lenderRoutes.unfreeze;
