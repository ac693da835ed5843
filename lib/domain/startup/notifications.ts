// The startup's in-app notifications about its loan: which change deserves one, and what it says.
// Pure: the server writes the row in the same transaction as the change (lib/server/notifications).

import { formatMicros } from "../money";

export const NOTIFICATION_KINDS = ["MARGIN_CALL_OPENED", "MARGIN_CALL_CURED", "FROZEN", "UNFROZEN"] as const;
export type LoanNotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationSeverity = "info" | "warning" | "critical";

export type NotificationDraft = { kind: LoanNotificationKind; severity: NotificationSeverity; title: string; body: string };

/** "2026-12-07 14:05 UTC". */
function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * A loan row before and after a state change: a margin call that opened (marginCallAt went from
 * null to set) or closed while the loan stays open (set to null, the state not closed) gets a
 * notification; any other change gets none.
 */
export function marginCallNotice(input: {
  reference: string;
  before: { marginCallAt: Date | null };
  after: { state: string; marginCallAt: Date | null; cureDeadline: Date | null };
}): NotificationDraft | null {
  const { reference, before, after } = input;
  if (before.marginCallAt === null && after.marginCallAt !== null) {
    const deadline = after.cureDeadline ? ` Cure it by ${utcMinute(after.cureDeadline)}: repay part of the debt or pledge more credits.` : "";
    return { kind: "MARGIN_CALL_OPENED", severity: "critical", title: `Margin call on ${reference}`, body: `Coverage fell below the maintenance level.${deadline}` };
  }
  const isOpen = after.state === "ACTIVE" || after.state === "DELINQUENT" || after.state === "FROZEN" || after.state === "MARGIN_CALL";
  if (before.marginCallAt !== null && after.marginCallAt === null && isOpen) {
    return { kind: "MARGIN_CALL_CURED", severity: "info", title: `Margin call on ${reference} cured`, body: "Coverage is back above maintenance + 5 points; the margin call is closed." };
  }
  return null;
}

/** A freeze or unfreeze of the loan's collateral, with the amount and the lender's reason. */
export function freezeNotice(input: { reference: string; action: "FREEZE" | "UNFREEZE"; amountMicros: bigint; frozenAfterMicros: bigint; reason: string; isAuto: boolean }): NotificationDraft {
  const amount = formatMicros(input.amountMicros);
  if (input.action === "FREEZE") {
    const who = input.isAuto ? "Auto-freeze" : "Your lender";
    return {
      kind: "FROZEN",
      severity: "critical",
      title: `Credits frozen on ${input.reference}`,
      body: `${who} froze ${amount} of collateral (${formatMicros(input.frozenAfterMicros)} frozen in all). Reason: ${input.reason}`.slice(0, 1_000),
    };
  }
  const rest = input.frozenAfterMicros > 0n ? ` ${formatMicros(input.frozenAfterMicros)} stays frozen.` : " Nothing stays frozen.";
  return { kind: "UNFROZEN", severity: "info", title: `Credits unfrozen on ${input.reference}`, body: `Your lender released ${amount} of frozen collateral.${rest} Reason: ${input.reason}`.slice(0, 1_000) };
}
