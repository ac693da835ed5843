import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// GET /api/lender/v1/loans — the token's lender's loans with state, coverage, debt and collateral; paged.
export const GET = lenderRoutes.listLoans;
