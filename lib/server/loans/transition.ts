import "@/lib/server/server-only";
import { isLoanState, transition, type LoanActor, type LoanEvent, type LoanState } from "@/lib/domain/loans/lifecycle";
import type { DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { notifyLoanTransition } from "@/lib/server/notifications/notifications";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";

/**
 * The one way a loan changes state. Inside the caller's transaction: the pure state machine decides
 * (an illegal transition or a wrong role throws, nothing is written), the row changes only if
 * nobody changed it since it was read (optimistic `version`), and the change is audited and sent
 * to the lender's webhooks in the same commit.
 */

/** `orgId`: the actor's organisation (for the audit log); null for the system. `tokenId`: the lender API token that acted. */
export type TransitionActor = LoanActor & { kind: "user" | "api" | "system"; orgId: string | null; tokenId?: string | null };

export type LoanRow = Awaited<ReturnType<DbTx["loan"]["findUniqueOrThrow"]>>;

export class LoanConflictError extends ApiError {
  constructor(loanId: string) {
    super(409, "loan_changed", `Loan ${loanId} was changed by someone else at the same moment; reload and try again.`);
  }
}

export async function transitionLoan(
  tx: DbTx,
  input: { loan: LoanRow; event: LoanEvent; actor: TransitionActor; now: Date; reason?: string; extra?: Partial<LoanRow> },
): Promise<{ loan: LoanRow; from: LoanState | null; to: LoanState }> {
  const { loan, event, actor, now } = input;
  const from = isLoanState(loan.state) ? loan.state : null;
  const decision = transition(from, event, actor, now);
  const changed = await tx.loan.updateMany({
    where: { id: loan.id, version: loan.version },
    data: { ...(input.extra ?? {}), ...decision.effects, state: decision.state, version: { increment: 1 } },
  });
  if (changed.count !== 1) throw new LoanConflictError(loan.id);
  const updated = await tx.loan.findUniqueOrThrow({ where: { id: loan.id } });
  // A margin call opened or cured tells the startup (its bell), in this same commit.
  await notifyLoanTransition(tx, { before: loan, after: updated });
  const detail = { from, to: decision.state, event: event.type, reason: input.reason ?? null };
  await recordAudit(tx, {
    orgId: actor.orgId,
    actorUserId: actor.userId ?? null,
    actorKind: actor.kind,
    actorTokenId: actor.tokenId ?? null,
    action: `loan.${event.type}`,
    targetType: "Loan",
    targetId: loan.id,
    detail,
  });
  if (updated.lenderOrgId && from !== decision.state) {
    await enqueueWebhookEvent(tx, { orgId: updated.lenderOrgId, type: "loan.state_changed", data: { loanId: loan.id, reference: loan.reference, ...detail } }, { now });
  }
  return { loan: updated, from, to: decision.state };
}
