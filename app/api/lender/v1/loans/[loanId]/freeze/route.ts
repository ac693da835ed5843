import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// POST /api/lender/v1/loans/{loanId}/freeze {mode: FULL|AMOUNT|PROTECTIVE, amountMicros?, reason}; Idempotency-Key honoured.
export const POST = lenderRoutes.freeze;
