import "@/lib/server/server-only";
import { ALERT_SEVERITY, alertOpenKey, type AlertKind } from "@/lib/domain/alerts";
import type { DbTx } from "@/lib/server/db/client";
import type { LoanRow } from "@/lib/server/loans/transition";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";

// Writing a loan's alerts: one unresolved alert per kind per loan (Alert.openKey = loanId:kind is
// unique while the alert is OPEN or ACKNOWLEDGED and null once RESOLVED), and every open and
// resolve goes to the lender's webhooks in the caller's transaction. The caller holds the loan's
// row lock (lockLoanRow), so two evaluations of one loan never both see "not open yet".

export type UnresolvedAlert = { id: string; kind: string; state: string; message: string };

/** OPEN and ACKNOWLEDGED alerts of the loan (openKey set). */
export function loadUnresolvedAlerts(tx: DbTx, loanId: string): Promise<UnresolvedAlert[]> {
  return tx.alert.findMany({ where: { loanId, openKey: { not: null } }, select: { id: true, kind: true, state: true, message: true }, orderBy: { openedAt: "asc" } });
}

type LoanRef = Pick<LoanRow, "id" | "reference" | "lenderOrgId">;

export async function openLoanAlert(tx: DbTx, input: { loan: LoanRef; kind: AlertKind; message: string; coverageBps: number | null; now: Date }): Promise<string> {
  const { loan, kind, now } = input;
  if (!loan.lenderOrgId) throw new Error(`Loan ${loan.reference} has no lender: nobody to alert.`);
  const severity = ALERT_SEVERITY[kind];
  const alert = await tx.alert.create({
    data: { loanId: loan.id, lenderOrgId: loan.lenderOrgId, kind, severity, state: "OPEN", openKey: alertOpenKey(loan.id, kind), message: input.message, coverageBps: input.coverageBps, openedAt: now },
    select: { id: true },
  });
  await enqueueWebhookEvent(
    tx,
    { orgId: loan.lenderOrgId, type: "alert.opened", data: { alertId: alert.id, loanId: loan.id, reference: loan.reference, kind, severity, message: input.message, coverageBps: input.coverageBps } },
    { now },
  );
  return alert.id;
}

export async function resolveLoanAlert(tx: DbTx, input: { loan: LoanRef; alert: Pick<UnresolvedAlert, "id" | "kind">; coverageBps: number | null; now: Date }): Promise<void> {
  const { loan, alert, now } = input;
  await tx.alert.update({ where: { id: alert.id }, data: { state: "RESOLVED", resolvedAt: now, openKey: null } });
  if (loan.lenderOrgId) {
    await enqueueWebhookEvent(
      tx,
      { orgId: loan.lenderOrgId, type: "alert.resolved", data: { alertId: alert.id, loanId: loan.id, reference: loan.reference, kind: alert.kind, coverageBps: input.coverageBps } },
      { now },
    );
  }
}
