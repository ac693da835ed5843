// An audit entry's "before and after": the services that change settings write
// `detail: { before: {...}, after: {...} }` (lib/server/services/audit.ts), and a loan's state
// changes write `from` and `to`. This reads either as rows of field, before, after; everything else
// in the details stays a "Label: value" line.

import { auditFieldLabel, auditFieldValue, describeAuditDetail } from "./describe";

export type AuditChange = {
  /** The key as stored ("aprBps"). */
  field: string;
  /** The key in words ("APR"). */
  label: string;
  /** Formatted with the key's unit; "—" when the side has no such field. */
  before: string;
  after: string;
  isChanged: boolean;
};

export type AuditDetailView = {
  /** Field by field, in the order the entry names them; empty when the entry records no change of state. */
  changes: AuditChange[];
  /** The other details, one "Label: value" line each. */
  details: string[];
};

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function changeOf(field: string, before: unknown, after: unknown, hasBefore: boolean, hasAfter: boolean): AuditChange {
  return {
    field,
    label: auditFieldLabel(field),
    before: hasBefore ? auditFieldValue(field, before) : "—",
    after: hasAfter ? auditFieldValue(field, after) : "—",
    isChanged: hasBefore !== hasAfter || !sameValue(before, after),
  };
}

function restOf(detail: Json, without: readonly string[]): string[] {
  const rest = Object.fromEntries(Object.entries(detail).filter(([key]) => !without.includes(key)));
  return describeAuditDetail(JSON.stringify(rest));
}

/**
 * `{"before":{"isEnabled":true},"after":{"isEnabled":false},"url":"…"}` → one change (Is enabled:
 * true → false) and the line "Url: …". A `before`/`after` holding plain values reads as one field
 * "value"; `from`/`to` strings (a loan's state change) read as the field "state".
 */
export function readAuditDetail(detailJson: string): AuditDetailView {
  let detail: unknown;
  try {
    detail = JSON.parse(detailJson);
  } catch {
    return { changes: [], details: describeAuditDetail(detailJson) };
  }
  if (!isPlainObject(detail)) return { changes: [], details: describeAuditDetail(detailJson) };

  const hasBefore = Object.hasOwn(detail, "before");
  const hasAfter = Object.hasOwn(detail, "after");
  if (hasBefore || hasAfter) {
    const before = detail.before;
    const after = detail.after;
    if ((before === undefined || before === null || isPlainObject(before)) && (after === undefined || after === null || isPlainObject(after))) {
      const beforeFields = isPlainObject(before) ? before : {};
      const afterFields = isPlainObject(after) ? after : {};
      const fields = [...new Set([...Object.keys(beforeFields), ...Object.keys(afterFields)])];
      const changes = fields.map((field) => changeOf(field, beforeFields[field], afterFields[field], Object.hasOwn(beforeFields, field), Object.hasOwn(afterFields, field)));
      return { changes, details: restOf(detail, ["before", "after"]) };
    }
    return { changes: [changeOf("value", before, after, hasBefore, hasAfter)], details: restOf(detail, ["before", "after"]) };
  }
  if (typeof detail.from === "string" && typeof detail.to === "string") {
    return { changes: [changeOf("state", detail.from, detail.to, true, true)], details: restOf(detail, ["from", "to"]) };
  }
  return { changes: [], details: describeAuditDetail(detailJson) };
}

/** The changes in one line, for a CSV cell: "APR: 12.00% → 11.00%; Enabled: true → false". */
export function describeAuditChanges(changes: readonly AuditChange[]): string {
  return changes
    .filter((change) => change.isChanged)
    .map((change) => `${change.label}: ${change.before} → ${change.after}`)
    .join("; ");
}
