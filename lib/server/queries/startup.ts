import "@/lib/server/server-only";
import { cache } from "react";
import type { Db } from "@/lib/server/db/client";

/** The loan's reference when it is this startup's (one indexed read); null for another's or none. */
export const findStartupLoanReference = cache((db: Db, orgId: string, loanId: string) =>
  db.loan.findFirst({ where: { id: loanId, startupOrgId: orgId }, select: { reference: true } }),
);

