/**
 * RFC 4180 CSV: fields containing a comma, quote, CR or LF are wrapped in double quotes with
 * inner quotes doubled; every record ends with CRLF.
 *
 * Spreadsheet formula injection (OWASP): a field starting with = + - @ (or tab / CR) is read as
 * a formula by Excel and Sheets, so it gets a leading single quote. Plain numbers such as
 * "-12.50" are left alone: they cannot be formulas, and quoting them would turn a ledger's
 * negative amounts into text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function escapeCsvField(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(headers: string[], rows: string[][]): string {
  return [headers, ...rows].map((record) => record.map(escapeCsvField).join(",") + "\r\n").join("");
}
