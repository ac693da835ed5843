// The audit log's filters, as the page's address, the filter form and the CSV export read them:
// who (a name or email to search), what (an action), which organisation, and a range of UTC days.
// One schema for all three, so a link, a form and a download always mean the same rows.

import { z } from "zod";
import { isCalendarDay } from "@/lib/domain/valuation/days";

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export { isCalendarDay };

/** A blank field (an empty input, `?action=`) is no filter. */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const day = (name: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(DAY_FORMAT, `${name}: use a date as YYYY-MM-DD.`)
      .refine(isCalendarDay, `${name}: not a real calendar date.`)
      .optional(),
  );

export const auditFiltersSchema = z
  .object({
    actor: z.preprocess(blankToUndefined, z.string().trim().max(100, "Who: at most 100 characters.").optional()),
    action: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(100, "Action: at most 100 characters.")
        .regex(/^[A-Za-z0-9._-]+$/, "Action: letters, digits, dots, dashes and underscores only.")
        .optional(),
    ),
    org: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(64, "Organisation: not an organisation id.")
        .regex(/^[A-Za-z0-9_-]+$/, "Organisation: not an organisation id.")
        .optional(),
    ),
    from: day("From"),
    to: day("To"),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { message: "To: must be on or after From.", path: ["to"] });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;
/** What the form holds: every field as text, "" for none. */
export type AuditFilterFields = { actor: string; action: string; org: string; from: string; to: string };

export const AUDIT_FILTER_KEYS = ["actor", "action", "org", "from", "to"] as const;

/** The filters from an address's query (`?action=loan.approve&from=2026-01-01`); repeated keys take the first. */
export function auditFiltersFromQuery(query: Record<string, string | string[] | undefined>) {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return auditFiltersSchema.safeParse(Object.fromEntries(AUDIT_FILTER_KEYS.map((key) => [key, first(query[key])])));
}

/** The filters as a query string, in a fixed order, without empty ones ("" for none). */
export function auditFiltersToQuery(filters: AuditFilters | AuditFilterFields, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The instants the day range covers: from the start of `from` (UTC) to just before the day after `to`. */
export function auditTimeBounds(filters: Pick<AuditFilters, "from" | "to">): { atOrAfter: Date | null; before: Date | null } {
  return {
    atOrAfter: filters.from ? new Date(`${filters.from}T00:00:00.000Z`) : null,
    before: filters.to ? new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + DAY_MS) : null,
  };
}

/** The page's paging position: newest first, ordered by (at, id); a cursor is "<epoch ms>_<id>". */
export type AuditCursor = { at: Date; id: string };

const CURSOR = /^(\d{1,15})_([A-Za-z0-9_-]{1,64})$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return `${cursor.at.getTime()}_${cursor.id}`;
}

/** null for a cursor that is not one (the page then starts from the newest entry). */
export function decodeAuditCursor(value: string | null | undefined): AuditCursor | null {
  const match = value ? CURSOR.exec(value) : null;
  if (!match) return null;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2] };
}
