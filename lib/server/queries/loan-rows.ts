import "@/lib/server/server-only";
import { installmentDisplay } from "@/lib/domain/loans/installment-display";

// A loan's installments and payments as the loan pages (the lender's and the startup's) send them
// to the browser: money as decimal strings of µUSD, instants as ISO 8601 UTC, and each
// installment's status as it reads to a person (installmentDisplay).

type InstallmentRow = { id: string; seq: number; dueDate: Date; amountMicros: bigint; principalMicros: bigint; interestMicros: bigint; paidMicros: bigint; status: string };
type PaymentRow = { id: string; paidAt: Date; amountMicros: bigint; interestMicros: bigint; principalMicros: bigint };

export function installmentOnWire(row: InstallmentRow, loan: Parameters<typeof installmentDisplay>[1], now: Date) {
  const display = installmentDisplay(row, loan, now);
  return {
    id: row.id,
    seq: row.seq,
    dueDate: row.dueDate.toISOString(),
    amountMicros: row.amountMicros.toString(),
    principalMicros: row.principalMicros.toString(),
    interestMicros: row.interestMicros.toString(),
    paidMicros: row.paidMicros.toString(),
    statusKind: display.kind,
    statusLabel: display.label,
  };
}

export function paymentOnWire(row: PaymentRow) {
  return {
    id: row.id,
    paidAt: row.paidAt.toISOString(),
    amountMicros: row.amountMicros.toString(),
    interestMicros: row.interestMicros.toString(),
    principalMicros: row.principalMicros.toString(),
  };
}
