// How the alerts inbox names what the engine stores: kinds as plain words, severities as a label
// and a badge variant (the words carry the meaning; colour only repeats it).

export const ALERT_KIND_LABEL: Record<string, string> = {
  EARLY_WARNING_1: "Early warning",
  EARLY_WARNING_2: "Early warning, second level",
  MARGIN_CALL: "Margin call",
  LIQUIDATION_ZONE: "Liquidation zone",
  PAYMENT_OVERDUE: "Payment overdue",
  BURN_ABOVE_PLAN: "Burn above plan",
  FROZEN: "Collateral frozen",
  UNFROZEN: "Collateral unfrozen",
};

/** "Margin call"; an unknown kind reads as its words ("NEW_KIND" → "New kind") rather than a code. */
export function alertKindLabel(kind: string): string {
  const known = ALERT_KIND_LABEL[kind];
  if (known) return known;
  const words = kind.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type SeverityBadgeVariant = "destructive" | "warning" | "info" | "secondary";

export function alertSeverityLabel(severity: string): string {
  return severity === "critical" ? "Critical" : severity === "warning" ? "Warning" : severity === "info" ? "Info" : severity;
}

export function alertSeverityVariant(severity: string): SeverityBadgeVariant {
  return severity === "critical" ? "destructive" : severity === "warning" ? "warning" : severity === "info" ? "info" : "secondary";
}

/** The row checkbox's label: names the loan first ("Select alert for BL-2026-0003"), then the kind, so two alerts of one loan differ. */
export function selectAlertLabel(alert: { loanReference: string; kind: string }): string {
  return `Select alert for ${alert.loanReference}: ${alertKindLabel(alert.kind).toLowerCase()}`;
}

/** "Acknowledged 3 alerts" / "Acknowledged the margin call on BL-2026-0003". */
export function acknowledgedToast(alerts: readonly { loanReference: string; kind: string }[]): string {
  if (alerts.length === 1) return `Acknowledged the ${alertKindLabel(alerts[0].kind).toLowerCase()} alert on ${alerts[0].loanReference}.`;
  return `Acknowledged ${alerts.length.toLocaleString("en-US")} alerts.`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago"; a time ahead of `now` (clock skew) reads as "just now". */
export function formatRelativeTime(at: Date, now: Date): string {
  const elapsedMs = now.getTime() - at.getTime();
  if (elapsedMs < 60_000) return "just now";
  for (const [unit, unitMs] of UNITS) {
    if (elapsedMs >= unitMs) return relative.format(-Math.floor(elapsedMs / unitMs), unit);
  }
  return "just now";
}

/** The exact moment for the tooltip: "2026-03-04 14:05:09 UTC". */
export function formatExactUtc(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
