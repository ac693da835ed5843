import { lenderRoutes } from "@/lib/server/collateral/lender-api";

export const dynamic = "force-dynamic";

// GET /api/lender/v1/alerts?state=OPEN|ACKNOWLEDGED|RESOLVED&loanId — the token's lender's alerts; paged.
export const GET = lenderRoutes.listAlerts;
