// The one-line text of each alert, shown in-app and sent in the webhook's payload. Figures are
// formatted here only for display; the alert row keeps coverageBps as a number.

import { BPS_DENOMINATOR, formatBps, formatMicros } from "../money";
import type { AlertKind } from "./kinds";
import type { OverdueInstallment } from "./payment-overdue";

export type AlertMessageInput =
  | { kind: "EARLY_WARNING_1" | "EARLY_WARNING_2"; thresholdBps: number; coverageBps: number | null }
  | { kind: "MARGIN_CALL"; thresholdBps: number; coverageBps: number | null; cureDeadline: Date }
  | { kind: "LIQUIDATION_ZONE"; thresholdBps: number; coverageBps: number | null; autoFreeze?: boolean }
  | { kind: "PAYMENT_OVERDUE"; overdue: readonly OverdueInstallment[]; gracePeriodDays: number }
  | { kind: "BURN_ABOVE_PLAN"; burnMicrosPerDay: bigint; plannedBurnMicrosPerDay: bigint }
  | { kind: "FROZEN"; amountMicros: bigint; actor: string; reason?: string }
  | { kind: "UNFROZEN"; amountMicros: bigint; actor: string; frozenAfterMicros: bigint; reason?: string };

/** A threshold reads as "140%", or "137.50%" when it is not a whole percent. */
export function formatThresholdBps(bps: number): string {
  return formatBps(bps, bps % 100 === 0 ? 0 : 2);
}

/** "2026-03-04 14:00 UTC" */
export function formatUtcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const formatDay = (at: Date) => at.toISOString().slice(0, 10);
const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
const withReason = (text: string, reason?: string) => (reason?.trim() ? `${text} Reason: ${reason.trim()}` : text);

function coverageFell(levelName: string, thresholdBps: number, coverageBps: number | null) {
  return `Coverage fell below the ${formatThresholdBps(thresholdBps)} ${levelName} level (now ${formatBps(coverageBps)})`;
}

function overdueMessage(overdue: readonly OverdueInstallment[], gracePeriodDays: number): string {
  if (overdue.length === 0) throw new RangeError("A PAYMENT_OVERDUE message needs at least one overdue installment.");
  const oldest = overdue[0];
  const grace = `past the ${gracePeriodDays}-day grace period`;
  if (overdue.length === 1) {
    return `Installment ${oldest.seq} (${formatMicros(oldest.unpaidMicros)} unpaid, due ${formatDay(oldest.dueDate)}) is ${plural(oldest.daysPastDue, "day")} overdue, ${grace}.`;
  }
  const unpaid = overdue.reduce((sum, installment) => sum + installment.unpaidMicros, 0n);
  return `${overdue.length} installments are overdue, ${grace}: ${formatMicros(unpaid)} unpaid; the oldest, installment ${oldest.seq} due ${formatDay(oldest.dueDate)}, is ${plural(oldest.daysPastDue, "day")} overdue.`;
}

function burnMessage(burn: bigint, planned: bigint): string {
  const rate = (micros: bigint) => `${formatMicros(micros)}/day`;
  if (planned === 0n) return `7-day burn is ${rate(burn)} against a plan of no spend.`;
  // How far above plan, in bps rounded down: (burn − planned) / planned.
  const aboveBps = Number(((burn - planned) * BPS_DENOMINATOR) / planned);
  return `7-day burn is ${rate(burn)}, ${formatBps(aboveBps)} above the planned ${rate(planned)}.`;
}

/**
 * E.g. "Coverage fell below the 140% early-warning level (now 138.20%)."; "… 125% maintenance level
 * (now 123.40%): margin call, cure by 2026-03-04 14:00 UTC."
 */
export function alertMessage(input: AlertMessageInput): string {
  switch (input.kind) {
    case "EARLY_WARNING_1":
    case "EARLY_WARNING_2":
      return `${coverageFell("early-warning", input.thresholdBps, input.coverageBps)}.`;
    case "MARGIN_CALL":
      return `${coverageFell("maintenance", input.thresholdBps, input.coverageBps)}: margin call, cure by ${formatUtcMinute(input.cureDeadline)} by repaying or pledging more credits.`;
    case "LIQUIDATION_ZONE":
      return `${coverageFell("liquidation", input.thresholdBps, input.coverageBps)}: ${input.autoFreeze ? "the collateral freezes automatically" : "the lender may freeze the collateral now"}.`;
    case "PAYMENT_OVERDUE":
      return overdueMessage(input.overdue, input.gracePeriodDays);
    case "BURN_ABOVE_PLAN":
      return burnMessage(input.burnMicrosPerDay, input.plannedBurnMicrosPerDay);
    case "FROZEN":
      return withReason(`Collateral frozen by ${input.actor}: ${formatMicros(input.amountMicros)}.`, input.reason);
    case "UNFROZEN":
      return withReason(`Collateral unfrozen by ${input.actor}: ${formatMicros(input.amountMicros)} (${formatMicros(input.frozenAfterMicros)} still frozen).`, input.reason);
    default: {
      const unknown: never = input;
      throw new RangeError(`No message for alert kind ${String((unknown as { kind: AlertKind }).kind)}.`);
    }
  }
}
