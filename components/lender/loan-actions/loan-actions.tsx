"use client";

import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";

/**
 * Freeze, Unfreeze and Liquidate for one loan, each behind a dialog that previews its effect.
 * Placeholder until the collateral actions land: it renders nothing.
 */
export function LoanActions({ loan }: { loan: LenderLoanDetailDto }) {
  void loan;
  return null;
}
