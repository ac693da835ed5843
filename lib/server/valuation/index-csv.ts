import "@/lib/server/server-only";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { dayNumber, utcDay } from "@/lib/domain/valuation";

// What a GPU index fix must be, and the CSV format admins import (no I/O here: the service in
// ./index-fixes.ts writes what these functions accept).
//
//   day,price_usd_per_gpu_hour          day,price_micros_per_gpu_hour
//   2026-03-01,2.15                  or  2026-03-01,2150000
//
// One fix per UTC day, a price above 0 (and below $1,000,000 per GPU-hour, to catch a slipped
// unit), never a day after today. Rows are named by their line in the file ("Line 4"; the header is
// line 1), and `line` carries the number for screens that list the problems line by line.

export type IndexFixInput = { day: string; priceMicrosPerGpuHour: bigint };
/** `label`: where the fix came from ("Line 3", "fixes[2]"), used in error messages; `line`: its line in a CSV. */
export type LabelledFix = IndexFixInput & { label: string; line?: number };
export type IndexFixIssue = { label: string; message: string; line?: number };

/** $1,000,000 per GPU-hour: no real price is near it, a µUSD figure typed into the USD column is. */
export const MAX_INDEX_PRICE_MICROS = 1_000_000_000_000n;
export const MAX_FIXES_PER_BATCH = 10_000;

const USD_COLUMN = "price_usd_per_gpu_hour";
const MICROS_COLUMN = "price_micros_per_gpu_hour";

/** The problem with one fix, or null when it may be written at `now`. */
export function indexFixProblem(fix: IndexFixInput, now: Date): string | null {
  let day: number;
  try {
    day = dayNumber(fix.day);
  } catch {
    return `${JSON.stringify(fix.day)} is not a calendar day written YYYY-MM-DD.`;
  }
  const today = utcDay(now);
  if (day > dayNumber(today)) return `${fix.day} is in the future (today is ${today} UTC); the index is fixed after the fact.`;
  if (typeof fix.priceMicrosPerGpuHour !== "bigint" || fix.priceMicrosPerGpuHour <= 0n) return `the price must be greater than 0, got ${String(fix.priceMicrosPerGpuHour)} µUSD.`;
  if (fix.priceMicrosPerGpuHour > MAX_INDEX_PRICE_MICROS) return `the price ${fix.priceMicrosPerGpuHour} µUSD is above $1,000,000 per GPU-hour; check the unit.`;
  return null;
}

/** Every problem of a batch: each fix on its own, and a day given twice. Empty = the batch may be written. */
export function indexBatchIssues(fixes: readonly LabelledFix[], now: Date): IndexFixIssue[] {
  const issues: IndexFixIssue[] = [];
  if (fixes.length === 0) issues.push({ label: "batch", message: "no fixes given." });
  if (fixes.length > MAX_FIXES_PER_BATCH) issues.push({ label: "batch", message: `at most ${MAX_FIXES_PER_BATCH.toLocaleString("en-US")} fixes at once, got ${fixes.length.toLocaleString("en-US")}.` });
  const firstSeen = new Map<string, string>();
  for (const fix of fixes) {
    const problem = indexFixProblem(fix, now);
    const at = fix.line === undefined ? {} : { line: fix.line };
    if (problem) issues.push({ label: fix.label, message: problem, ...at });
    const earlier = firstSeen.get(fix.day);
    if (earlier) issues.push({ label: fix.label, message: `${fix.day} appears again (first in ${earlier}); give one fix per day.`, ...at });
    else firstSeen.set(fix.day, fix.label);
  }
  return issues;
}

/** "3 fixes are invalid; nothing was written. Line 4: … Line 9: …" (at most `shown` listed). */
export function describeIssues(issues: readonly IndexFixIssue[], shown = 10): string {
  const head = issues.length === 1 ? "1 fix is invalid; nothing was written." : `${issues.length} fixes are invalid; nothing was written.`;
  const listed = issues.slice(0, shown).map((issue) => `${issue.label}: ${issue.message}`);
  const more = issues.length > shown ? ` …and ${issues.length - shown} more.` : "";
  return `${head} ${listed.join(" ")}${more}`;
}

/** Splits one CSV line: commas separate, double quotes may wrap a value ("1,234.50"), "" is a quote inside quotes. */
export function splitCsvLine(line: string): string[] | null {
  const values: string[] = [];
  let current = "";
  let isQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (isQuoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') {
        isQuoted = false;
      } else {
        current += char;
      }
    } else if (char === '"' && current.trim() === "") {
      isQuoted = true;
      current = "";
    } else if (char === ",") {
      values.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  if (isQuoted) return null;
  values.push(current.trim());
  return values;
}

export type ParsedIndexCsv = { fixes: LabelledFix[]; issues: IndexFixIssue[] };

/**
 * Reads the CSV (header `day,price_usd_per_gpu_hour` or `day,price_micros_per_gpu_hour`, in either
 * column order; blank lines skipped) and validates every row, returning all the problems at once.
 */
export function parseIndexCsv(text: string, now: Date): ParsedIndexCsv {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((line) => line.trim() !== "");
  if (headerIndex === -1) return { fixes: [], issues: [{ label: "File", message: `it is empty; the first row must be the header day,${USD_COLUMN} (or day,${MICROS_COLUMN}).` }] };
  const header = (splitCsvLine(lines[headerIndex]) ?? []).map((name) => name.toLowerCase());
  const dayColumn = header.indexOf("day");
  const usdColumn = header.indexOf(USD_COLUMN);
  const microsColumn = header.indexOf(MICROS_COLUMN);
  const unknown = header.filter((name) => name !== "day" && name !== USD_COLUMN && name !== MICROS_COLUMN);
  const headerLine = headerIndex + 1;
  if (dayColumn === -1 || (usdColumn === -1) === (microsColumn === -1) || unknown.length > 0 || header.length !== 2) {
    const found = header.join(",") || "nothing";
    return { fixes: [], issues: [{ label: `Line ${headerLine}`, line: headerLine, message: `the header must be day,${USD_COLUMN} or day,${MICROS_COLUMN}; found ${found}.` }] };
  }
  const isUsd = usdColumn !== -1;
  const priceColumn = isUsd ? usdColumn : microsColumn;

  const fixes: LabelledFix[] = [];
  const issues: IndexFixIssue[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const line = i + 1;
    const label = `Line ${line}`;
    const values = splitCsvLine(lines[i]);
    if (!values) {
      issues.push({ label, line, message: "a quoted value is not closed." });
      continue;
    }
    if (values.length !== 2) {
      issues.push({ label, line, message: `expected 2 values (day and price), found ${values.length}.` });
      continue;
    }
    const day = values[dayColumn];
    const priceText = values[priceColumn];
    let price: bigint;
    if (isUsd) {
      try {
        price = parseUsdToMicros(priceText);
      } catch (error) {
        issues.push({ label, line, message: error instanceof MoneyParseError ? `price is not a number of USD per GPU-hour: ${error.message}` : `price ${JSON.stringify(priceText)} is not a number of USD.` });
        continue;
      }
    } else {
      if (!/^\d{1,19}$/.test(priceText)) {
        issues.push({ label, line, message: `price ${JSON.stringify(priceText)} is not a number: write a whole number of µUSD (digits only).` });
        continue;
      }
      price = BigInt(priceText);
    }
    fixes.push({ label, line, day, priceMicrosPerGpuHour: price });
  }
  if (fixes.length === 0 && issues.length === 0) issues.push({ label: "File", message: "it has a header but no rows." });
  const all = [...issues, ...indexBatchIssues(fixes, now).filter((issue) => issue.label !== "batch" || fixes.length > 0)];
  return { fixes, issues: all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
}
