import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// GET /api/lender/v1/loans/{loanId} — coverage, debt, collateral, frozen, mark, state, thresholds.
export const GET = lenderRoutes.getLoan;
