// The usage explorer's view, as its address, its filter form and its CSV export read it: which
// requests (a range of UTC days, model, provider, API key, status), in what order, and where the
// page starts. One schema for all three, so a link, a form and a download always mean the same rows.
//
// Paging is by keyset, never by offset: a page is "the next `size` rows after this one" in a total
// order that ends in the row's id, so rows sharing a timestamp (or a cost) neither repeat nor go
// missing between pages, and the millionth row is as fast to reach as the first.

import { z } from "zod";
import { auditTimeBounds, isCalendarDay } from "@/lib/domain/audit/filters";

export const USAGE_STATUSES = ["ok", "error", "aborted", "frozen"] as const;
export type UsageStatus = (typeof USAGE_STATUSES)[number];

/** Newest first (the default), oldest first, or dearest first. */
export const USAGE_SORTS = ["time_desc", "time_asc", "cost_desc"] as const;
export type UsageSort = (typeof USAGE_SORTS)[number];
export const DEFAULT_USAGE_SORT: UsageSort = "time_desc";

/** The API key filter's value for requests no key is recorded for (the demo world's history). */
export const NO_KEY = "none";

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[A-Za-z0-9._:/-]+$/;
const ID = /^[A-Za-z0-9_-]+$/;

/** A blank field (an empty input, `?model=`) is no filter. */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const day = (name: string) =>
  z.preprocess(blankToUndefined, z.string().trim().regex(DAY_FORMAT, `${name}: use a date as YYYY-MM-DD.`).refine(isCalendarDay, `${name}: not a real calendar date.`).optional());

const slug = (name: string) =>
  z.preprocess(blankToUndefined, z.string().trim().max(100, `${name}: at most 100 characters.`).regex(SLUG, `${name}: not a ${name.toLowerCase()} id.`).optional());

export const usageFiltersSchema = z
  .object({
    from: day("From"),
    to: day("To"),
    model: slug("Model"),
    provider: slug("Provider"),
    key: z.preprocess(blankToUndefined, z.string().trim().max(64, "API key: not an API key id.").regex(ID, "API key: not an API key id.").optional()),
    status: z.preprocess(blankToUndefined, z.enum(USAGE_STATUSES, { error: `Status: one of ${USAGE_STATUSES.join(", ")}.` }).optional()),
    sort: z.preprocess(blankToUndefined, z.enum(USAGE_SORTS, { error: `Sort: one of ${USAGE_SORTS.join(", ")}.` }).default(DEFAULT_USAGE_SORT)),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { message: "To: must be on or after From.", path: ["to"] });

export type UsageFilters = z.infer<typeof usageFiltersSchema>;
/** What the form holds: every field as text, "" for none. */
export type UsageFilterFields = { from: string; to: string; model: string; provider: string; key: string; status: string };

export const USAGE_FILTER_KEYS = ["from", "to", "model", "provider", "key", "status"] as const satisfies readonly (keyof UsageFilterFields)[];
export const EMPTY_USAGE_FILTER_FIELDS: UsageFilterFields = { from: "", to: "", model: "", provider: "", key: "", status: "" };

type Query = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The filters and sort from an address's query (`?model=gpt-4o-mini&from=2026-01-01`); repeated keys take the first. */
export function usageFiltersFromQuery(query: Query) {
  return usageFiltersSchema.safeParse(Object.fromEntries([...USAGE_FILTER_KEYS, "sort"].map((key) => [key, first(query[key])])));
}

/** The form's fields as the address holds them (so a refused value still shows in its field). */
export function usageFilterFieldsFromQuery(query: Query): UsageFilterFields {
  return Object.fromEntries(USAGE_FILTER_KEYS.map((key) => [key, first(query[key]) ?? ""])) as UsageFilterFields;
}

/**
 * The view as a query string ("" for none, else with its "?"), in a fixed order, without empty
 * filters or the default sort; `extra` (a cursor) comes last.
 */
export function usageViewToQuery(filters: Partial<UsageFilterFields> & { sort?: UsageSort }, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of USAGE_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  if (filters.sort && filters.sort !== DEFAULT_USAGE_SORT) params.set("sort", filters.sort);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The instants the day range covers: from the start of `from` (UTC) to just before the day after `to`. */
export function usageTimeBounds(filters: Pick<UsageFilters, "from" | "to">): { atOrAfter: Date | null; before: Date | null } {
  return auditTimeBounds(filters);
}

// ───────────────────────── Cursors ─────────────────────────

/**
 * Where a page starts: the last (or first) row of the page beside it, as the sort orders rows —
 * (time, id) for the time sorts, (cost, id) for the cost sort. Written "t<epoch ms>_<id>" or
 * "c<µUSD>_<id>", so a cursor made under one sort is no cursor under another.
 */
export type UsageCursor = { kind: "time"; at: Date; id: string } | { kind: "cost"; costMicros: bigint; id: string };

const TIME_CURSOR = /^t(\d{1,15})_([A-Za-z0-9_-]{1,64})$/;
const COST_CURSOR = /^c(\d{1,20})_([A-Za-z0-9_-]{1,64})$/;

export const cursorKindOf = (sort: UsageSort): UsageCursor["kind"] => (sort === "cost_desc" ? "cost" : "time");

export function encodeUsageCursor(cursor: UsageCursor): string {
  return cursor.kind === "time" ? `t${cursor.at.getTime()}_${cursor.id}` : `c${cursor.costMicros}_${cursor.id}`;
}

/** The cursor for a row under `sort`. */
export function usageCursorOf(sort: UsageSort, row: { id: string; createdAt: Date; costMicros: bigint }): string {
  return encodeUsageCursor(cursorKindOf(sort) === "cost" ? { kind: "cost", costMicros: row.costMicros, id: row.id } : { kind: "time", at: row.createdAt, id: row.id });
}

/** null for a value that is no cursor under `sort` (the page then starts from the first row). */
export function decodeUsageCursor(value: string | null | undefined, sort: UsageSort): UsageCursor | null {
  if (!value) return null;
  if (cursorKindOf(sort) === "cost") {
    const match = COST_CURSOR.exec(value);
    return match ? { kind: "cost", costMicros: BigInt(match[1]), id: match[2] } : null;
  }
  const match = TIME_CURSOR.exec(value);
  if (!match) return null;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? null : { kind: "time", at, id: match[2] };
}

/** The sort as an order of (field, direction): the field first, the id to break ties. */
export function usageSortOrder(sort: UsageSort): { field: "createdAt" | "costMicros"; direction: "asc" | "desc" } {
  if (sort === "time_asc") return { field: "createdAt", direction: "asc" };
  if (sort === "cost_desc") return { field: "costMicros", direction: "desc" };
  return { field: "createdAt", direction: "desc" };
}

/** Rows per page of the explorer. */
export const USAGE_PAGE_SIZE = 50;
