"use client";

import { withdrawApplicationAction } from "@/app/startup/financing/withdraw-action";
import { formatMicros } from "@/lib/domain/money";
import { WithdrawButton } from "./request-columns";

/** "Withdraw" a submitted application, after a dialog that says what happens. */
export function WithdrawApplicationButton({ loanId, reference, principalMicros }: { loanId: string; reference: string; principalMicros: string }) {
  return (
    <WithdrawButton
      title={`Withdraw ${reference}?`}
      description={`The application for ${formatMicros(BigInt(principalMicros))} leaves the approval queue for good and nothing is pledged. You can apply again afterwards.`}
      confirmLabel="Withdraw application"
      successMessage={`${reference} is withdrawn.`}
      withdraw={() => withdrawApplicationAction({ loanId })}
    />
  );
}
