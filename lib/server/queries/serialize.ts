import "@/lib/server/server-only";
import type { CreditBalances } from "@/lib/server/ledger/ledger";

/** Money crosses the wire as strings of µUSD (DESIGN.md); the client formats, never computes. */
export type CreditBalancesDto = { [K in keyof CreditBalances]: string };

export function serializeBalances(balances: CreditBalances): CreditBalancesDto {
  return {
    spendableMicros: balances.spendableMicros.toString(),
    heldMicros: balances.heldMicros.toString(),
    frozenMicros: balances.frozenMicros.toString(),
    pledgedMicros: balances.pledgedMicros.toString(),
    financedMicros: balances.financedMicros.toString(),
  };
}
