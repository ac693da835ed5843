// How an audit entry reads to a person: the action in words and its details with their units.
// Entries store their details as JSON written by the service that acted (lib/server/services/
// audit.ts): amounts in µUSD under keys ending in "Micros", ratios under keys ending in "Bps".

import { formatBps, formatMicros } from "../money";

const ACTIONS: Record<string, string> = {
  "loan.submit": "Applied for financing",
  "loan.withdraw": "Withdrew the application",
  "loan.approve": "Approved the loan",
  "loan.reject": "Rejected the application",
  "loan.disbursed": "Disbursed the loan",
  "loan.payment": "Recorded a payment",
  "loan.pledge": "Pledged credits",
  "loan.freeze": "Loan frozen",
  "loan.unfreeze": "Loan unfrozen",
  "loan.liquidate": "Loan liquidated",
  "loan.coverageBelowMaintenance": "Margin call opened",
  "loan.coverageRestored": "Margin call closed",
  "loan.installmentOverdue": "Installment overdue",
  "loan.paymentCured": "Overdue installment paid",
  "loan.repaidInFull": "Repaid in full",
  "loan.cureExpired": "Cure window ended",
  "collateral.freeze": "Froze collateral",
  "collateral.unfreeze": "Unfroze collateral",
  "collateral.liquidate": "Liquidated collateral",
  "alert.acknowledge": "Acknowledged an alert",
};

/** "collateral.freeze" → "Froze collateral"; an action not in the list reads as its words ("loan.stateChanged" → "Loan state changed"). */
export function describeAuditAction(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const words = action
    .split(/[._]/)
    .flatMap((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(" "))
    .filter(Boolean)
    .map((word) => word.toLowerCase())
    .join(" ");
  return words ? words[0].toUpperCase() + words.slice(1) : action;
}

const INTEGER = /^-?\d+$/;

const LABELS: Record<string, string> = { aprBps: "APR", multiplierBps: "Multiplier" };

function labelOf(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const base = key.replace(/(Micros|Bps|Ms)$/, "");
  const words = base.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words[0] ? words[0].toUpperCase() + words.slice(1) : key;
}

function valueOf(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (key.endsWith("Micros") && (typeof value === "string" || typeof value === "number" || typeof value === "bigint") && INTEGER.test(String(value))) return formatMicros(BigInt(value));
  if (/multiplierBps$/i.test(key) && typeof value === "number" && Number.isFinite(value)) return `${(value / 10_000).toFixed(2)}×`;
  if (key.endsWith("Bps") && typeof value === "number" && Number.isFinite(value)) return formatBps(value);
  if (key.endsWith("Ms") && typeof value === "number" && Number.isFinite(value)) return `${value} ms`;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * `{"mode":"PROTECTIVE","amountMicros":"12500000","coverageBps":12010}` → ["Mode: PROTECTIVE",
 * "Amount: $12.50", "Coverage: 120.10%"]. Text that is not a JSON object is shown as it is.
 */
export function describeAuditDetail(detailJson: string): string[] {
  let detail: unknown;
  try {
    detail = JSON.parse(detailJson);
  } catch {
    return detailJson.trim() ? [detailJson] : [];
  }
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) return [JSON.stringify(detail)];
  return Object.entries(detail as Record<string, unknown>).map(([key, value]) => `${labelOf(key)}: ${valueOf(key, value)}`);
}

/** Reads one string field of the details (e.g. a token id an older entry kept there); null when absent. */
export function auditDetailString(detailJson: string, key: string): string | null {
  try {
    const detail = JSON.parse(detailJson) as unknown;
    if (detail && typeof detail === "object" && !Array.isArray(detail)) {
      const value = (detail as Record<string, unknown>)[key];
      return typeof value === "string" && value !== "" ? value : null;
    }
  } catch {
    // not JSON: nothing to read
  }
  return null;
}

/** One detail field's label and value as the audit page shows them (the before/after table uses them too). */
export { labelOf as auditFieldLabel, valueOf as auditFieldValue };
