// The approval form's edge: what an admin types (percentages, a multiplier like "1.5", hours, days)
// to the terms in basis points the approval service takes, exactly (no floats), with a message per
// field that is wrong. The terms are then checked by the same schema the service parses with.

import { parsePercentToBps } from "../valuation/what-if-inputs";
import { approvalTermsSchema, type ParsedApprovalTerms } from "./approval-terms";

export type ApprovalForm = {
  facilityId: string;
  aprPct: string;
  multiplier: string;
  initialPct: string;
  maintenancePct: string;
  liquidationPct: string;
  firstWarningPct: string;
  secondWarningPct: string;
  cureWindowHours: string;
  gracePeriodDays: string;
  autoFreeze: boolean;
};

export type ApprovalFormErrors = Partial<Record<keyof ApprovalForm, string>>;
export type ApprovalFormResult = { ok: true; terms: ParsedApprovalTerms } | { ok: false; errors: ApprovalFormErrors };

const MULTIPLIER = /^(\d)(?:\.(\d{1,4}))?\s*[×x]?$/i;
const WHOLE = /^\d{1,6}$/;

/** "1.5", "1.35×", "1.25x" → 15,000 / 13,500 / 12,500 bps, exactly (at most four decimals). */
export function parseMultiplierToBps(text: string): { bps: number } | { error: string } {
  const match = MULTIPLIER.exec(text.trim());
  if (!match) return { error: "write the multiplier like 1.5 (at most four decimals)." };
  return { bps: Number(match[1]) * 10_000 + Number((match[2] ?? "").padEnd(4, "0")) };
}

const bpsText = (bps: number) => {
  const whole = Math.trunc(bps / 100);
  const rest = Math.abs(bps % 100);
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
};

/** Terms back to what the form shows: 1,400 bps → "14", 13,000 → "1.3". */
export function termsToForm(terms: ParsedApprovalTerms): ApprovalForm {
  const [first, second] = [...terms.earlyWarningBps].sort((a, b) => b - a);
  const multiplier = (terms.multiplierBps / 10_000).toString();
  return {
    facilityId: terms.facilityId,
    aprPct: bpsText(terms.aprBps),
    multiplier,
    initialPct: bpsText(terms.initialCoverageBps),
    maintenancePct: bpsText(terms.maintenanceCoverageBps),
    liquidationPct: bpsText(terms.liquidationCoverageBps),
    firstWarningPct: first === undefined ? "" : bpsText(first),
    secondWarningPct: second === undefined ? "" : bpsText(second),
    cureWindowHours: String(terms.cureWindowHours),
    gracePeriodDays: String(terms.gracePeriodDays),
    autoFreeze: terms.autoFreeze,
  };
}

const SCHEMA_FIELD: Record<string, keyof ApprovalForm> = {
  facilityId: "facilityId",
  aprBps: "aprPct",
  multiplierBps: "multiplier",
  initialCoverageBps: "initialPct",
  maintenanceCoverageBps: "maintenancePct",
  liquidationCoverageBps: "liquidationPct",
  earlyWarningBps: "firstWarningPct",
  cureWindowHours: "cureWindowHours",
  gracePeriodDays: "gracePeriodDays",
  autoFreeze: "autoFreeze",
};

const LABEL: Record<keyof ApprovalForm, string> = {
  facilityId: "Facility",
  aprPct: "APR",
  multiplier: "Multiplier",
  initialPct: "Initial threshold",
  maintenancePct: "Maintenance threshold",
  liquidationPct: "Liquidation threshold",
  firstWarningPct: "Early warnings",
  secondWarningPct: "Second early warning",
  cureWindowHours: "Cure window",
  gracePeriodDays: "Grace period",
  autoFreeze: "Auto-freeze",
};

/** The form → the terms, or a message per wrong field ("APR: choose from 0% to 100%."). */
export function parseApprovalForm(form: ApprovalForm): ApprovalFormResult {
  const errors: ApprovalFormErrors = {};
  const pct = (field: keyof ApprovalForm, max: number): number => {
    const text = String(form[field]).trim();
    if (text === "") {
      errors[field] = `${LABEL[field]}: required.`;
      return 0;
    }
    const parsed = parsePercentToBps(text, LABEL[field], { min: 0, max });
    if ("error" in parsed) {
      errors[field] = parsed.error;
      return 0;
    }
    return parsed.bps;
  };
  const whole = (field: "cureWindowHours" | "gracePeriodDays"): number => {
    const text = form[field].trim();
    if (!WHOLE.test(text)) {
      errors[field] = `${LABEL[field]}: write a whole number.`;
      return 0;
    }
    return Number(text);
  };
  const aprBps = pct("aprPct", 100);
  const multiplier = parseMultiplierToBps(form.multiplier);
  if ("error" in multiplier) errors.multiplier = `Multiplier: ${multiplier.error}`;
  const initialCoverageBps = pct("initialPct", 1_000);
  const maintenanceCoverageBps = pct("maintenancePct", 1_000);
  const liquidationCoverageBps = pct("liquidationPct", 1_000);
  const warnings = (["firstWarningPct", "secondWarningPct"] as const).filter((field) => form[field].trim() !== "").map((field) => pct(field, 1_000));
  const cureWindowHours = whole("cureWindowHours");
  const gracePeriodDays = whole("gracePeriodDays");
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const parsed = approvalTermsSchema.safeParse({
    facilityId: form.facilityId,
    aprBps,
    multiplierBps: "bps" in multiplier ? multiplier.bps : 0,
    initialCoverageBps,
    maintenanceCoverageBps,
    liquidationCoverageBps,
    earlyWarningBps: warnings,
    autoFreeze: form.autoFreeze,
    cureWindowHours,
    gracePeriodDays,
  });
  if (parsed.success) return { ok: true, terms: parsed.data };
  for (const issue of parsed.error.issues) {
    const field = SCHEMA_FIELD[String(issue.path[0])] ?? "facilityId";
    if (!errors[field]) errors[field] = `${LABEL[field]}: ${percentMessage(issue.message)}`;
  }
  return { ok: false, errors };
}

/** The schema speaks in bps ("must be above 11000"); the form in percent ("must be above 110%"). */
function percentMessage(message: string): string {
  return message.replace(/\b(\d{4,6})\b(?: \((\d+(?:\.\d+)?[%×])\))?/g, (_all, bps: string, shown?: string) => shown ?? `${bpsText(Number(bps))}%`);
}
